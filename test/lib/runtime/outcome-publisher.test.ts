import { afterAll, describe, expect, it } from 'vitest';
import { LocalEventBus } from '../../../infra/local/events/event-bus.js';
import { loadLocalService } from '../../../infra/local/serverless-config.js';
import {
  EventBridgeOutcomePublisher,
  eventBridgePutEvents,
  splitDetail,
} from '../../../lib/runtime/outcome-publisher.js';

const service = loadLocalService('serverless.yml');
// The bus admits outcome events only from the functions' roles: the publisher signs as one.
const role = service.functions.find((f) => f.name === 'incidentDeclared')?.roleArn as string;
const bus = new LocalEventBus({ service, functions: new Map(), identities: new Map([['FNKEY', role]]) });
await bus.listen();
afterAll(() => bus.close());

// A lockdown of 1,000 groups: its per-group diff is far over PutEvents' 256 KB.
const groups = Array.from({ length: 1000 }, (_, i) => ({
  groupId: `g${i}`,
  groupName: `a rather long security group name number ${i}`,
  changes: [
    { field: 'maxNonSsoSessionMinutes', before: 1440, after: 60 },
    { field: 'alwaysReauthenticate', before: false, after: true },
    { field: 'lockoutThreshold', before: 10, after: 3 },
  ],
}));
const detail = { incidentId: 'INC-big', networkId: '12345678', groups, conflicts: [], popup: { changed: true } };

describe('outcome publisher', () => {
  it('splits a detail too large for one event into numbered parts that each fit, losing nothing', async () => {
    expect(Buffer.byteLength(JSON.stringify(detail))).toBeGreaterThan(256 * 1024);
    const publisher = new EventBridgeOutcomePublisher(
      eventBridgePutEvents('us-east-1', bus.endpoint, 'FNKEY'),
      service.busName,
      'wickr.autopilot',
    );
    await publisher.publish('Wickr Lockdown Applied', detail);
    const parts = bus.events.map((e) => e.event.detail as typeof detail & { part: { index: number; count: number } });
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((p) => p.part.index)).toEqual(parts.map((_, i) => i + 1));
    expect(new Set(parts.map((p) => p.part.count))).toEqual(new Set([parts.length]));
    expect(parts.flatMap((p) => p.groups)).toEqual(groups);
    for (const p of parts) expect(p.incidentId).toBe('INC-big');
  });

  it('splits a nested list too (a rotation plan) and leaves a small detail whole', () => {
    expect(splitDetail({ a: 1 })).toEqual([{ a: 1 }]);
    const parts = splitDetail({ plan: { groups, skipped: [] }, counts: { checked: 1000 } }, 50_000);
    expect(parts.every((p) => JSON.stringify(p).length <= 50_000)).toBe(true);
    expect(parts.flatMap((p) => (p.plan as { groups: unknown[] }).groups)).toEqual(groups);
  });
});
