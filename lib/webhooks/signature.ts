/**
 * Webhook signatures, checked on the raw bytes before anything is parsed. PagerDuty (V3 subscriptions):
 * `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…]`, each an HMAC-SHA256 of the body with the subscription's secret
 * (several during a secret's rotation). Any other tool: `X-Autopilot-Signature: t=<unix seconds>,v1=<hex>`, an
 * HMAC-SHA256 of `t.body`, within ±300 s of now so a captured request cannot be replayed later. Constant-time
 * comparisons only; nothing of the secret or the expected value ever leaves this module.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a request is not authenticated: a code for the log, never told to the caller. */
export type SignatureVerdict = 'ok' | 'missing' | 'malformed' | 'stale' | 'mismatch';

const hex = /^[0-9a-f]{64}$/;

function hmac(secret: string, ...parts: (string | Buffer)[]): Buffer {
  const mac = createHmac('sha256', secret);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** Whether any `v1` value matches any secret, in constant time per comparison. */
function anyMatches(values: readonly string[], secrets: readonly string[], digest: (secret: string) => Buffer) {
  let matched = false;
  for (const secret of secrets) {
    const expected = digest(secret);
    for (const value of values) {
      // Every pair is compared, matched or not: the time taken says nothing of which one matched.
      if (timingSafeEqual(expected, Buffer.from(value, 'hex'))) matched = true;
    }
  }
  return matched;
}

/** The `v1` values of a signature header (at most 8: rotation needs two), or undefined when malformed. */
function v1Values(parts: readonly string[]): string[] | undefined {
  const values = parts.filter((p) => p.startsWith('v1=')).map((p) => p.slice(3).toLowerCase());
  if (values.length === 0 || values.length > 8 || !values.every((v) => hex.test(v))) return undefined;
  return values;
}

const split = (header: string) =>
  header
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .slice(0, 16);

/** PagerDuty's `X-PagerDuty-Signature` over the raw body, against the current secrets (one, or two in rotation). */
export function verifyPagerDutySignature(
  body: Buffer,
  header: string | undefined,
  secrets: readonly string[],
): SignatureVerdict {
  if (!header) return 'missing';
  if (header.length > 1024) return 'malformed';
  const values = v1Values(split(header));
  if (!values) return 'malformed';
  return anyMatches(values, secrets, (secret) => hmac(secret, body)) ? 'ok' : 'mismatch';
}

/** The generic `X-Autopilot-Signature: t=<unix>,v1=<hex>` over `t.body`, within `toleranceMs` of `nowMs`. */
export function verifyAutopilotSignature(
  body: Buffer,
  header: string | undefined,
  secrets: readonly string[],
  nowMs: number,
  toleranceMs = 300_000,
): SignatureVerdict {
  if (!header) return 'missing';
  if (header.length > 1024) return 'malformed';
  const parts = split(header);
  const t = parts.find((p) => p.startsWith('t='))?.slice(2) ?? '';
  const values = v1Values(parts);
  if (!/^\d{1,12}$/.test(t) || !values) return 'malformed';
  if (Math.abs(nowMs - Number(t) * 1000) > toleranceMs) return 'stale';
  return anyMatches(values, secrets, (secret) => hmac(secret, `${t}.`, body)) ? 'ok' : 'mismatch';
}

/** Signs as a sender would (`npm run send -- --webhook`, tests). */
export const signPagerDuty = (body: Buffer | string, secret: string) =>
  `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
export const signAutopilot = (body: Buffer | string, secret: string, nowMs: number) => {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex')}`;
};
