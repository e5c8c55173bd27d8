/**
 * Security Hub's imported findings (`aws.securityhub`, `Security Hub Findings - Imported`) as canonical incident
 * facts: a finding with a mapped severity label and workflow status NEW declares an incident; the same finding in a
 * status (or record state) of `securityHub.resolveOn` resolves it; NEW with a label no longer mapped withdraws it
 * where it is active. Only AWS's own products the policy names, from the deployment's accounts, are heard.
 */
import { createHash } from 'node:crypto';
import type { IncidentFact } from '../events/incident-fact.js';
import type { SecurityHubFinding, SecurityHubFindingsImportedEvent } from '../events/security-hub-events.js';
import type { IncidentSection } from '../policy-file/incident-section.js';
import { normalizeText, truncate } from '../safe-text.js';

/**
 * The incident id of a finding: derived from its product, account and id together — a custom product importing a
 * finding with a real GuardDuty finding's `Id` names another incident — stable, and free of the characters a
 * finding id may hold.
 */
export function findingIncidentId(finding: Pick<SecurityHubFinding, 'ProductArn' | 'AwsAccountId' | 'Id'>): string {
  const key = [finding.ProductArn, finding.AwsAccountId, finding.Id].join('\n');
  return `SH-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

/** Which findings may declare: AWS's own products named in `products`, from the accounts named in `accounts`. */
export interface FindingOrigins {
  /** Product names under `product/aws/` (e.g. `guardduty`); a custom product never qualifies. */
  readonly products: readonly string[];
  readonly accounts: readonly string[];
}

function originProblem(finding: SecurityHubFinding, origins: FindingOrigins): string | undefined {
  const product = finding.ProductArn.match(/:\d{0,12}:product\/aws\/([\w.-]+)$/)?.[1];
  const awsOwned = /::product\/aws\//.test(finding.ProductArn);
  if (!awsOwned || !product || !origins.products.includes(product)) return 'product is not an accepted AWS product';
  if (!origins.accounts.includes(finding.AwsAccountId)) return 'account is not one of this deployment';
  return undefined;
}

/** The fact one finding of an import states. */
function factOfFinding(
  finding: SecurityHubFinding,
  event: SecurityHubFindingsImportedEvent,
  section: Pick<IncidentSection['securityHub'], 'severityMapping' | 'resolveOn'>,
  origins: FindingOrigins,
): IncidentFact {
  const incidentId = findingIncidentId(finding);
  const problem = originProblem(finding, origins);
  if (problem) return { kind: 'ignored', incidentId, reason: problem, refused: true };
  // The import our own write-back caused (a note by us, status NOTIFIED): telling it must never act again.
  if (finding.Note?.UpdatedBy === 'wickr-autopilot' && finding.Workflow?.Status === 'NOTIFIED') {
    return { kind: 'ignored', incidentId, reason: 'our own write-back (note and NOTIFIED)' };
  }
  const status = finding.Workflow?.Status ?? 'NEW';
  const severity = section.severityMapping[finding.Severity.Label];
  const resolveOn: readonly string[] = section.resolveOn;
  const archived = finding.RecordState === 'ARCHIVED' && resolveOn.includes('ARCHIVED');
  if (resolveOn.includes(status) || archived)
    return { kind: 'resolved', incidentId, at: event.time, eventId: event.id };
  const unmapped = `severity ${finding.Severity.Label} is not mapped`;
  if (status === 'NEW' && severity) {
    // The title reaches the popup: normalised and within the contract's 200 characters (the popup escapes it).
    const title = finding.Title ? truncate(normalizeText(finding.Title), 200) : 'Security Hub finding';
    return { kind: 'declared', incidentId, severity, title, at: event.time, eventId: event.id };
  }
  // A later import whose label is no longer mapped: the finding stopped being an incident where it was one.
  if (status === 'NEW') return { kind: 'no-longer-rates', incidentId, at: event.time, reason: unmapped };
  const reason = severity ? `workflow status ${status} does not resolve (securityHub.resolveOn)` : unmapped;
  return { kind: 'ignored', incidentId, reason };
}

/** The facts an import states, one per finding, in its order. */
export function factsOfFindings(
  event: SecurityHubFindingsImportedEvent,
  section: Pick<IncidentSection['securityHub'], 'severityMapping' | 'resolveOn'>,
  origins: FindingOrigins,
): IncidentFact[] {
  return event.detail.findings.map((finding) => factOfFinding(finding, event, section, origins));
}
