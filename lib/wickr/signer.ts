import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, HttpRequest } from '@smithy/types';

/** The SigV4 signing name of the Wickr Admin API; it differs from the host prefix `admin.wickr`. */
export const signingName = 'wickr';

/** Signs one HTTP request; injectable so tests and other signers can stand in. */
export interface RequestSigner {
  sign(request: HttpRequest): Promise<HttpRequest>;
}

/** Credentials as given, or a provider of them. */
export type WickrCredentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

// Loaded only when no credentials are given, so a function with injected credentials never pays for the chain.
let defaultChain: AwsCredentialIdentityProvider | undefined;
/** The AWS SDK's Node credential provider chain, loaded on first use. */
export const nodeProviderChain: AwsCredentialIdentityProvider = async () => {
  defaultChain ??= (await import('@aws-sdk/credential-provider-node')).defaultProvider();
  return defaultChain();
};

/** A SigV4 signer for the Wickr Admin API; credentials default to the AWS SDK's Node provider chain. */
export function createSigV4Signer(region: string, credentials: WickrCredentials = nodeProviderChain): RequestSigner {
  return new SignatureV4({ service: signingName, region, credentials, sha256: Sha256 });
}
