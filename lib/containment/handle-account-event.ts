/**
 * The containment function's use case: our own account facts and GuardDuty's IAM findings, each made a case of one
 * account — GuardDuty's finding id is its case, so an update of it is the same case, and neither an update nor an
 * archiving releases anything (only `Account Cleared` or the on-call does).
 */
import type { AccountEvent, GuardDutyFindingEvent } from '../events/account-events.js';
import type { OktaSystemLogEvent } from '../events/okta-events.js';
import { operatorsSource } from '../holds/hold.js';
import type { ContainmentSection } from '../policy-file/containment-section.js';
import { applyContainmentHold } from './apply-containment-hold.js';
import { type AccountFact, type AccountOutcome, ContainmentInputError, takeAccountFact } from './contain-account.js';
import type { ContainmentDeps } from './ports.js';
import { type SweepReport, sweepContainments } from './sweep-containments.js';

/** The use case's ports: containment's, the policy section, and Okta's partner source (when connected). */
export interface AccountEventDeps extends ContainmentDeps {
  readonly section: ContainmentSection;
  readonly oktaSource?: string | undefined;
}

/** What one event did: an account's outcome, or nothing (and why). */
export type AccountEventOutcome = AccountOutcome | { readonly result: 'ignored'; readonly reason: string };

/** The fact a GuardDuty finding states, or why it states none. */
export function factOfFinding(
  event: GuardDutyFindingEvent,
  section: ContainmentSection,
): AccountFact | { readonly ignored: string } {
  const finding = event.detail;
  if (finding.resource.resourceType !== 'AccessKey') return { ignored: 'not an IAM finding (resourceType AccessKey)' };
  if (finding.severity < section.guardDuty.minimumSeverity) {
    return { ignored: `severity ${finding.severity} is below containment.guardDuty.minimumSeverity` };
  }
  if (finding.service?.archived) return { ignored: 'archived: an archiving releases nothing' };
  const key = finding.resource.accessKeyDetails;
  // An assumed role's session name is the part of principalId after ':' (SSO sessions: often the person's e-mail).
  const name =
    key?.userType === 'AssumedRole' ? key.principalId?.split(':').slice(1).join(':') : (key?.userName ?? undefined);
  if (!name) return { ignored: 'no principal name to resolve (containment reports it)' };
  const domain = section.guardDuty.usernameDomain;
  const subject = name.includes('@') || !domain ? name : `${name}@${domain}`;
  const updated = Date.parse(finding.updatedAt ?? '');
  return {
    caseId: `GD-${finding.id.slice(0, 120)}`,
    subject,
    compromised: true,
    time: new Date(Number.isNaN(updated) ? Date.parse(event.time) : updated).toISOString(),
    source: 'guardduty',
    reason: finding.type,
    eventId: event.id,
  };
}

/** The fact an Okta signal states — its user, as the Okta intake provisions them (`okta:<id>`) — or why none. */
export function factOfOktaSignal(
  event: OktaSystemLogEvent,
  section: ContainmentSection,
): AccountFact | { readonly ignored: string } {
  const log = event.detail;
  if (!(section.okta.eventTypes as readonly string[]).includes(log.eventType)) {
    return { ignored: `${log.eventType.slice(0, 64)} is not one of containment.okta.eventTypes` };
  }
  if (log.outcome.result !== 'SUCCESS') return { ignored: 'not a successful action' };
  const user = log.target.find((t) => t.type === 'User');
  if (!user) return { ignored: 'no user target' };
  return {
    caseId: `OKTA-${log.uuid}`,
    subject: `okta:${user.id}`,
    compromised: true,
    time: new Date(log.published).toISOString(),
    source: 'okta',
    reason: log.eventType,
    eventId: event.id,
  };
}

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
      if (fact.ignored.startsWith('no principal')) {
        await deps.publisher.publish('Wickr Account Unresolved', {
          caseId: `GD-${event.detail.id.slice(0, 120)}`,
          source: 'guardduty',
          reason: fact.ignored,
        });
      }
      return { result: 'ignored', reason: fact.ignored };
    }
    return takeAccountFact(deps, fact);
  }
  if (event.source === 'aws.guardduty') {
    throw new ContainmentInputError('source', 'must be the incident source for account facts');
  }
  const { caseId, subject, reason, networkId, requestedBy } = event.detail;
  return takeAccountFact(deps, {
    caseId,
    subject,
    networkId,
    compromised: event['detail-type'] === 'Account Compromised',
    time: new Date(event.time).toISOString(),
    source: requestedBy ? 'on-call' : 'incidents',
    reason,
    eventId: event.id,
  });
}
