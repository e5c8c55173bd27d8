import type { SecurityHubFindingsImportedEvent } from '../events/security-hub-events.js';
import type { IncidentSection } from '../policy-file/incident-section.js';
import { type FindingOrigins, factsOfFindings } from '../sources/security-hub-finding.js';
import { publicReason } from '../wickr/index.js';
import { applyIncidentFact, type SourceFactOutcome } from './apply-incident-fact.js';
import type { IncidentDeps, Invocation } from './ports.js';
import { type BatchUpdateFindingsInput, writeBackOf } from './security-hub-write-back.js';

/** What one finding did. */
export type FindingOutcome = SourceFactOutcome;

/** Where the write-back goes: Security Hub's BatchUpdateFindings; how many findings it could not update. */
export interface FindingUpdates {
  batchUpdateFindings(input: BatchUpdateFindingsInput): Promise<{ readonly unprocessed: number }>;
}

/** What the Security Hub handler needs besides the incident use cases. */
export interface SecurityHubDeps {
  readonly securityHub: Omit<IncidentSection['securityHub'], 'writeBack'> & { readonly writeBack?: boolean };
  readonly origins: FindingOrigins;
  /** Present where `securityHub.writeBack` is on. */
  readonly findingUpdates?: FindingUpdates | undefined;
}

/** Tells Security Hub what was done; a failure is logged and counted, never undoing or blocking the lockdown. */
async function writeBack(deps: IncidentDeps & SecurityHubDeps, update: BatchUpdateFindingsInput, incidentId: string) {
  try {
    const { unprocessed } = (await deps.findingUpdates?.batchUpdateFindings(update)) ?? { unprocessed: 0 };
    deps.logger.info('Security Hub told', { incidentId, unprocessed });
    if (unprocessed > 0) deps.metrics?.add('WriteBackFailures', unprocessed);
  } catch (error) {
    deps.logger.warn('Security Hub write-back failed', { incidentId, reason: publicReason(error as Error) });
    deps.metrics?.add('WriteBackFailures', 1);
  }
}

/**
 * Security Hub findings: each finding's fact (`lib/sources/security-hub-finding.ts` says which declare, resolve or
 * withdraw, and which origins are heard) applied in order in the Security Hub channel; a NEW finding after its
 * resolution declares again (a declaration newer than its resolution reopens it). Others are ignored, and say why.
 * With `writeBack`, a finding whose lockdown was applied gets a note and the status NOTIFIED.
 */
export async function handleSecurityHubFindings(
  event: SecurityHubFindingsImportedEvent,
  invocation: Invocation,
  deps: IncidentDeps & SecurityHubDeps,
): Promise<{ readonly findings: readonly FindingOutcome[] }> {
  const findings: FindingOutcome[] = [];
  const facts = factsOfFindings(event, deps.securityHub, deps.origins);
  for (const [i, fact] of facts.entries()) {
    const origin = { channel: 'securityhub', label: 'Security Hub' } as const;
    const applied = await applyIncidentFact(fact, origin, invocation, deps, event.id);
    findings.push(applied);
    const finding = event.detail.findings[i];
    if (!deps.securityHub.writeBack || !finding || fact.kind !== 'declared') continue;
    const update = writeBackOf(finding, applied, { severity: fact.severity, eventId: event.id });
    if (update) await writeBack(deps, update, fact.incidentId);
  }
  return { findings };
}
