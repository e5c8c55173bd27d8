/** Puts PagerDuty V2 webhook events on a local stack's PagerDuty partner bus, each a second after the last. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { putServiceEvents } from '../../infra/local/events/service-events-client.js';
import type { LocalStack } from '../../infra/local/local-stack.js';

/** A sender of one incident's events (`priority` P1…P5, `service` its PagerDuty service), each drained. */
export function pagerDutyPartner(stack: LocalStack, source: string) {
  let second = 0;
  return async (incident: string, event: string, options: { priority?: string; service?: string } = {}) => {
    second += 1;
    const answer = await putServiceEvents(stack.eventBridgeEndpoint, [
      {
        EventBusName: source,
        Source: source,
        DetailType: 'PagerDuty Webhook',
        Detail: JSON.stringify({
          event,
          id: randomUUID(),
          created_on: new Date(Date.now() - 60_000 + second * 1000).toISOString(),
          incident: {
            id: incident,
            incident_number: 42,
            title: 'Credential stuffing on the VPN',
            status: event === 'incident.resolve' ? 'resolved' : 'triggered',
            urgency: 'high',
            priority: { id: `PPRI${options.priority ?? 'P1'}`, summary: options.priority ?? 'P1' },
            service: { id: options.service ?? 'PSEC001', name: 'Security' },
          },
          log_entries: [],
        }),
      },
    ]);
    expect(answer.FailedEntryCount).toBe(0);
    await stack.bus.drain();
  };
}
