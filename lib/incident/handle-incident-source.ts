/** The incident sources beyond our own events: AWS Security Hub findings and PagerDuty incidents. */
import { type PagerDutyEvent, pagerDutyWebhookSource } from '../events/pagerduty-events.js';
import type { SecurityHubFindingsImportedEvent } from '../events/security-hub-events.js';
import type { PagerDutySection } from '../policy-file/sources-section.js';
import { IncidentInputError } from './errors.js';
import { handlePagerDutyEvent, type IncidentNotes, type PagerDutyDeliveries } from './handle-pagerduty.js';
import { handleSecurityHubFindings, type SecurityHubDeps } from './handle-security-hub.js';
import type { IncidentDeps, Invocation } from './ports.js';

/** What the function receives, told apart by detail type. */
export type IncidentSourceEvent = SecurityHubFindingsImportedEvent | PagerDutyEvent;

/** The sources' settings: Security Hub's mapping and origins, PagerDuty's section and partner source. */
export interface IncidentSourceDeps extends IncidentDeps, SecurityHubDeps {
  readonly pagerDuty?: { readonly source: string; readonly section: PagerDutySection } | undefined;
  /** PagerDuty's deliveries taken, remembered by event id (absent: only their age limits a replay). */
  readonly pagerDutyDeliveries?: PagerDutyDeliveries | undefined;
  /** Notes on PagerDuty's incidents (absent: no API key is configured). */
  readonly pagerDutyNotes?: IncidentNotes | undefined;
}

/**
 * Routes an event to its source's handler — only from that source: a Security Hub finding from `aws.securityhub`,
 * a PagerDuty incident from the configured partner source (with `sources.pagerduty` in the policy).
 */
export async function handleIncidentSource(
  event: IncidentSourceEvent,
  invocation: Invocation,
  deps: IncidentSourceDeps,
) {
  if (event['detail-type'] === 'PagerDuty Webhook') {
    // Its partner bus, or the signed webhook (whose source the bus lets only the webhook's role put).
    if (!deps.pagerDuty || (event.source !== deps.pagerDuty.source && event.source !== pagerDutyWebhookSource)) {
      throw new IncidentInputError(
        'source',
        'must be the pagerDutyEventSource this deployment names (or its signed webhook), with sources.pagerduty in its policy',
      );
    }
    return handlePagerDutyEvent(event, invocation, {
      ...deps,
      pagerDuty: deps.pagerDuty.section,
      deliveries: deps.pagerDutyDeliveries,
      notes: deps.pagerDutyNotes,
    });
  }
  if (event.source !== 'aws.securityhub')
    throw new IncidentInputError('source', 'must be aws.securityhub for findings');
  return handleSecurityHubFindings(event, invocation, deps);
}
