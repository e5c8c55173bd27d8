/**
 * A compromised account through the local stack as deployed: an employee HR provisioned, contained by the on-call's
 * fact on the project bus and by a GuardDuty finding on the default bus, released when the case is cleared.
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, describe, expect, it } from 'vitest';
import { putServiceEvents } from '../../infra/local/events/service-events-client.js';
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
  const entry = { EventBusName: eventBusName, Source: source, DetailType: detailType, Detail: JSON.stringify(detail) };
  // GuardDuty's findings reach the default bus as AWS delivers them; a caller may not use an aws.* source.
  const answer = source.startsWith('aws.')
    ? await putServiceEvents(stack.eventBridgeEndpoint, [entry])
    : await bus.send(new PutEventsCommand({ Entries: [entry] }));
  expect(answer.FailedEntryCount).toBe(0);
  await stack.bus.drain();
};
const guardDutyFinding = (id: string, key: object) => ({
  id,
  accountId: '000000000000',
  type: 'CredentialAccess:IAMUser/AnomalousBehavior',
  severity: 8,
  resource: { resourceType: 'AccessKey', accessKeyDetails: key },
});
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

    // GuardDuty: an IAM finding on an Identity Center session, whose name Identity Center set to the person's.
    await put(
      'aws.guardduty',
      'GuardDuty Finding',
      guardDutyFinding(`gd-${who}`, {
        principalId: `AROAEXAMPLE:${username}`,
        userName: 'AWSReservedSSO_Engineers_0123456789abcdef',
        userType: 'AssumedRole',
      }),
      'default',
    );
    expect(userNamed(username)?.suspended).toBe(true);
    expect(outcomes('Wickr Account Contained').at(-1)?.event.detail).toMatchObject({ caseIds: [`GD-gd-${who}`] });
  });

  it('as an insider: a finding on a session named after someone else contains no one; nor does a forged aws.guardduty', async () => {
    const who = randomUUID().slice(0, 6);
    const username = `cfo.${who}@example.com`;
    await put('hr.system', 'Employee Onboarded', { employeeId: `E-CFO-${who}`, username, department: 'Finance' });
    // `aws sts assume-role --role-arn …/developer --role-session-name cfo@…`, then something GuardDuty finds.
    const attack = guardDutyFinding(`gd-attack-${who}`, {
      principalId: `AROADEVELOPER:${username}`,
      userName: 'developer',
      userType: 'AssumedRole',
    });
    await put('aws.guardduty', 'GuardDuty Finding', attack, 'default');
    expect(userNamed(username)?.suspended).toBe(false);
    expect(outcomes('Wickr Account Unresolved').at(-1)?.event.detail).toMatchObject({
      caseId: `GD-gd-attack-${who}`,
      reason: 'session name chosen by the caller',
    });
    // The finding put by the insider themselves: EventBridge refuses an aws.* source from any PutEvents caller.
    const forged = await bus.send(
      new PutEventsCommand({
        Entries: [{ Source: 'aws.guardduty', DetailType: 'GuardDuty Finding', Detail: JSON.stringify(attack) }],
      }),
    );
    expect(forged.Entries?.[0]?.ErrorCode).toBe('NotAuthorizedForSourceException');
    const partner = await bus.send(
      new PutEventsCommand({
        Entries: [{ Source: 'aws.partner/okta.com/acme/wickr', DetailType: 'SystemLog', Detail: '{}' }],
      }),
    );
    expect(partner.Entries?.[0]?.ErrorCode).toBe('NotAuthorizedForSourceException');
    expect(userNamed(username)?.suspended).toBe(false);
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
