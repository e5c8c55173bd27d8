import { createHash } from 'node:crypto';
import type { SecurityHubFinding, SecurityHubFindingsImportedEvent } from '../events/security-hub-events.js';
import type { IncidentSection } from '../policy-file/incident-section.js';
import { declare, type IncidentDeps, type IncidentOutcome, resolve } from './handle-incident.js';
import type { Invocation } from './ports.js';

/** The incident id of a finding: derived, stable, and free of the characters a finding id may hold. */
export function findingIncidentId(findingId: string): string {
  return `SH-${createHash('sha256').update(findingId).digest('hex').slice(0, 32)}`;
}

/** What one finding did. */
export type FindingOutcome =
  | { readonly incidentId: string; readonly action: 'declared' | 'resolved'; readonly outcome: IncidentOutcome }
  | { readonly incidentId: string; readonly action: 'ignored'; readonly reason: string };

// A finding's title reaches the popup: no control characters, and within the contract's 200 characters.
const titleOf = (finding: SecurityHubFinding) =>
  finding.Title ? finding.Title.replace(/\p{Cc}/gu, ' ').slice(0, 200) : 'Security Hub finding';

/**
 * Security Hub findings: a finding with a mapped severity label and workflow status NEW declares an incident;
 * the same finding RESOLVED, SUPPRESSED or archived resolves it. Other findings are ignored, and say why.
 */
export async function handleSecurityHubFindings(
  event: SecurityHubFindingsImportedEvent,
  invocation: Invocation,
  deps: IncidentDeps & { readonly securityHub: IncidentSection['securityHub'] },
): Promise<{ readonly findings: readonly FindingOutcome[] }> {
  const findings: FindingOutcome[] = [];
  for (const finding of event.detail.findings) {
    const incidentId = findingIncidentId(finding.Id);
    const status = finding.Workflow?.Status ?? 'NEW';
    const severity = deps.securityHub.severityMapping[finding.Severity.Label];
    if (status === 'RESOLVED' || status === 'SUPPRESSED' || finding.RecordState === 'ARCHIVED') {
      const outcome = await resolve({ incidentId, resolvedAt: event.time }, 'Security Hub', invocation, deps);
      findings.push({ incidentId, action: 'resolved', outcome });
    } else if (status === 'NEW' && severity) {
      const outcome = await declare(
        { incidentId, severity, title: titleOf(finding), declaredAt: event.time },
        'Security Hub',
        invocation,
        deps,
      );
      findings.push({ incidentId, action: 'declared', outcome });
    } else {
      const reason = severity ? `workflow status ${status}` : `severity ${finding.Severity.Label} is not mapped`;
      deps.logger.info('Security Hub finding ignored', { incidentId, reason });
      findings.push({ incidentId, action: 'ignored', reason });
    }
  }
  return { findings };
}
