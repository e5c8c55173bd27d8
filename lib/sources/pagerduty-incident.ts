/**
 * PagerDuty's incident webhook (V3, or V2 through the partner bus) as our canonical incident fact: triggered or
 * reopened on a listed service with a mapped priority (or, with none, a mapped urgency) declares
 * `pagerduty:<incident id>`; a priority or service change declares it again (the newer fact updates it) — or, when
 * it no longer rates, withdraws it where it is active; resolved resolves it. Acknowledged, annotated, reassigned and
 * the rest change nothing. The title is hostile text: normalised and bounded here, escaped by the popup.
 */
import type { IncidentFact } from '../events/incident-fact.js';
import { type PagerDutyEvent, type PagerDutyFact, pagerDutyFact } from '../events/pagerduty-events.js';
import type { PagerDutySection } from '../policy-file/sources-section.js';
import type { Severity } from '../policy-file/vocabulary.js';
import { normalizeText, truncate } from '../safe-text.js';

const declaring = new Set(['incident.triggered', 'incident.reopened']);
const updating = new Set(['incident.priority_updated', 'incident.service_updated']);

/** The severity an incident rates under the policy: its priority's, or with none its urgency's; else none. */
export function severityOf(fact: Pick<PagerDutyFact, 'priority' | 'urgency'>, section: PagerDutySection) {
  if (fact.priority !== null) return section.priorities[fact.priority] as Severity | undefined;
  return fact.urgency ? (section.urgency[fact.urgency] as Severity | undefined) : undefined;
}

/** The fact a PagerDuty event states under the policy's `sources.pagerduty`. */
export function factOfPagerDutyEvent(event: PagerDutyEvent, section: PagerDutySection): IncidentFact {
  const fact = pagerDutyFact(event.detail);
  const incidentId = `pagerduty:${fact.incidentId}`;
  const listed = section.services.includes(fact.serviceId);
  const networkIds = section.networks;
  const unlisted = 'service is not in sources.pagerduty.services';
  if (fact.eventType === 'incident.resolved') {
    return {
      kind: 'resolved',
      incidentId,
      at: fact.at,
      eventId: event.id,
      networkIds,
      onlyIfActive: !listed,
      reason: unlisted,
    };
  }
  if (!declaring.has(fact.eventType) && !updating.has(fact.eventType)) {
    return { kind: 'ignored', incidentId, reason: `${fact.eventType} changes nothing here` };
  }
  const severity = listed ? severityOf(fact, section) : undefined;
  if (severity) {
    const title = fact.title ? truncate(normalizeText(fact.title), 200) : 'PagerDuty incident';
    return {
      kind: 'declared',
      incidentId,
      severity,
      title,
      at: fact.at,
      eventId: event.id,
      networkIds,
      groups: section.groups,
    };
  }
  const reason = listed
    ? `priority ${fact.priority ?? `none, urgency ${fact.urgency ?? 'none'}`} is not mapped`
    : unlisted;
  // Only a change of priority or service can take a rated incident off; a fresh trigger that does not rate is noise.
  if (updating.has(fact.eventType)) return { kind: 'no-longer-rates', incidentId, at: fact.at, reason, networkIds };
  return { kind: 'ignored', incidentId, reason };
}
