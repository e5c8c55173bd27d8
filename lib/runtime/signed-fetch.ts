/**
 * A fetch signed with SigV4 for one AWS service, query included: the calls the functions make without that service's
 * SDK in the bundle (Security Hub's BatchUpdateFindings; SQS, EventBridge and SSM through aws-json.ts), and the
 * cockpit's requests to the operators' function URL — only the signer the Wickr client carries already.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** Sends `body` to `url` with `method` and `headers`, signed for `service` in `region`. */
export type SignedFetch = (
  url: URL,
  request: { readonly method: string; readonly headers: Record<string, string>; readonly body?: string | undefined },
) => Promise<Response>;

export function signedFetch(
  service: string,
  region: string,
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
  fetchImpl: typeof fetch = fetch,
): SignedFetch {
  const signer = new SignatureV4({ service, region, credentials, sha256: Sha256 });
  return async (url, { method, headers, body }) => {
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host, ...headers },
      body,
    });
    return fetchImpl(url, { method, headers: signed.headers as Record<string, string>, body });
  };
}
