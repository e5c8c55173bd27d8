import type { IncidentFact, IncidentOrigin } from '../events/incident-fact.js';
import { declare, resolve, withdraw } from './handle-incident.js';
import type { IncidentDeps, IncidentOutcome, Invocation } from './ports.js';

/** What one source's fact did here. */
export type SourceFactOutcome =
  | {
      readonly incidentId: string;
      readonly action: 'declared' | 'resolved' | 'withdrawn';
      readonly outcome: IncidentOutcome;
    }
  | { readonly incidentId: string; readonly action: 'ignored'; readonly reason: string };

/**
 * Applies a source's canonical incident fact (from an adapter in lib/sources) through the incident use cases, in the
 * source's own channel: only that channel (or an incident publisher's override) resolves what it declared. A fact
 * that no longer rates is withdrawn where it is active — taken off, not resolved, so a later fact may bring it back.
 */
export async function applyIncidentFact(
  fact: IncidentFact,
  { channel, label }: IncidentOrigin,
  invocation: Invocation,
  deps: IncidentDeps,
  /** The event that stated it: an ignored fact is answered too, naming it, so its sender can tell ignored from lost. */
  eventId?: string,
): Promise<SourceFactOutcome> {
  const { incidentId } = fact;
  const ignored = async (reason: string, refused = false): Promise<SourceFactOutcome> => {
    if (refused) deps.logger.warn('Incident source event refused', { source: label, incidentId, reason });
    else deps.logger.info('Incident source event ignored', { source: label, incidentId, reason });
    if (eventId)
      await deps.publisher.publish('Wickr Incident Fact Ignored', {
        incidentId,
        eventId,
        source: label,
        result: 'ignored',
        reason,
      });
    return { incidentId, action: 'ignored', reason };
  };
  const networkIds = fact.kind === 'ignored' ? deps.networkIds : (fact.networkIds ?? deps.networkIds);
  switch (fact.kind) {
    case 'ignored':
      return ignored(fact.reason, fact.refused);
    case 'declared': {
      const { severity, title, at: declaredAt, eventId, groups } = fact;
      const declaration = { incidentId, severity, title, declaredAt, networkIds, groups, channel, eventId };
      return { incidentId, action: 'declared', outcome: await declare(declaration, label, invocation, deps) };
    }
    case 'resolved': {
      if (fact.onlyIfActive && (await deps.store.activeOn(networkIds, incidentId, channel)).length === 0) {
        return ignored(fact.reason ?? 'not active here');
      }
      const resolution = { incidentId, resolvedAt: fact.at, channel, eventId: fact.eventId, networkIds };
      return { incidentId, action: 'resolved', outcome: await resolve(resolution, label, invocation, deps) };
    }
    case 'no-longer-rates': {
      const active = await deps.store.activeOn(networkIds, incidentId, channel);
      if (active.length === 0) return ignored(fact.reason);
      const networks = await withdraw({ incidentId, channel, at: fact.at, networkIds: active }, invocation, deps);
      return { incidentId, action: 'withdrawn', outcome: { incidentId, networks } };
    }
  }
}
