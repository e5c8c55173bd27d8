/**
 * PagerDuty incidents through the incident-sources use case, against a real local DynamoDB and the Wickr emulator:
 * events built from PagerDuty's documented V2 (EventBridge sample) and V3 (webhooks) shapes.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { demoSeed } from '../../../infra/local/wickr-emulator/index.js';
import { PagerDutyEvent, pagerDutyFact } from '../../../lib/events/pagerduty-events.js';
import { handleIncidentSource, type IncidentSourceDeps } from '../../../lib/incident/handle-incident-source.js';
import { loadPolicyFile } from '../../../lib/policy-file/policy-file.js';
import { DeliveryMemoryStore } from '../../../lib/store/delivery-memory-store.js';
import { documentClient } from '../../../lib/store/dynamodb-client.js';
import { startIntegration } from '../../support/integration.js';
import { tableNames } from '../../support/local-dynamodb.js';

const policy = loadPolicyFile('infra/policy.yml');
const networkId = '12345678';
const source = 'aws.partner/pagerduty.com/acme/sec';
const { fixture, db, idempotency, incidentState, forgetNetwork } = await startIntegration();
const doc = documentClient(db.client);
const published: { detailType: string; detail: Record<string, unknown> }[] = [];

let latest = 0;
const deliveries = new DeliveryMemoryStore(doc, tableNames.state, `pagerduty-${randomUUID().slice(0, 6)}`);
const deps = (): IncidentSourceDeps => ({
  wickr: fixture.client(),
  store: incidentState,
  playbooks: policy.incident.playbooks,
  concurrency: 4,
  // PagerDuty's facts are dated 2026-11-28: the clock stands just after the latest one, within maxAgeMinutes.
  nowMs: () => latest + 60_000,
  networkIds: [networkId],
  tombstoneDays: 30,
  idempotency: idempotency(),
  publisher: { publish: async (detailType, detail) => void published.push({ detailType, detail: { ...detail } }) },
  logger: { info: () => undefined, warn: () => undefined },
  securityHub: policy.incident.securityHub,
  origins: { products: ['guardduty'], accounts: ['123456789012'] },
  pagerDuty: {
    source,
    section: {
      services: ['PSEC001'],
      priorities: { P1: 'SEV1', P3: 'SEV3' },
      urgency: { high: 'SEV2' },
      maxAgeMinutes: 60,
    },
  },
  pagerDutyDeliveries: deliveries,
});
const invocation = () => ({ requestId: randomUUID(), remainingMs: () => 60_000 });

let incident = '';
let minute = 0;
type Incident = { priority?: string | null; urgency?: 'high' | 'low'; service?: string; title?: string };
/** A V3-shaped event (`event.event_type`, `event.data`). */
function v3(eventType: string, i: Incident = {}, at?: string): PagerDutyEvent {
  minute += 1;
  const occurred = at ?? new Date(Date.UTC(2026, 10, 28, 3, minute)).toISOString();
  latest = Math.max(latest, Date.parse(occurred));
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'PagerDuty Webhook',
    source,
    account: '123456789012',
    time: occurred,
    region: 'us-east-1',
    resources: [],
    detail: {
      event: {
        id: `01${minute}`,
        event_type: eventType,
        resource_type: 'incident',
        occurred_at: occurred,
        data: {
          id: incident,
          title: i.title ?? 'Credential stuffing on the VPN',
          urgency: i.urgency ?? 'high',
          priority: i.priority === null ? null : { summary: i.priority ?? 'P1' },
          service: { id: i.service ?? 'PSEC001' },
        },
      },
    },
  };
}
/** A V2-shaped event (`event: "incident.trigger"`, `incident`), as the EventBridge sample has it. */
function v2(event: string, i: Incident = {}): PagerDutyEvent {
  minute += 1;
  const at = new Date(Date.UTC(2026, 10, 28, 3, minute)).toISOString();
  return {
    ...v3('incident.triggered', i, at),
    detail: {
      event,
      id: `v2-${minute}`,
      created_on: at,
      incident: {
        id: incident,
        title: i.title ?? 'Credential stuffing on the VPN',
        urgency: i.urgency ?? 'high',
        priority: i.priority === null ? null : { summary: i.priority ?? 'P1' },
        service: { id: i.service ?? 'PSEC001' },
      },
    },
  };
}
const session = () =>
  fixture.emulator.snapshot().networks[0]?.securityGroups.find((g) => g.id === 'sg-engineering')?.securityGroupSettings
    .maxNonSsoSessionMinutes;
const writes = () => fixture.emulator.journal().filter((e) => e.method !== 'GET' && e.status === 200);
const handle = (event: PagerDutyEvent) => handleIncidentSource(event, invocation(), deps());

beforeEach(async () => {
  fixture.emulator.reset(demoSeed);
  published.length = 0;
  incident = `Q${randomUUID().slice(0, 8).toUpperCase()}`;
  await forgetNetwork(networkId);
});

