/**
 * PagerDuty end to end on the local stack: its partner bus, the deployed rule's pattern, the incident sources
 * function, the lockdown on the Wickr emulator and its exact restore on resolution.
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../infra/local/local-stack.js';
import { dynamoKind } from '../support/local-dynamodb.js';
import { pagerDutyPartner } from '../support/pagerduty-partner.js';

const source = 'aws.partner/pagerduty.com/acme/sec';
const stack = await startLocalStack({
  dynamodb: dynamoKind,
  retryDelaysMs: [50, 100],
  logLevel: 'CRITICAL',
  params: { pagerDutyEventSource: source },
});
afterAll(() => stack.close());

const _bus = new EventBridgeClient({
  region: stack.region,
  endpoint: stack.eventBridgeEndpoint,
  credentials: { accessKeyId: 'pagerduty', secretAccessKey: 'x' },
});
const incident = `Q${randomUUID().slice(0, 8).toUpperCase()}`;
const pagerDuty = pagerDutyPartner(stack, source);
const put = (event: string, service = 'PSEC001') => pagerDuty(incident, event, { service });
const session = () =>
  stack.emulator.snapshot().networks[0]?.securityGroups.find((g) => g.id === 'sg-engineering')?.securityGroupSettings
    .maxNonSsoSessionMinutes;

describe('PagerDuty through its partner bus', () => {
  it('a P1 on the security service locks Wickr down; its resolution restores exactly; other services do nothing', async () => {
    const before = session();
    await put('incident.trigger', 'PBILLING');
    expect(session()).toBe(before);
    await put('incident.trigger');
    expect(session()).toBe(60);
    await put('incident.acknowledge');
    expect(session()).toBe(60);
    await put('incident.resolve');
    expect(session()).toBe(before);
    expect(stack.bus.failures()).toEqual([]);
  });
});
