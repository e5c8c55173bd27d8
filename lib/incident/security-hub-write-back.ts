/**
 * What the lockdown of a Security Hub finding tells Security Hub (`incident.securityHub.writeBack`): a note on the
 * finding — the severity, the groups changed, the networks, and the event that declared it, which the outcomes name —
 * and its workflow status set to NOTIFIED. Pure: the source handler sends it. The import this update causes comes
 * back as NOTIFIED, which the rule does not deliver and the validator keeps out of `resolveOn`; a finding whose note
 * is our own is ignored besides, so the write-back can never act again.
 */
import type { SecurityHubFinding } from '../events/security-hub-events.js';
import type { SourceFactOutcome } from './apply-incident-fact.js';

/** Who the notes name as their author; a finding whose note says so is our own write-back. */
export const writeBackAuthor = 'wickr-autopilot';

/** A BatchUpdateFindings request, in the API's member names. */
export interface BatchUpdateFindingsInput {
  readonly FindingIdentifiers: readonly { readonly Id: string; readonly ProductArn: string }[];
  readonly Note: { readonly Text: string; readonly UpdatedBy: string };
  readonly Workflow: { readonly Status: 'NOTIFIED' };
}

// Security Hub takes a note of at most 512 characters.
const maxNote = 512;

/** The update for a finding whose declaration locked networks down; undefined when nothing was applied. */
export function writeBackOf(
  finding: Pick<SecurityHubFinding, 'Id' | 'ProductArn'>,
  applied: SourceFactOutcome,
  context: { readonly severity: string; readonly eventId: string },
): BatchUpdateFindingsInput | undefined {
  if (applied.action !== 'declared') return undefined;
  const networks = applied.outcome.networks;
  const locked = networks.filter((n) => n.result === 'reconciled' || n.result === 'handed-over');
  if (locked.length === 0) return undefined;
  const groups = networks.reduce((sum, n) => sum + (n.result === 'reconciled' ? n.summary.groupsChanged : 0), 0);
  const underWay = networks.filter((n) => n.result === 'handed-over').length;
  const text = [
    `${writeBackAuthor}: ${context.severity} lockdown applied to ${groups} group(s)`,
    `on network(s) ${locked.map((n) => n.networkId).join(', ')}`,
    underWay > 0 ? `(${underWay} still being applied)` : '',
    `— incident ${applied.incidentId}, fact ${context.eventId}`,
  ]
    .filter(Boolean)
    .join(' ');
  return {
    FindingIdentifiers: [{ Id: finding.Id, ProductArn: finding.ProductArn }],
    Note: { Text: text.length > maxNote ? `${text.slice(0, maxNote - 1)}…` : text, UpdatedBy: writeBackAuthor },
    Workflow: { Status: 'NOTIFIED' },
  };
}
