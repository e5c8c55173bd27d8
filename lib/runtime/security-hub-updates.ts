/**
 * Security Hub's BatchUpdateFindings over fetch, signed with SigV4 for `securityhub`: the write-back's one call, with
 * no Security Hub SDK in the bundle. `endpoint` for the local stack's stand-in.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { AutomationError } from '../failure.js';
import type { FindingUpdates } from '../incident/handle-security-hub.js';
import type { BatchUpdateFindingsInput } from '../incident/security-hub-write-back.js';
import { nodeProviderChain } from '../wickr/signer.js';
import { type SignedFetch, signedFetch } from './signed-fetch.js';

/** Security Hub refused the update. */
export class SecurityHubUpdateError extends AutomationError {
  override name = 'SecurityHubUpdateError';
  constructor(message: string, status: number) {
    super(message, { retryable: status === 429 || status >= 500, code: 'SECURITY_HUB_UPDATE_FAILED' });
  }
}

/** BatchUpdateFindings as the write-back calls it. */
export class SecurityHubUpdates implements FindingUpdates {
  readonly #send: SignedFetch;

  constructor(
    private readonly region: string,
    private readonly endpoint?: string,
    credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider = nodeProviderChain,
    fetchImpl: typeof fetch = fetch,
  ) {
    this.#send = signedFetch('securityhub', region, credentials, fetchImpl);
  }

  async batchUpdateFindings(input: BatchUpdateFindingsInput): Promise<{ unprocessed: number }> {
    const url = new URL('/findings/batchupdate', this.endpoint ?? `https://securityhub.${this.region}.amazonaws.com`);
    const body = JSON.stringify(input);
    const response = await this.#send(url, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const answer = (await response.json().catch(() => ({}))) as { UnprocessedFindings?: unknown[]; message?: string };
    if (!response.ok) {
      throw new SecurityHubUpdateError(
        `BatchUpdateFindings: ${response.status} ${answer.message ?? ''}`.trim(),
        response.status,
      );
    }
    return { unprocessed: answer.UnprocessedFindings?.length ?? 0 };
  }
}
