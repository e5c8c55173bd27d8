/**
 * The PagerDuty adapter alone: which webhook events declare, withdraw, resolve or change nothing under the policy's
 * `sources.pagerduty` — events built from PagerDuty's documented V3 shape (`event.event_type`, `event.data`).
 */
import { describe, expect, it } from 'vitest';
import { PagerDutyEvent } from '../../../lib/events/pagerduty-events.js';
import type { PagerDutySection } from '../../../lib/policy-file/sources-section.js';
import { factOfPagerDutyEvent } from '../../../lib/sources/pagerduty-incident.js';

const section: PagerDutySection = {
  services: ['PSEC001'],
  priorities: { P1: 'SEV1', P3: 'SEV3' },
  urgency: { high: 'SEV2' },
  networks: ['12345678'],
  maxAgeMinutes: 60,
};

type Incident = { priority?: string | null; urgency?: 'high' | 'low'; service?: string; title?: string };
const event = (eventType: string, i: Incident = {}) =>
  PagerDutyEvent.parse({
    version: '0',
    id: 'eb-1',
    'detail-type': 'PagerDuty Webhook',
    source: 'aws.partner/pagerduty.com/acme/sec',
    account: '123456789012',
    time: '2026-11-28T03:01:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      event: {
        id: '01ABC',
        event_type: eventType,
        resource_type: 'incident',
        occurred_at: '2026-11-28T03:01:00Z',
        data: {
          id: 'Q1W2E3',
          title: i.title ?? 'Credential stuffing on the VPN',
          urgency: i.urgency ?? 'high',
          priority: i.priority === null ? null : { summary: i.priority ?? 'P1' },
          service: { id: i.service ?? 'PSEC001' },
        },
      },
    },
  });

describe('PagerDuty events as incident facts', () => {
  it.each([
    ['incident.triggered', {}, { kind: 'declared', severity: 'SEV1' }],
    ['incident.reopened', { priority: 'P3' }, { kind: 'declared', severity: 'SEV3' }],
    ['incident.triggered', { priority: null }, { kind: 'declared', severity: 'SEV2' }],
    ['incident.priority_updated', { priority: 'P3' }, { kind: 'declared', severity: 'SEV3' }],
    ['incident.priority_updated', { priority: 'P5' }, { kind: 'no-longer-rates', reason: 'priority P5 is not mapped' }],
    [
      'incident.service_updated',
      { service: 'POTHER' },
      { kind: 'no-longer-rates', reason: 'service is not in sources.pagerduty.services' },
    ],
    ['incident.triggered', { priority: 'P5' }, { kind: 'ignored', reason: 'priority P5 is not mapped' }],
    [
      'incident.triggered',
      { priority: null, urgency: 'low' as const },
      { kind: 'ignored', reason: 'priority none, urgency low is not mapped' },
    ],
    ['incident.triggered', { service: 'POTHER' }, { kind: 'ignored' }],
    ['incident.acknowledged', {}, { kind: 'ignored', reason: 'incident.acknowledged changes nothing here' }],
    ['incident.annotated', {}, { kind: 'ignored' }],
    ['incident.resolved', {}, { kind: 'resolved', onlyIfActive: false }],
    ['incident.resolved', { service: 'POTHER' }, { kind: 'resolved', onlyIfActive: true }],
  ])('%s %j → %j', (type, incident, expected) => {
    expect(factOfPagerDutyEvent(event(type, incident), section)).toMatchObject({
      incidentId: 'pagerduty:Q1W2E3',
      ...expected,
    });
  });

  it('names the source’s time, its event and the policy’s networks; the title normalised and bounded', () => {
    const fact = factOfPagerDutyEvent(
      event('incident.triggered', { title: `ＶＰＮ\u200b ${'x'.repeat(400)}` }),
      section,
    );
    expect(fact).toMatchObject({ at: '2026-11-28T03:01:00.000Z', eventId: 'eb-1', networkIds: ['12345678'] });
    const title = (fact as { title: string }).title;
    expect(title.startsWith('VPN x')).toBe(true);
    expect(title.length).toBeLessThanOrEqual(200);
  });
});
