/**
 * GuardDuty's finding (`aws.guardduty`, `GuardDuty Finding`) as our canonical account fact: an IAM finding at or above
 * the policy's severity names its principal — an `AssumedRole` session name, else the IAM user name, a domain
 * appended where it lacks one — and the finding id is its case, so an update of it is the same case.
 */
import type { AccountFact, GuardDutyFindingEvent } from '../events/account-events.js';
import type { ContainmentSection } from '../policy-file/containment-section.js';

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
