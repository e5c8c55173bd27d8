/**
 * GuardDuty's finding (`aws.guardduty`, `GuardDuty Finding`) as our canonical account fact: an IAM finding at or above
 * the policy's severity, from an account the policy names, about a principal whose name its caller could not choose —
 * an IAM user, an Identity Center session (`AWSReservedSSO_*`, whose session name Identity Center sets), a session's
 * `SourceIdentity`, or a session of a role the policy trusts — a domain appended where the name lacks one. The
 * finding id is its case, so an update of it is the same case.
 */
import type { AccountFact, GuardDutyFindingEvent } from '../events/account-events.js';
import type { ContainmentSection } from '../policy-file/containment-section.js';

/** Identity Center's roles: their session names are set by Identity Center, never by the caller. */
const identityCenterRole = /^AWSReservedSSO_/;

/** What a finding says of its principal: a name nobody but AWS or a trusted broker chose, or why there is none. */
export type FindingPrincipal = { readonly name: string } | { readonly unresolved: string };

/** The principal a finding's access key belongs to, from names its caller cannot choose only. */
export function principalOfFinding(
  key: GuardDutyFindingEvent['detail']['resource']['accessKeyDetails'],
  trustedRoles: readonly string[],
): FindingPrincipal {
  if (!key) return { unresolved: 'no principal in the finding' };
  if (key.userType === 'IAMUser') {
    return key.userName ? { name: key.userName } : { unresolved: 'no IAM user name in the finding' };
  }
  if (key.userType !== 'AssumedRole') return { unresolved: `principal type ${key.userType ?? 'absent'} names no one` };
  // SourceIdentity is fixed at the first AssumeRole and carried through every chained session.
  if (key.sourceIdentity) return { name: key.sourceIdentity };
  const role = key.userName ?? '';
  const session = key.principalId?.split(':').slice(1).join(':') ?? '';
  if (!session) return { unresolved: 'no session name in the finding' };
  if (identityCenterRole.test(role) || trustedRoles.includes(role)) return { name: session };
  return { unresolved: 'session name chosen by the caller' };
}

/** The fact a GuardDuty finding states, or why it states none (`unresolved`: a finding that names no one we may act on). */
export function factOfFinding(
  event: GuardDutyFindingEvent,
  section: ContainmentSection,
): AccountFact | { readonly ignored: string; readonly unresolved?: boolean } {
  const finding = event.detail;
  if (finding.resource.resourceType !== 'AccessKey') return { ignored: 'not an IAM finding (resourceType AccessKey)' };
  if (finding.severity < section.guardDuty.minimumSeverity) {
    return { ignored: `severity ${finding.severity} is below containment.guardDuty.minimumSeverity` };
  }
  if (finding.service?.archived) return { ignored: 'archived: an archiving releases nothing' };
  const accounts = section.guardDuty.accounts.length > 0 ? section.guardDuty.accounts : [event.account];
  if (!finding.accountId || !accounts.includes(finding.accountId)) {
    return { ignored: `account ${finding.accountId ?? 'absent'} is not in containment.guardDuty.accounts` };
  }
  const principal = principalOfFinding(finding.resource.accessKeyDetails, section.guardDuty.trustedRoles);
  if ('unresolved' in principal) return { ignored: principal.unresolved, unresolved: true };
  const domain = section.guardDuty.usernameDomain;
  const subject = principal.name.includes('@') || !domain ? principal.name : `${principal.name}@${domain}`;
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
