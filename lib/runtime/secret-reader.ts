/**
 * A webhook route's secrets as the function holds them: read from their SSM parameter (one per line, so a rotation
 * can hold the old and the new together), kept at most `maxAgeMs` (5 minutes), read again on demand at most once per
 * `minRefreshMs` (5 s: a flood of bad signatures costs one read per 5 s and environment, not one each; a
 * rotated secret works within 5 s), and only secrets of at least 32
 * characters counted — a shorter one is as good as none, so the route answers as unconfigured. A failed read is
 * not kept: the next request tries again.
 */
import type { SecretSource } from '../webhooks/handle-webhook.js';

/** The shortest secret a route accepts: an HMAC key a person could guess or brute-force is no authentication. */
export const minSecretLength = 32;

/** The usable secrets of a parameter's value. */
export const usableSecrets = (value: string) =>
  value
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s.length >= minSecretLength);

/** Reads a parameter's secrets with the cache rules above; `name` empty: the route is closed. */
export function secretReader(
  name: string,
  read: (name: string) => Promise<string | undefined>,
  nowMs: () => number,
  { maxAgeMs = 300_000, minRefreshMs = 5_000 } = {},
): SecretSource {
  let held: { readonly secrets: Promise<readonly string[]>; readonly at: number } | undefined;
  const load = (): Promise<readonly string[]> => {
    const secrets = read(name).then((value) => usableSecrets(value ?? ''));
    const attempt = { secrets, at: nowMs() };
    held = attempt;
    // A failed read is forgotten (unless a newer one replaced it meanwhile).
    secrets.catch(() => {
      if (held === attempt) held = undefined;
    });
    return secrets;
  };
  return {
    configured: name !== '',
    current: async () => {
      if (!name) return undefined;
      return held && nowMs() - held.at < maxAgeMs ? held.secrets : load();
    },
    refresh: async () => {
      if (!name) return undefined;
      return held && nowMs() - held.at < minRefreshMs ? held.secrets : load();
    },
  };
}
