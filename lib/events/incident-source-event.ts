/** What the incident-sources function accepts: Security Hub's findings, PagerDuty's incidents. */
import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.js';
import { PagerDutyEvent } from './pagerduty-events.js';
import { SecurityHubFindingsImportedEvent } from './security-hub-events.js';

export const IncidentSourceEvent = lazySchema(() =>
  z.discriminatedUnion('detail-type', [SecurityHubFindingsImportedEvent, PagerDutyEvent]),
);
export type IncidentSourceEvent = z.output<typeof IncidentSourceEvent>;
