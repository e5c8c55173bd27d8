/**
 * PagerDuty incidents through its EventBridge partner source (`detail-type: PagerDuty Webhook`): the detail is a
 * V2 webhook message (`event: "incident.trigger"`, `incident {…}`) or a V3 one (`event: {event_type, data}`) — both
 * are seen in the wild, so both are read. Only what the incident capability needs is typed, every string bounded.
 */
import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.js';
import { eventBridgeEnvelope } from './eventbridge-envelope.js';

const text = (max: number) =>
  z
    .string()
    .check(
      z.maxLength(max, `must be at most ${max} characters`),
      z.regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
    );
const pdId = lazySchema(() => z.string('is required').check(z.regex(/^[A-Za-z0-9]{1,32}$/, 'must be a PagerDuty id')));
const priority = lazySchema(() =>
  z.optional(
    z.nullable(z.object({ summary: z.optional(z.nullable(text(32))), name: z.optional(z.nullable(text(32))) })),
  ),
);
const urgency = lazySchema(() => z.optional(z.nullable(z.enum(['high', 'low'], 'must be high or low'))));

// The incident, as both shapes carry it (V2's `incident`, V3's `data`).
const Incident = lazySchema(() =>
  z.object({
    id: pdId,
    title: z.optional(z.nullable(text(1024))),
    urgency,
    priority,
    service: z.object({ id: pdId }),
  }),
);
const time = () => z.iso.datetime({ message: 'must be an ISO 8601 date-time', offset: true });

const V2Detail = lazySchema(() => z.object({ event: text(64), id: text(64), created_on: time(), incident: Incident }));

const V3Detail = lazySchema(() =>
  z.object({
    event: z.object({
      id: text(64),
      event_type: text(64),
      resource_type: z.optional(text(64)),
      occurred_at: time(),
      data: Incident,
    }),
  }),
);

/** The source of PagerDuty events the signed webhook puts on the project's bus (only the webhook's role may). */
export const pagerDutyWebhookSource = 'wickr.autopilot.webhook.pagerduty';

export const PagerDutyEvent = lazySchema(() => eventBridgeEnvelope('PagerDuty Webhook', z.union([V3Detail, V2Detail])));
export type PagerDutyEvent = z.output<typeof PagerDutyEvent>;

/** What an incident event says, whichever shape carried it. */
export interface PagerDutyFact {
  /** V3's event type (V2's `incident.trigger` read as `incident.triggered`, and so on). */
  readonly eventType: string;
  readonly eventId: string;
  readonly at: string;
  readonly incidentId: string;
  readonly title?: string | undefined;
  readonly serviceId: string;
  readonly priority: string | null;
  readonly urgency: 'high' | 'low' | null;
}

const v2Types: Readonly<Record<string, string>> = {
  'incident.trigger': 'incident.triggered',
  'incident.resolve': 'incident.resolved',
  'incident.acknowledge': 'incident.acknowledged',
  'incident.unacknowledge': 'incident.unacknowledged',
  'incident.assign': 'incident.reassigned',
  'incident.escalate': 'incident.escalated',
  'incident.delegate': 'incident.delegated',
  'incident.annotate': 'incident.annotated',
};

/** The incident's part of a fact, read the same from either shape. */
const incidentFact = (i: z.output<typeof Incident>) => ({
  incidentId: i.id,
  title: i.title ?? undefined,
  serviceId: i.service.id,
  priority: i.priority?.summary ?? i.priority?.name ?? null,
  urgency: i.urgency ?? null,
});

/** The fact a PagerDuty event states, V2 or V3. */
export function pagerDutyFact(detail: PagerDutyEvent['detail']): PagerDutyFact {
  if (typeof detail.event === 'object') {
    const { event } = detail;
    const at = new Date(event.occurred_at).toISOString();
    return { eventType: event.event_type, eventId: event.id, at, ...incidentFact(event.data) };
  }
  const v2 = detail as z.output<typeof V2Detail>;
  const at = new Date(v2.created_on).toISOString();
  return { eventType: v2Types[v2.event] ?? v2.event, eventId: v2.id, at, ...incidentFact(v2.incident) };
}
