/**
 * A fetch signed with SigV4 for one AWS service: the one call an adapter makes (Security Hub's BatchUpdateFindings,
 * SSM's GetParameter) without that service's SDK in the bundle, only the signer the Wickr client carries already.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** Sends `body` to `url` with `method` and `headers`, signed for `service` in `region`. */
export type SignedFetch = (
  url: URL,
  request: { readonly method: string; readonly headers: Record<string, string>; readonly body: string },
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
      headers: { host: url.host, ...headers },
      body,
    });
    return fetchImpl(url, { method, headers: signed.headers, body });
  };
}
