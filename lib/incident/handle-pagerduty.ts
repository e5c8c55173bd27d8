/** PagerDuty incidents on the policy's security services → incidents declared, updated and resolved here. */
import type { PagerDutyEvent } from '../events/pagerduty-events.js';
import type { PagerDutySection } from '../policy-file/sources-section.js';
import { factOfPagerDutyEvent } from '../sources/pagerduty-incident.js';
import { applyIncidentFact, type SourceFactOutcome } from './apply-incident-fact.js';
import type { IncidentDeps, Invocation } from './ports.js';

/** What one PagerDuty event did. */
export type PagerDutyOutcome = SourceFactOutcome;

/**
 * A PagerDuty incident event: its fact (`lib/sources/pagerduty-incident.ts` says which events declare, update,
 * withdraw or resolve) applied in the PagerDuty channel — only PagerDuty (or an incident publisher's override)
 * resolves what it declared. Events that change nothing cost no request.
 */
export function handlePagerDutyEvent(
  event: PagerDutyEvent,
  invocation: Invocation,
  deps: IncidentDeps & { readonly pagerDuty: PagerDutySection },
): Promise<PagerDutyOutcome> {
  const fact = factOfPagerDutyEvent(event, deps.pagerDuty);
  return applyIncidentFact(fact, { channel: 'pagerduty', label: 'PagerDuty' }, invocation, deps);
}
