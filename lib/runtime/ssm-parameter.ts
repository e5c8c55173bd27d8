/**
 * One SSM Parameter Store read (`GetParameter`, decrypted) over a SigV4-signed fetch — no SSM SDK in the bundle of a
 * function that reads one key — kept in memory at most `maxAgeMs`; a failed read is not kept. `endpoint` for the
 * local stack's stand-in.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { AutomationError } from '../failure.js';
import { nodeProviderChain } from '../wickr/signer.js';
import { signedFetch } from './signed-fetch.js';

/** SSM refused the read. */
export class ParameterReadError extends AutomationError {
  override name = 'ParameterReadError';
  constructor(name: string, status: number) {
    super(`SSM GetParameter of ${name} answered ${status}`, {
      retryable: status === 429 || status >= 500,
      code: 'PARAMETER_READ_FAILED',
    });
  }
}

/** A reader of one SecureString's value, cached. */
export function ssmParameter(
  name: string,
  c: { readonly region: string; readonly endpoint?: string | undefined },
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider = nodeProviderChain,
  { maxAgeMs = 300_000, nowMs = Date.now, fetchImpl = fetch as typeof fetch } = {},
): () => Promise<string | undefined> {
  const send = signedFetch('ssm', c.region, credentials, fetchImpl);
  let held: { value: Promise<string | undefined>; at: number } | undefined;
  const read = async () => {
    const url = new URL('/', c.endpoint ?? `https://ssm.${c.region}.amazonaws.com`);
    const body = JSON.stringify({ Name: name, WithDecryption: true });
    const response = await send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.GetParameter' },
      body,
    });
    if (!response.ok) throw new ParameterReadError(name, response.status);
    return ((await response.json()) as { Parameter?: { Value?: string } }).Parameter?.Value;
  };
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
