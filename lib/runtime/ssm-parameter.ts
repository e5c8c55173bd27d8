/**
 * One SSM Parameter Store read (`GetParameter`, decrypted) over a SigV4-signed fetch — no SSM SDK in the bundle of a
 * function that reads one key — kept in memory at most `maxAgeMs`; a failed read is not kept. `endpoint` for the
 * local stack's stand-in.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { AutomationError } from '../failure.js';
import { nodeProviderChain } from '../wickr/signer.js';

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
  const signer = new SignatureV4({ service: 'ssm', region: c.region, credentials, sha256: Sha256 });
  let held: { value: Promise<string | undefined>; at: number } | undefined;
  const read = async () => {
    const url = new URL('/', c.endpoint ?? `https://ssm.${c.region}.amazonaws.com`);
    const body = JSON.stringify({ Name: name, WithDecryption: true });
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonSSM.GetParameter',
      },
      body,
    });
    const response = await fetchImpl(url, { method: 'POST', headers: signed.headers, body });
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
