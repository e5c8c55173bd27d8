/** PagerDuty incidents on the policy's security services → incidents declared, updated and resolved here. */
import { type PagerDutyEvent, pagerDutyFact } from '../events/pagerduty-events.js';
import type { PagerDutySection } from '../policy-file/sources-section.js';
import { factOfPagerDutyEvent } from '../sources/pagerduty-incident.js';
import { publicReason } from '../wickr/index.js';
import { applyIncidentFact, type SourceFactOutcome } from './apply-incident-fact.js';
import { pagerDutyNoteOf } from './pagerduty-note.js';
import type { IncidentDeps, Invocation } from './ports.js';

/** What one PagerDuty event did. */
export type PagerDutyOutcome = SourceFactOutcome;

/** Deliveries remembered by PagerDuty's event id, as long as a tombstone lives. */
export interface PagerDutyDeliveries {
  seen(eventId: string, nowMs: number): Promise<boolean>;
  remember(eventId: string, expiresAtMs: number): Promise<void>;
}

// A sender's clock may run a little ahead of ours; more than this is not a delivery of now.
const maxAheadMs = 5 * 60_000;

/** Why a delivery is not taken as a fact of now: too old, too far ahead, or taken before; undefined when it is. */
async function replayReason(event: PagerDutyEvent, deps: PagerDutyDeps): Promise<string | undefined> {
  const { at, eventId } = pagerDutyFact(event.detail);
  const now = deps.nowMs();
  const ageMs = now - Date.parse(at);
  if (ageMs > deps.pagerDuty.maxAgeMinutes * 60_000) {
    return `occurred ${Math.round(ageMs / 60_000)} min ago: older than sources.pagerduty.maxAgeMinutes (${deps.pagerDuty.maxAgeMinutes})`;
  }
  if (-ageMs > maxAheadMs) return 'occurred more than 5 min in the future';
  if (await deps.deliveries?.seen(eventId, now)) return `PagerDuty event ${eventId} was taken before`;
  return undefined;
}

/** Where notes go: PagerDuty's `POST /incidents/{id}/notes` (retried and paced by the adapter). */
export interface IncidentNotes {
  createNote(incidentId: string, content: string): Promise<void>;
}

/** The ports: the incident use cases', PagerDuty's section, the deliveries remembered, and (with an API key) notes. */
export type PagerDutyDeps = IncidentDeps & {
  readonly pagerDuty: PagerDutySection;
  readonly deliveries?: PagerDutyDeliveries | undefined;
  readonly notes?: IncidentNotes | undefined;
};

/** Tells PagerDuty what its incident's fact did; a failure is logged and counted, never blocking the lockdown. */
async function noteOnIncident(deps: PagerDutyDeps, pagerDutyIncidentId: string, note: string, eventId: string) {
  const incidentId = `pagerduty:${pagerDutyIncidentId}`;
  try {
    // Once per fact: a retried invocation does not write the note again.
    await deps.idempotency.once({ step: 'pagerduty-note', eventId }, async () => {
      await deps.notes?.createNote(pagerDutyIncidentId, note);
      return {};
    });
    deps.logger.info('PagerDuty told', { incidentId });
  } catch (error) {
    deps.logger.warn('PagerDuty note failed', { incidentId, reason: publicReason(error as Error) });
    deps.metrics?.add('PagerDutyNoteFailures', 1);
  }
}

/**
 * A PagerDuty incident event: its fact (`lib/sources/pagerduty-incident.ts` says which events declare, update,
 * withdraw or resolve) applied in the PagerDuty channel — only PagerDuty (or an incident publisher's override)
 * resolves what it declared. A delivery too old, too far ahead, or taken before does nothing (its signature covers
 * only the body: a captured one could be sent again). Events that change nothing cost no request.
 */
export async function handlePagerDutyEvent(
  event: PagerDutyEvent,
  invocation: Invocation,
  deps: PagerDutyDeps,
): Promise<PagerDutyOutcome> {
  const fact = factOfPagerDutyEvent(event, deps.pagerDuty);
  const replay = await replayReason(event, deps);
  const origin = { channel: 'pagerduty', label: 'PagerDuty' } as const;
  if (replay)
    return applyIncidentFact(
      { kind: 'ignored', incidentId: fact.incidentId, reason: replay, refused: true },
      origin,
      invocation,
      deps,
      event.id,
    );
  const outcome = await applyIncidentFact(fact, origin, invocation, deps, event.id);
  // Remembered once taken, so a retry of a failed attempt still goes through (its steps are idempotent).
  const { eventId, incidentId } = pagerDutyFact(event.detail);
  await deps.deliveries?.remember(eventId, deps.nowMs() + (deps.tombstoneDays + 1) * 86_400_000);
  const note = deps.notes ? pagerDutyNoteOf(outcome, event.id) : undefined;
  if (note) await noteOnIncident(deps, incidentId, note, event.id);
  return outcome;
}
