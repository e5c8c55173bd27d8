/**
 * The threat model, attack by attack, through the local stack where the path crosses the bus: each test is an
 * attack the security review reproduced, and shows it now does no harm.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { LambdaFunction } from '../../infra/local/lambda/lambda-function.js';
import { startLocalStack } from '../../infra/local/local-stack.js';
import { incidentPublisher } from '../support/incident-publisher.js';
import { dynamoKind } from '../support/local-dynamodb.js';

const stack = await startLocalStack({ dynamodb: dynamoKind, retryDelaysMs: [50, 100], logLevel: 'CRITICAL' });
afterAll(() => stack.close());
beforeEach(() => stack.emulator.reset());

const put = incidentPublisher(stack);
const groups = () => stack.emulator.snapshot().networks[0]?.securityGroups.map((g) => g.securityGroupSettings);
const invocationOf = (eventId: string) => stack.bus.invocations.filter((i) => i.eventId === eventId);

describe('forged facts', () => {
  it('refuses a resolution dated in the future, so it cannot pre-empt the real declaration', async () => {
    const incidentId = `INC-${randomUUID().slice(0, 8)}`;
    const forged = await put('Incident Resolved', { incidentId }, new Date('2099-01-01T00:00:00Z'));
    expect(invocationOf(forged).map((i) => [i.outcome, i.error?.name])).toEqual([['refused', 'InputRejectedError']]);
    expect(invocationOf(forged)[0]?.error?.message).toMatch(/time: must not be more than 300 s in the future/);
    const before = groups();
    await put('Incident Declared', { incidentId, severity: 'SEV1', title: 'real' });
    // The real declaration locks the network: the forged tombstone was never written.
    expect(groups()?.every((g) => g.maxNonSsoSessionMinutes === 60)).toBe(true);
    await put('Incident Resolved', { incidentId });
    expect(groups()).toEqual(before);
  });

  it('refuses an event invoked directly with another source or another account, naming the field', async () => {
    const fn = stack.functions.get('incidentResolved') as LambdaFunction;
    const envelope = (source: string, account: string) => ({
      version: '0',
      id: randomUUID(),
      'detail-type': 'Incident Resolved',
      source,
      account,
      time: new Date().toISOString(),
      region: 'us-east-1',
      resources: [],
      detail: { incidentId: 'INC-direct' },
    });
    const wrongSource = await fn.invoke(envelope('hr.system', '000000000000'), randomUUID());
    expect(wrongSource.result).toMatchObject({
      ok: true,
      result: { status: 'refused', reason: expect.stringMatching(/source: must be security\.incidents/) },
    });
    const wrongAccount = await fn.invoke(envelope('security.incidents', '999999999999'), randomUUID());
    expect(wrongAccount.result).toMatchObject({
      ok: true,
      result: { status: 'refused', reason: expect.stringMatching(/account: must be this deployment’s account/) },
    });
    expect(stack.emulator.journal()).toEqual([]);
  });
});