describe('PagerDuty incidents', () => {
  it('V3: triggered locks down, priority P3 → P1 escalates, resolved restores exactly', async () => {
    expect(session()).toBe(1440);
    await handle(v3('incident.triggered', { priority: 'P3' }));
    expect(session()).toBe(720);
    await handle(v3('incident.priority_updated', { priority: 'P1' }));
    expect(session()).toBe(60);
    await handle(v3('incident.resolved'));
    expect(session()).toBe(1440);
  });

  it('as an attacker: a captured delivery replayed after its idempotency record expired does nothing', async () => {
    const trigger = v3('incident.triggered');
    await handle(trigger);
    expect(session()).toBe(60);
    await handle(v3('incident.priority_updated', { priority: 'P5' }));
    expect(session()).toBe(1440);
    // The same signed bytes again, under a new EventBridge id, with every idempotency record gone.
    const replay = { ...trigger, id: randomUUID() };
    const forgetful = { ...deps(), idempotency: { once: <T>(_key: unknown, work: () => Promise<T>) => work() } };
    fixture.emulator.clearJournal();
    expect(await handleIncidentSource(replay, invocation(), forgetful)).toMatchObject({
      action: 'ignored',
      reason: `PagerDuty event ${trigger.detail.event && typeof trigger.detail.event === 'object' ? trigger.detail.event.id : ''} was taken before`,
    });
    // Forgotten as a delivery too, the withdrawal's tombstone still holds: an older trigger reopens nothing.
    await handleIncidentSource(replay, invocation(), { ...forgetful, pagerDutyDeliveries: undefined });
    expect(session()).toBe(1440);
    expect(writes()).toEqual([]);
    // And past sources.pagerduty.maxAgeMinutes (or ahead of our clock), its age alone refuses it.
    const occurred = Date.parse(replay.time);
    for (const [now, reason] of [
      [occurred + 61 * 60_000, 'older than sources.pagerduty.maxAgeMinutes (60)'],
      [occurred - 6 * 60_000, 'occurred more than 5 min in the future'],
    ] as const) {
      const answer = await handleIncidentSource(replay, invocation(), { ...forgetful, nowMs: () => now });
      expect(answer).toMatchObject({ action: 'ignored', reason: expect.stringContaining(reason) });
    }
    expect(writes()).toEqual([]);
  });

  it('V2 (the EventBridge sample): trigger and resolve', async () => {
    await handle(v2('incident.trigger'));
    expect(session()).toBe(60);
    await handle(v2('incident.resolve'));
    expect(session()).toBe(1440);
  });

  it('acts on nothing for an unlisted service, an unmapped priority, or acknowledged/annotated/reassigned', async () => {
    for (const event of [
      v3('incident.triggered', { service: 'PBILLING' }),
      v3('incident.triggered', { priority: 'P5' }),
      v3('incident.acknowledged'),
      v3('incident.annotated'),
      v3('incident.reassigned'),
    ]) {
      expect(await handle(event)).toMatchObject({ action: 'ignored' });
    }
    expect(writes()).toEqual([]);
  });

  it('a null priority acts by urgency where the policy maps it, and not otherwise', async () => {
    await handle(v3('incident.triggered', { priority: null, urgency: 'low' }));
    expect(writes()).toEqual([]);
    await handle(v3('incident.triggered', { priority: null, urgency: 'high' }));
    expect(session()).toBe(240);
  });

  it('a resolution delivered before its trigger wins; duplicates change nothing', async () => {
    const trigger = v3('incident.triggered');
    const resolved = v3('incident.resolved');
    await handle(resolved);
    await handle(trigger);
    expect(session()).toBe(1440);
    await handle(resolved);
    expect(writes()).toEqual([]);
  });

  it('moving off the listed services withdraws it; only PagerDuty resolves what it declared', async () => {
    await handle(v3('incident.triggered'));
    expect(published.find((p) => p.detailType === 'Wickr Lockdown Applied')?.detail).toMatchObject({
      incidentId: `pagerduty:${incident}`,
    });
    await handle(v3('incident.service_updated', { service: 'PBILLING' }));
    expect(session()).toBe(1440);
    await handle(v3('incident.service_updated', { service: 'PSEC001' }));
    expect(session()).toBe(60);
  });

  it('refuses an event from a source other than the configured partner source', async () => {
    const forged = { ...v3('incident.triggered'), source: 'aws.partner/pagerduty.com/evil/x' };
    await expect(handle(forged)).rejects.toMatchObject({ name: 'IncidentInputError' });
    expect(writes()).toEqual([]);
  });

  it('property: any order of an incident’s facts ends as the latest says', async () => {
    const kinds = [
      'triggered:P1',
      'triggered:P3',
      'priority_updated:P1',
      'priority_updated:P3',
      'resolved',
      'reopened:P3',
    ];
    const sessionOf: Record<string, number> = { P1: 60, P3: 720 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...kinds), { minLength: 1, maxLength: 5 }),
        fc.func(fc.nat()),
        async (history, order) => {
          fixture.emulator.reset(demoSeed);
          incident = `Q${randomUUID().slice(0, 8).toUpperCase()}`;
          await forgetNetwork(networkId);
          const events = history.map((k) => {
            const [type, priority] = k.split(':');
            return v3(`incident.${type}`, { priority: priority ?? 'P1' });
          });
          const latest = history.at(-1) as string;
          const shuffled = [...events].sort((a, b) => order(a.id) - order(b.id));
          for (const e of shuffled) await handle(e);
          const priority = latest.split(':')[1];
          // The last fact: resolved → restored; a declaration or priority change → that priority's lockdown.
          expect(session()).toBe(latest === 'resolved' ? 1440 : sessionOf[priority as string]);
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('the PagerDuty samples in events/', () => {
  it.each([
    'pagerduty-incident-triggered.v2.json',
    'pagerduty-incident-resolved.v2.json',
    'pagerduty-incident-triggered.v3.json',
  ])('parses %s as the function does', (file) => {
    const parsed = PagerDutyEvent.safeParse(JSON.parse(readFileSync(`events/${file}`, 'utf8')));
    expect(parsed.success).toBe(true);
    expect(parsed.success && pagerDutyFact(parsed.data.detail)).toMatchObject({
      incidentId: 'PT4KHLK',
      serviceId: 'PSEC001',
      priority: 'P1',
    });
  });
});
