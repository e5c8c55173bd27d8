/**
 * PagerDuty told what was done, on the local stack: with `pagerDutyApiKeyParameter` (a SecureString in the SSM
 * stand-in) and `pagerDutyFrom`, the lockdown of a PagerDuty incident is noted on it as it is applied, updated and
 * lifted — through the PagerDuty REST stand-in, which a test reads; a 429 is retried; a PagerDuty that keeps failing
 * costs a note, never the lockdown; the API key appears in no event and no state item.
 */
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../infra/local/local-stack.js';
import type { TakenNote } from '../../infra/local/pagerduty/pagerduty-rest-stand-in.js';
import { documentClient } from '../../lib/store/dynamodb-client.js';
import { dynamoKind } from '../support/local-dynamodb.js';
import { pagerDutyPartner } from '../support/pagerduty-partner.js';

const source = 'aws.partner/pagerduty.com/acme/sec';
const apiKey = 'u+pd-rest-key-never-logged';
const keyParameter = '/wickr-autopilot/local/pagerduty-api-key';
const stack = await startLocalStack({
  dynamodb: dynamoKind,
  retryDelaysMs: [50, 100],
  logLevel: 'CRITICAL',
  params: { pagerDutyEventSource: source, pagerDutyApiKeyParameter: keyParameter, pagerDutyFrom: 'secops@example.com' },
  ssmParameters: new Map([[keyParameter, apiKey]]),
});
afterAll(() => stack.close());

const pagerDuty = pagerDutyPartner(stack, source);
const put = (incident: string, event: string, priority: string) => pagerDuty(incident, event, { priority });
const notes = async (incident: string) =>
  (
    (await (await fetch(new URL('/_local/pagerduty/notes', stack.eventBridgeEndpoint))).json()) as {
      notes: TakenNote[];
    }
  ).notes.filter((n) => n.incidentId === incident);
const fail = (status: number, count: number) =>
  fetch(new URL('/_local/pagerduty/faults', stack.eventBridgeEndpoint), {
    method: 'POST',
    body: JSON.stringify({ status, count }),
  });
const session = () =>
  stack.emulator.snapshot().networks[0]?.securityGroups.find((g) => g.id === 'sg-engineering')?.securityGroupSettings
    .maxNonSsoSessionMinutes;

describe('PagerDuty notes', () => {
  it('notes the lockdown as it is applied, updated and lifted, as the configured user, a 429 retried', async () => {
    const incident = `Q${randomUUID().slice(0, 8).toUpperCase()}`;
    await fail(429, 1);
    await put(incident, 'incident.trigger', 'P2');
    expect(session()).toBe(240);
    await put(incident, 'incident.acknowledge', 'P2'); // changes nothing: no note
    await put(incident, 'incident.priority_updated', 'P1');
    expect(session()).toBe(60);
    await put(incident, 'incident.resolve', 'P1');
    const taken = await notes(incident);
    expect(taken.map((n) => n.content.replace(/ — .*$/, ''))).toEqual([
      expect.stringMatching(
        /^wickr-autopilot: Wickr lockdown applied on network\(s\) 12345678 \(\d+ group\(s\) changed\)$/,
      ),
      // The raise to SEV1 is the lockdown applied again, stricter (the outcome says Applied; a loosening, Updated).
      expect.stringMatching(/^wickr-autopilot: Wickr lockdown applied on network\(s\) 12345678/),
      expect.stringMatching(/^wickr-autopilot: Wickr lockdown lifted on network\(s\) 12345678/),
    ]);
    expect(taken.every((n) => n.from === 'secops@example.com' && n.token === apiKey)).toBe(true);
    expect(taken[0]?.content).toContain(`incident pagerduty:${incident}, fact `);
    expect(stack.bus.failures()).toEqual([]);
  });

  it('locks down without its note when PagerDuty keeps failing, and keeps the key out of every event and item', async () => {
    const incident = `Q${randomUUID().slice(0, 8).toUpperCase()}`;
    await fail(503, 3);
    await put(incident, 'incident.trigger', 'P1');
    expect(session()).toBe(60);
    expect(await notes(incident)).toEqual([]);
    await put(incident, 'incident.resolve', 'P1');
    expect((await notes(incident)).map((n) => n.content)).toEqual([expect.stringContaining('lifted')]);
    expect(stack.bus.failures()).toEqual([]);
    expect(JSON.stringify(stack.bus.events)).not.toContain(apiKey);
    const { Items = [] } = await documentClient(stack.dynamodb.client).send(
      new ScanCommand({ TableName: String(stack.service.providerEnvironment.STATE_TABLE) }),
    );
    expect(JSON.stringify(Items)).not.toContain(apiKey);
  });
});
