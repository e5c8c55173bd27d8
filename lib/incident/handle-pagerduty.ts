/** PagerDuty incidents on the policy's security services → incidents declared, updated and resolved here. */
import { type PagerDutyEvent, type PagerDutyFact, pagerDutyFact } from '../events/pagerduty-events.js';
import type { PagerDutySection } from '../policy-file/sources-section.js';
import type { Severity } from '../policy-file/vocabulary.js';
import { normalizeText, truncate } from '../safe-text.js';
import { declare, resolve, withdraw } from './handle-incident.js';
import type { IncidentDeps, IncidentOutcome, Invocation } from './ports.js';

/** What one PagerDuty event did. */
export type PagerDutyOutcome =
  | {
      readonly incidentId: string;
      readonly action: 'declared' | 'resolved' | 'withdrawn';
      readonly outcome: IncidentOutcome;
    }
  | { readonly incidentId: string; readonly action: 'ignored'; readonly reason: string };

const declaring = new Set(['incident.triggered', 'incident.reopened']);
const updating = new Set(['incident.priority_updated', 'incident.service_updated']);

/** The severity an incident rates under the policy: its priority's, or with none its urgency's; else none. */
export function severityOf(fact: Pick<PagerDutyFact, 'priority' | 'urgency'>, section: PagerDutySection) {
  if (fact.priority !== null) return section.priorities[fact.priority] as Severity | undefined;
  return fact.urgency ? (section.urgency[fact.urgency] as Severity | undefined) : undefined;
}

/**
 * A PagerDuty incident event. Triggered or reopened on a listed service with a mapped priority (or, with none, a
 * mapped urgency) declares `pagerduty:<incident id>`; a priority or service change declares it again (the newer
 * fact updates it) — or, when the incident no longer rates (unmapped priority, a service off the list), withdraws
 * it; resolved resolves it. Acknowledged, annotated, reassigned and the rest change nothing and cost no request.
 * The declaring channel is PagerDuty: only PagerDuty (or an incident publisher's override) resolves what it
 * declared. The title is hostile text: normalised and bounded here, escaped by the popup.
 */
export async function handlePagerDutyEvent(
  event: PagerDutyEvent,
  invocation: Invocation,
  deps: IncidentDeps & { readonly pagerDuty: PagerDutySection },
): Promise<PagerDutyOutcome> {
  const fact = pagerDutyFact(event.detail);
  const section = deps.pagerDuty;
  const incidentId = `pagerduty:${fact.incidentId}`;
  const listed = section.services.includes(fact.serviceId);
  const severity = listed ? severityOf(fact, section) : undefined;
  const ignored = (reason: string): PagerDutyOutcome => {
    deps.logger.info('PagerDuty event ignored', { incidentId, eventType: fact.eventType, reason });
    return { incidentId, action: 'ignored', reason };
  };
  const networkIds = section.networks ?? deps.networkIds;
  if (fact.eventType === 'incident.resolved') {
    if (!listed && (await deps.store.activeOn(networkIds, incidentId, 'pagerduty')).length === 0) {
      return ignored('service is not in sources.pagerduty.services');
    }
    const outcome = await resolve(
      { incidentId, resolvedAt: fact.at, channel: 'pagerduty', eventId: event.id, networkIds },
      'PagerDuty',
      invocation,
      deps,
    );
    return { incidentId, action: 'resolved', outcome };
  }
  if (!declaring.has(fact.eventType) && !updating.has(fact.eventType)) {
    return ignored(`${fact.eventType} changes nothing here`);
  }
  if (severity) {
    const title = fact.title ? truncate(normalizeText(fact.title), 200) : 'PagerDuty incident';
    const outcome = await declare(
      {
        incidentId,
        severity,
        title,
        declaredAt: fact.at,
        networkIds,
        groups: section.groups,
        channel: 'pagerduty',
        eventId: event.id,
      },
      'PagerDuty',
      invocation,
      deps,
    );
    return { incidentId, action: 'declared', outcome };
  }
  const why = listed
    ? `priority ${fact.priority ?? `none, urgency ${fact.urgency ?? 'none'}`} is not mapped`
    : 'service is not in sources.pagerduty.services';
  // It no longer rates where it was active: taken off, not resolved (a later fact may bring it back).
  const active = await deps.store.activeOn(networkIds, incidentId, 'pagerduty');
  if (updating.has(fact.eventType) && active.length > 0) {
    const networks = await withdraw(
      { incidentId, channel: 'pagerduty', at: fact.at, networkIds: active },
      invocation,
      deps,
    );
    return { incidentId, action: 'withdrawn', outcome: { incidentId, networks } };
  }
  return ignored(why);
}
