/** An account's case facts recorded in its record, whatever order they arrive in. */
import type { CaseFact } from '../events/account-events.js';
import { mergeCaseFact } from './account-case.js';
import { ContainmentError } from './errors.js';
import type { ContainmentDeps } from './ports.js';

const attempts = 8;

/** Records a case fact in an account's cases (over the revision read: a concurrent fact makes this one read again). */
export async function recordCase(
  deps: ContainmentDeps,
  at: { networkId: string; userId: string; employeeId?: string },
  fact: CaseFact,
) {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const kept = await deps.accounts.get(at.networkId, at.userId);
    const merged = mergeCaseFact(kept?.cases ?? {}, fact, new Date(deps.nowMs()).toISOString());
    // A fact already held still reconciles: an earlier delivery may have died between the record and Wickr.
    if (!merged.changed) return;
    if (await deps.accounts.putCases({ ...at, cases: merged.cases }, kept?.revision)) return;
  }
  throw new ContainmentError('an account kept changing under concurrent facts', {
    retryable: true,
    code: 'ACCOUNT_CONTENDED',
  });
}
