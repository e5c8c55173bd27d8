/**
 * The containment function's use case: our own account facts and GuardDuty's IAM findings, each made a case of one
 * account — GuardDuty's finding id is its case, so an update of it is the same case, and neither an update nor an
 * archiving releases anything (only `Account Cleared` or the on-call does).
 */
import type { AccountEvent } from '../events/account-events.js';
import { operatorActionsSource, unverifiedClaim, unverifiedClaimReason } from '../events/operator-actions.js';
import { operatorsSource } from '../holds/hold.js';
import type { ContainmentSection } from '../policy-file/containment-section.js';
import { factOfFinding } from '../sources/guardduty-finding.js';
import { factOfOktaSignal } from '../sources/okta-signal.js';
import { applyContainmentHold } from './apply-containment-hold.js';
import { type AccountOutcome, takeAccountFact } from './contain-account.js';
import { ContainmentInputError } from './errors.js';
import type { ContainmentDeps } from './ports.js';
import { type SweepReport, sweepContainments } from './sweep-containments.js';

/** The use case's ports: containment's, the policy section, and Okta's partner source (when connected). */
export interface AccountEventDeps extends ContainmentDeps {
  readonly section: ContainmentSection;
  readonly oktaSource?: string | undefined;
}

/** What one event did: an account's outcome, or nothing (and why). */
export type AccountEventOutcome = AccountOutcome | { readonly result: 'ignored'; readonly reason: string };

/** Takes one event. */
export async function handleAccountEvent(
  event: AccountEvent,
  deps: AccountEventDeps,
): Promise<AccountEventOutcome | SweepReport | Awaited<ReturnType<typeof applyContainmentHold>>> {
  if (event['detail-type'] === 'Scheduled Event') {
    if (event.source !== 'aws.scheduler')
      throw new ContainmentInputError('source', 'must be aws.scheduler for the sweep');
    return sweepContainments(deps, new Date(event.time).toISOString());
  }
  if (event['detail-type'] === 'Wickr Hold Decision') {
    if (event.source !== operatorsSource) throw new ContainmentInputError('source', `must be ${operatorsSource}`);
    return applyContainmentHold(deps, event.detail.holdId);
  }
  if (event['detail-type'] === 'SystemLog') {
    if (!deps.oktaSource || event.source !== deps.oktaSource) {
      throw new ContainmentInputError('source', 'must be the oktaEventSource this deployment names');
    }
    const fact = factOfOktaSignal(event, deps.section);
    if ('ignored' in fact) {
      deps.logger.info('Okta signal contains no one', { eventId: event.id, reason: fact.ignored });
      await deps.publisher.publish('Wickr Account Fact Ignored', {
        source: 'okta',
        eventId: event.id,
        reason: fact.ignored,
      });
      return { result: 'ignored', reason: fact.ignored };
    }
    return takeAccountFact(deps, fact);
  }
  if (event['detail-type'] === 'GuardDuty Finding') {
    if (event.source !== 'aws.guardduty')
      throw new ContainmentInputError('source', 'must be aws.guardduty for findings');
    const fact = factOfFinding(event, deps.section);
    if ('ignored' in fact) {
      deps.logger.info('GuardDuty finding contains no one', { findingId: event.detail.id, reason: fact.ignored });
      // One answer naming the event: a principal it cannot name (Unresolved), or why it contains no one.
      await deps.publisher.publish(fact.unresolved ? 'Wickr Account Unresolved' : 'Wickr Account Fact Ignored', {
        caseId: `GD-${event.detail.id.slice(0, 120)}`,
        source: 'guardduty',
        reason: fact.ignored,
        eventId: event.id,
      });
      return { result: 'ignored', reason: fact.ignored };
    }
    return takeAccountFact(deps, fact);
  }
  if (event.source === 'aws.guardduty') {
    throw new ContainmentInputError('source', 'must be the incident source for account facts');
  }
  // The on-call's own containment is the operators' entry point's alone: a field of a bus fact cannot make it so.
  const claim = unverifiedClaim(event);
  if (claim) throw new ContainmentInputError(claim, unverifiedClaimReason);
  const { caseId, subject, reason, networkId } = event.detail;
  return takeAccountFact(deps, {
    caseId,
    subject,
    networkId,
    compromised: event['detail-type'] === 'Account Compromised',
    time: new Date(event.time).toISOString(),
    source: event.source === operatorActionsSource ? 'on-call' : 'incidents',
    reason,
    eventId: event.id,
  });
}
