/**
 * One SSM Parameter Store read (`GetParameter`, decrypted) over the JSON-protocol caller (aws-json.ts) — no SSM SDK
 * in the bundle of a function that reads one key — kept in memory at most `maxAgeMs`; a failed read is not kept.
 * `endpoint` for the local stack's stand-in.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { awsJson } from './aws-json.js';

/** A reader of one SecureString's value, cached. */
export function ssmParameter(
  name: string,
  c: { readonly region: string; readonly endpoint?: string | undefined },
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider,
  { maxAgeMs = 300_000, nowMs = Date.now, fetchImpl = fetch as typeof fetch } = {},
): () => Promise<string | undefined> {
  const ssm = awsJson('ssm', { region: c.region, endpoint: c.endpoint, credentials, fetchImpl });
  let held: { value: Promise<string | undefined>; at: number } | undefined;
  const read = async () =>
    (await ssm<{ Parameter?: { Value?: string } }>('GetParameter', { Name: name, WithDecryption: true })).Parameter
      ?.Value;
  return () => {
    if (held && nowMs() - held.at < maxAgeMs) return held.value;
    const attempt = { value: read(), at: nowMs() };
    held = attempt;
    attempt.value.catch(() => {
      if (held === attempt) held = undefined;
    });
    return attempt.value;
  };
}
