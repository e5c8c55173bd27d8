import { createHash } from 'node:crypto';
import type { SecurityHubFinding, SecurityHubFindingsImportedEvent } from '../events/security-hub-events.js';
import type { IncidentSection } from '../policy-file/incident-section.js';
import { normalizeText, truncate } from '../safe-text.js';
import { declare, resolve, withdraw } from './handle-incident.js';
import type { IncidentDeps, IncidentOutcome, Invocation } from './ports.js';

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

/** What one finding did. */
export type FindingOutcome =
  | { readonly incidentId: string; readonly action: 'declared' | 'resolved'; readonly outcome: IncidentOutcome }
  | { readonly incidentId: string; readonly action: 'ignored'; readonly reason: string };

// A finding's title reaches the popup: normalised, and within the contract's 200 characters (the popup
// renderer breaks its links and escapes it).
const titleOf = (finding: SecurityHubFinding) =>
  finding.Title ? truncate(normalizeText(finding.Title), 200) : 'Security Hub finding';

/**
 * Security Hub findings: a finding with a mapped severity label and workflow status NEW declares an incident;
 * the same finding in a status (or record state) of `securityHub.resolveOn` — by default RESOLVED, SUPPRESSED or
 * archived — resolves it; NEW again later declares it again (a declaration newer than its resolution reopens it).
 * Other findings are ignored, and say why.
 */
export async function handleSecurityHubFindings(
  event: SecurityHubFindingsImportedEvent,
  invocation: Invocation,
  deps: IncidentDeps & { readonly securityHub: IncidentSection['securityHub']; readonly origins: FindingOrigins },
): Promise<{ readonly findings: readonly FindingOutcome[] }> {
  const findings: FindingOutcome[] = [];
  for (const finding of event.detail.findings) {
    const incidentId = findingIncidentId(finding);
    const problem = originProblem(finding, deps.origins);
    if (problem) {
      deps.logger.warn('Security Hub finding refused', { incidentId, reason: problem });
      findings.push({ incidentId, action: 'ignored', reason: problem });
      continue;
    }
    const status = finding.Workflow?.Status ?? 'NEW';
    const severity = deps.securityHub.severityMapping[finding.Severity.Label];
    const resolveOn: readonly string[] = deps.securityHub.resolveOn;
    const archived = finding.RecordState === 'ARCHIVED' && resolveOn.includes('ARCHIVED');
    if (resolveOn.includes(status) || archived) {
      const resolution = { incidentId, resolvedAt: event.time, channel: 'securityhub' as const, eventId: event.id };
      const outcome = await resolve(resolution, 'Security Hub', invocation, deps);
      findings.push({ incidentId, action: 'resolved', outcome });
    } else if (status === 'NEW' && severity) {
      const outcome = await declare(
        {
          incidentId,
          severity,
          title: titleOf(finding),
          declaredAt: event.time,
          channel: 'securityhub',
          eventId: event.id,
        },
        'Security Hub',
        invocation,
        deps,
      );
      findings.push({ incidentId, action: 'declared', outcome });
    } else if (status === 'NEW') {
      // A later import whose label is no longer mapped: the finding stopped being an incident where it was one.
      const networkIds = await deps.store.activeOn(deps.networkIds, incidentId, 'securityhub');
      if (networkIds.length > 0) {
        const at = event.time;
        const outcome = {
          incidentId,
          networks: await withdraw({ incidentId, channel: 'securityhub', at, networkIds }, invocation, deps),
        };
        findings.push({ incidentId, action: 'resolved', outcome });
      } else {
        const reason = `severity ${finding.Severity.Label} is not mapped`;
        deps.logger.info('Security Hub finding ignored', { incidentId, reason });
        findings.push({ incidentId, action: 'ignored', reason });
      }
    } else {
      const reason = severity
        ? `workflow status ${status} does not resolve (securityHub.resolveOn)`
        : `severity ${finding.Severity.Label} is not mapped`;
      deps.logger.info('Security Hub finding ignored', { incidentId, reason });
      findings.push({ incidentId, action: 'ignored', reason });
    }
  }
  return { findings };
}
