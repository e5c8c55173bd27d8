/**
 * After a deploy, through the local stack as deployed: the smoke test follows a dry-run incident hop by hop and
 * names the hop that breaks; outcomes reach the notification topic as chat cards with no personal data.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { endpointsOf, startLocalStack } from '../../infra/local/local-stack.js';
import { targetOf } from '../../infra/ops/ops-target.js';
import { smoke, smokeText } from '../../infra/ops/smoke.js';
import { dynamoKind } from '../support/local-dynamodb.js';

const topicArn = 'arn:aws:sns:us-east-1:000000000000:oncall';
const stack = await startLocalStack({
  dynamodb: dynamoKind,
  retryDelaysMs: [50, 100],
  logLevel: 'CRITICAL',
  params: { notificationTopicArn: topicArn },
  // An injected crash ends as Lambda's timeout would, at the deadline: short here so three attempts take seconds.
  timeoutSeconds: 3,
});
afterAll(() => stack.close());

const target = targetOf(endpointsOf(stack), { service: stack.service });
const networkId = '12345678';
const writes = () => stack.emulator.journal().filter((e) => e.method !== 'GET');
const notifications = async () =>
  (
    (await (await fetch(`${stack.eventBridgeEndpoint}/_local/notifications`)).json()) as {
      notifications: { topicArn: string; eventId: string; message: string }[];
    }
  ).notifications;

beforeEach(() => {
  stack.emulator.clearJournal();
  stack.emulator.setFaults({});
});

describe('the smoke test', () => {
  it('passes through bus, function, Wickr and the audit trail, timing each hop, and changes nothing', async () => {
    const report = await smoke(target, { timeoutMs: 20_000, pollMs: 100 });
    expect(report.ok, smokeText(report)).toBe(true);
    expect(report.hops.map((h) => [h.hop, h.ok])).toEqual([
      ['put → bus', true],
      ['bus → incident function', true],
      [`function → Wickr ${networkId}`, true],
      ['outcome → audit trail', true],
    ]);
    for (const hop of report.hops) expect(hop.ms, hop.hop).toBeGreaterThanOrEqual(0);
    expect(report.hops[2]?.note).toMatch(/^a SEV1 would change \d+ field\(s\) and the popup$/);
    expect(smokeText(report)).toMatch(
      /^smoke SMOKE-[0-9a-f]{8} \(event [0-9a-f-]+\): PASSED\n {2}ok {3}put → bus \d+ ms/,
    );
    // Only reads reached Wickr, nothing was recorded, and no one was notified of a plan.
    expect(stack.emulator.journal().length).toBeGreaterThan(0);
    expect(writes()).toEqual([]);
    const status = await import('../../infra/ops/status.js').then(({ networkStatus }) =>
      networkStatus(target, undefined, []),
    );
    expect(status[0]).toMatchObject({ networkId, locked: false, activeIncidents: [] });
    expect((await notifications()).filter((n) => n.eventId === report.eventId)).toEqual([]);
  });

  it('fails naming the function when the incident function fails, with its error', async () => {
    const fn = stack.functions.get('incidentDeclared');
    fn?.setCrashes({ rate: 1, random: () => 0 });
    try {
      const report = await smoke(target, { timeoutMs: 40_000, pollMs: 200 });
      expect(report.ok).toBe(false);
      expect(report.hops.at(-1)).toMatchObject({
        hop: 'bus → incident function',
        ok: false,
        note: expect.stringMatching(/^failed: Sandbox\.Timedout: Task timed out after 3 seconds \(injected crash\)/),
      });
    } finally {
      fn?.setCrashes(undefined);
    }
  }, 60_000);

  it('fails naming the network when Wickr refuses the function', async () => {
    stack.emulator.setFaults({ errorRates: { '403': 1 }, operations: ['ListSecurityGroups'] });
    const report = await smoke(target, { timeoutMs: 20_000, pollMs: 100 });
    expect(report.ok).toBe(false);
    expect(report.hops.find((h) => !h.ok)).toMatchObject({
      hop: `function → Wickr ${networkId}`,
      note: expect.stringContaining('403'),
    });
  });
});

describe('outcome notifications', () => {
  it('sends a lockdown and its lifting to the topic as chat cards: ids and counts, no title or name', async () => {
    const bus = new EventBridgeClient({
      region: stack.region,
      endpoint: stack.eventBridgeEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const put = async (detailType: string, detail: object) => {
      await bus.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: stack.busName,
              Source: 'security.incidents',
              DetailType: detailType,
              Detail: JSON.stringify(detail),
            },
          ],
        }),
      );
      await stack.bus.drain();
    };
    const before = (await notifications()).length;
    await put('Incident Declared', { incidentId: 'INC-N1', severity: 'SEV1', title: 'Jane Doe "phished"' });
    await put('Incident Resolved', { incidentId: 'INC-N1' });
    const sent = (await notifications()).slice(before);
    const cards = sent.map((n) => JSON.parse(n.message));
    expect(sent.every((n) => n.topicArn === topicArn)).toBe(true);
    expect(cards.map((c) => c.content.title)).toEqual(['Wickr Lockdown Applied', 'Wickr Lockdown Lifted']);
    for (const card of cards) {
      expect(card).toMatchObject({ version: '1.0', source: 'custom', content: { textType: 'client-markdown' } });
      expect(card.content.description).toMatch(
        /^Lockdown (Applied|Lifted): networkId 12345678, incidentId INC-N1, .*\n\n\d{4}-\d\d-\d\dT\S+ · account 000000000000 · wickr-autopilot-local$/,
      );
    }
    expect(JSON.stringify(sent)).not.toMatch(/jane|doe|phished|engineering/i);
  });
});
