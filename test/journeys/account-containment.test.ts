/**
 * A compromised account through the local stack as deployed: an employee HR provisioned, contained by the on-call's
 * fact on the project bus and by a GuardDuty finding on the default bus, released when the case is cleared.
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../infra/local/local-stack.js';
import { dynamoKind } from '../support/local-dynamodb.js';

const stack = await startLocalStack({
  dynamodb: dynamoKind,
  retryDelaysMs: [50, 100],
  logLevel: 'CRITICAL',
  params: { hrBatchingWindowSeconds: '0', guardDutyEnabled: 'true' },
});
afterAll(() => stack.close());

const bus = new EventBridgeClient({
  region: stack.region,
  endpoint: stack.eventBridgeEndpoint,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const put = async (source: string, detailType: string, detail: object, eventBusName = stack.busName) => {
  await bus.send(
    new PutEventsCommand({
      Entries: [{ EventBusName: eventBusName, Source: source, DetailType: detailType, Detail: JSON.stringify(detail) }],
    }),
  );
  await stack.bus.drain();
};
const userNamed = (username: string) =>
  stack.emulator.snapshot().networks[0]?.users.find((u) => u.username === username);
const outcomes = (detailType: string) =>
  stack.bus.events.filter((e) => e.event.source === 'wickr.autopilot' && e.event['detail-type'] === detailType);

describe('account containment on the local stack', () => {
  it('contains a provisioned employee on the on-call’s fact and on a GuardDuty finding, and releases on clearance', async () => {
    const who = randomUUID().slice(0, 6);
    const username = `ir.${who}@example.com`;
    await put('hr.system', 'Employee Onboarded', { employeeId: `E-IR-${who}`, username, department: 'Engineering' });
    expect(userNamed(username)?.suspended).toBe(false);

    await put('security.incidents', 'Account Compromised', { caseId: `IR-${who}`, subject: `E-IR-${who}` });
    expect(userNamed(username)?.suspended).toBe(true);
    expect(outcomes('Wickr Account Contained').at(-1)?.event.detail).toMatchObject({
      employeeId: `E-IR-${who}`,
      steps: ['suspended', 'devices-signed-out'],
      actor: 'accountContainment',
    });
    await put('security.incidents', 'Account Cleared', { caseId: `IR-${who}`, subject: `E-IR-${who}` });
    expect(userNamed(username)?.suspended).toBe(false);

    // GuardDuty: an IAM finding on an SSO session named after the person.
    await put(
      'aws.guardduty',
      'GuardDuty Finding',
      {
        id: `gd-${who}`,
        type: 'CredentialAccess:IAMUser/AnomalousBehavior',
        severity: 8,
        resource: {
          resourceType: 'AccessKey',
          accessKeyDetails: { principalId: `AROAEXAMPLE:${username}`, userType: 'AssumedRole' },
        },
      },
      'default',
    );
    expect(userNamed(username)?.suspended).toBe(true);
    expect(outcomes('Wickr Account Contained').at(-1)?.event.detail).toMatchObject({ caseIds: [`GD-gd-${who}`] });
  });

  it('takes account facts from the incident source only, and refuses a bad one naming the field', async () => {
    await put('someone.else', 'Account Compromised', { caseId: 'X-1', subject: 'E-1' });
    // No rule takes another source on the project bus: nothing reaches the function.
    const invoked = stack.bus.invocations.filter(
      (i) => i.functionName === 'accountContainment' && i.detailType === 'Account Compromised',
    );
    const before = invoked.length;
    await put('security.incidents', 'Account Compromised', { caseId: 'bad case id!', subject: 'E-1' });
    expect(stack.bus.failures().some((f) => JSON.stringify(f.body).includes('detail.caseId'))).toBe(true);
    expect(
      stack.bus.invocations.filter(
        (i) => i.functionName === 'accountContainment' && i.detailType === 'Account Compromised',
      ).length,
    ).toBeGreaterThan(before);
  });
});
