/**
 * Okta end to end on the local stack: the partner bus named after Okta's source (created because the deployed rule
 * names it, as the customer's association does on AWS), the rule's pattern and its delivery to the HR queue under
 * the queue's policy, the HR consumer, and the Wickr emulator's state.
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, describe, expect, it } from 'vitest';
import { putServiceEvents } from '../../infra/local/events/service-events-client.js';
import { startLocalStack } from '../../infra/local/local-stack.js';
import { dynamoKind } from '../support/local-dynamodb.js';

const source = 'aws.partner/okta.com/acme/wickr';
const stack = await startLocalStack({
  dynamodb: dynamoKind,
  retryDelaysMs: [50, 100],
  logLevel: 'CRITICAL',
  params: { oktaEventSource: source, hrBatchingWindowSeconds: '0' },
});
afterAll(() => stack.close());

const _bus = new EventBridgeClient({
  region: stack.region,
  endpoint: stack.eventBridgeEndpoint,
  credentials: { accessKeyId: 'okta', secretAccessKey: 'x' },
});
const run = randomUUID().slice(0, 6);
const jane = { id: `00u${run}`, type: 'User', alternateId: `jane.${run}@acme.example`, displayName: 'Jane Roe' };
let minute = 0;
const put = async (eventType: string, target: object[], result = 'SUCCESS') => {
  minute += 1;
  const answer = await putServiceEvents(stack.eventBridgeEndpoint, [
    {
      EventBusName: source,
      Source: source,
      DetailType: 'SystemLog',
      Detail: JSON.stringify({
        uuid: randomUUID(),
        published: new Date(Date.now() - 3_600_000 + minute * 1000).toISOString(),
        eventType,
        outcome: { result, reason: null },
        target,
      }),
    },
  ]);
  expect(answer.FailedEntryCount).toBe(0);
  await stack.bus.drain();
  return answer.Entries?.[0]?.EventId as string;
};
/** The one answer that names an event (an outcome of the functions with its event id). */
const answerTo = (eventId: string) =>
  stack.bus.events
    .map((e) => e.event)
    .filter((e) => e.source === 'wickr.autopilot' && (e.detail as { eventId?: string }).eventId === eventId)
    .map((e) => ({ detailType: e['detail-type'], detail: e.detail }));
const user = () => stack.emulator.snapshot().networks[0]?.users.find((u) => u.username === jane.alternateId);
const groupNamed = (name: string) => stack.emulator.snapshot().networks[0]?.securityGroups.find((g) => g.name === name);

describe('Okta through its partner bus', () => {
  it('provisions, moves and suspends as the person’s facts say; a failed action reaches no function', async () => {
    await put('user.lifecycle.activate', [jane]);
    await put('group.user_membership.add', [jane, { id: '00gS', type: 'UserGroup', displayName: 'Sales-EMEA' }]);
    expect(user()).toMatchObject({ suspended: false, securityGroupIds: [groupNamed('sales')?.id] });
    const moved = await put('group.user_membership.add', [
      jane,
      { id: '00gL', type: 'UserGroup', displayName: 'Legal' },
    ]);
    expect(user()?.securityGroupIds).toEqual([groupNamed('legal')?.id]);
    // A move says where to, by name and id.
    expect(answerTo(moved)[0]?.detail).toMatchObject({
      action: 'moved',
      groupName: 'legal',
      groupId: groupNamed('legal')?.id,
    });
    const before = stack.bus.invocations.length;
    await put('user.lifecycle.deactivate', [jane], 'FAILURE');
    // The rule matches SUCCESS only: nothing was invoked.
    expect(stack.bus.invocations.length).toBe(before);
    expect(user()?.suspended).toBe(false);
    const left = await put('user.lifecycle.deactivate', [jane]);
    expect(user()?.suspended).toBe(true);
    expect(stack.bus.failures()).toEqual([]);
    // Each fact ends in one answer naming its event.
    expect(answerTo(left)).toEqual([
      {
        detailType: 'Wickr Employee Fact Applied',
        detail: expect.objectContaining({ employeeId: `okta:${jane.id}`, action: 'suspended' }),
      },
    ]);
  });

  it('answers an event about nobody it manages as ignored, and why — not as recorded', async () => {
    const stranger = { ...jane, id: `00x${run}`, alternateId: `x.${run}@acme.example` };
    const id = await put('group.user_membership.add', [
      stranger,
      { id: '00gZ', type: 'UserGroup', displayName: 'Zoo' },
    ]);
    expect(answerTo(id)).toEqual([
      {
        detailType: 'Wickr Employee Fact Ignored',
        detail: expect.objectContaining({ reason: expect.stringMatching(/^nothing-mapped: /) }),
      },
    ]);
  });
});
