import type { SecurityHubFindingsImportedEvent } from '../events/security-hub-events.js';
import type { IncidentSection } from '../policy-file/incident-section.js';
import { type FindingOrigins, factsOfFindings } from '../sources/security-hub-finding.js';
import { applyIncidentFact, type SourceFactOutcome } from './apply-incident-fact.js';
import type { IncidentDeps, Invocation } from './ports.js';

/** What one finding did. */
export type FindingOutcome = SourceFactOutcome;

/**
 * Security Hub findings: each finding's fact (`lib/sources/security-hub-finding.ts` says which declare, resolve or
 * withdraw, and which origins are heard) applied in order in the Security Hub channel; a NEW finding after its
 * resolution declares again (a declaration newer than its resolution reopens it). Others are ignored, and say why.
 */
export async function handleSecurityHubFindings(
  event: SecurityHubFindingsImportedEvent,
  invocation: Invocation,
  deps: IncidentDeps & { readonly securityHub: IncidentSection['securityHub']; readonly origins: FindingOrigins },
): Promise<{ readonly findings: readonly FindingOutcome[] }> {
  const findings: FindingOutcome[] = [];
  for (const fact of factsOfFindings(event, deps.securityHub, deps.origins)) {
    const origin = { channel: 'securityhub', label: 'Security Hub' } as const;
    findings.push(await applyIncidentFact(fact, origin, invocation, deps, event.id));
  }
  return { findings };
}
