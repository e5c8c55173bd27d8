/**
 * What taking a fact about a guest or a bot shares: the networks it may name, the answer when nobody matches, and
 * the case recorded and reconciled on every network where the subject was found.
 */
import type { AccountFact } from '../events/account-events.js';
import type { AccountOutcome } from './account-outcome.js';
import type { ContainmentDeps } from './ports.js';
import { recordCase } from './record-case.js';

/** The networks a fact may act on (the one it names, or every managed one), or why none. */
export function networksOf(deps: ContainmentDeps, fact: AccountFact): readonly string[] | string {
  if (fact.networkId && !deps.networkIds.includes(fact.networkId)) return 'the network is not in the policy';
  return fact.networkId ? [fact.networkId] : deps.networkIds;
}

/** The fact names nobody this deployment can act on: said once, with the reason (ids only). */
export async function unresolvedFact(
  deps: ContainmentDeps,
  fact: AccountFact,
  reason: string,
): Promise<AccountOutcome> {
  deps.logger.warn('Account fact for no account we manage', { caseId: fact.caseId, reason });
  await deps.publisher.publish('Wickr Account Unresolved', {
    caseId: fact.caseId,
    source: fact.source,
    reason,
    eventId: fact.eventId,
  });
  return { result: 'unresolved', reason };
}

/** Records the fact's case on each account found, reconciles each; the first one's outcome answers the fact. */
export async function takeOnEach(
  deps: ContainmentDeps,
  fact: AccountFact,
  found: readonly { networkId: string; userId: string; reconcile: () => Promise<AccountOutcome> }[],
): Promise<AccountOutcome> {
  let first: AccountOutcome | undefined;
  for (const { networkId, userId, reconcile } of found) {
    await recordCase(deps, { networkId, userId }, fact);
    first ??= await reconcile();
  }
  return first as AccountOutcome;
}
