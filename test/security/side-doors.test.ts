/**
 * The paths beside the guarded bus, tried as an insider with ordinary permissions in the account would: the queues,
 * the outcome source. The local stack enforces the queue and bus policies serverless.yml deploys for every caller
 * (SigV4 keys mapped to principals, the functions as their roles, EventBridge for its rules), so each attack is
 * performed, not read off the template; and a legitimate fact afterwards still acts.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PurgeQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../infra/local/local-stack.js';
import { parseReconcileUnit } from '../../lib/events/reconcile-unit-message.js';
import { documentClient } from '../../lib/store/dynamodb-client.js';
import { dynamoKind } from '../support/local-dynamodb.js';

const hrTool = 'arn:aws:iam::000000000000:role/hr-tool';
const incidentTool = 'arn:aws:iam::000000000000:role/incident-tool';
const operators = 'arn:aws:iam::000000000000:role/operators';
const stack = await startLocalStack({
  dynamodb: dynamoKind,
  retryDelaysMs: [50, 100],
  logLevel: 'CRITICAL',
  params: {
    hrPublishers: hrTool,
    incidentPublishers: incidentTool,
    operatorsRoleArn: operators,
    hrBatchingWindowSeconds: '0',
  },
  identities: new Map([
    ['HRKEY', hrTool],
    ['INCIDENTKEY', incidentTool],
    ['OPSKEY', operators],
    ['INSIDER', 'arn:aws:iam::000000000000:role/developer'],
    ['SIGNED', incidentTool],
  ]),
  secrets: new Map([['SIGNED', 'right-secret']]),
});
afterAll(() => stack.close());
beforeEach(() => stack.emulator.reset());

const as = (accessKeyId: string, secretAccessKey = 'x') => {
  const config = {
    region: 'us-east-1',
    endpoint: stack.eventBridgeEndpoint,
    credentials: { accessKeyId, secretAccessKey },
  };
  return { bus: new EventBridgeClient(config), sqs: new SQSClient(config) };
};
const queueUrl = (logicalId: string) => stack.sqs.queueUrl(logicalId);
const usernames = () => stack.emulator.snapshot().networks[0]?.users.map((u) => u.username) ?? [];
const joiner = (employeeId: string, username: string) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Employee Onboarded',
  source: 'hr.system',
  account: '000000000000',
  time: new Date().toISOString(),
  region: 'us-east-1',
  resources: [],
  detail: { employeeId, username, firstName: 'Ada', lastName: 'L', department: 'Legal' },
});
/** One event put on the project's bus by the holder of an access key. */
const putEvent = (key: string, source: string, detailType: string, detail: object) =>
  as(key).bus.send(
    new PutEventsCommand({
      Entries: [
        { EventBusName: stack.busName, Source: source, DetailType: detailType, Detail: JSON.stringify(detail) },
      ],
    }),
  );
/** An incident fact from the incident tool (a named publisher), delivered and drained. */
const incidentFact = async (detailType: string, detail: object) => {
  await putEvent('INCIDENTKEY', 'security.incidents', detailType, detail);
  await stack.bus.drain();
};
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: Error) => error.name,
  );

describe('the HR queue beside the bus', () => {
  it('refuses an HR fact sent straight to the queue, as it refuses it on the bus; the HR tool still provisions', async () => {
    const insider = as('INSIDER');
    const forged = joiner('E-666', 'mallory@example.com');
    expect(await refusal(putEvent('INSIDER', 'hr.system', 'Employee Onboarded', forged.detail))).toBe(
      'AccessDeniedException',
    );
    // The side door: the same envelope as the rule would deliver it.
    expect(
      await refusal(
        insider.sqs.send(
          new SendMessageCommand({ QueueUrl: queueUrl('HrEventQueue'), MessageBody: JSON.stringify(forged) }),
        ),
      ),
    ).toBe('AccessDenied');
    await stack.bus.drain();
    expect(usernames()).not.toContain('mallory@example.com');

    // Nor may anyone but the consumer take facts off it, or anyone but the operators purge it.
    expect(await refusal(insider.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl('HrEventQueue') })))).toBe(
      'AccessDenied',
    );
    expect(await refusal(insider.sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl('HrEventQueue') })))).toBe(
      'AccessDenied',
    );
    expect(await refusal(as('OPSKEY').sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl('HrEventQueue') })))).toBe(
      'accepted',
    );

    // The legitimate path crosses the same policies: the rule delivers, the consumer's role polls and deletes.
    const real = joiner('E-100', 'ada@example.com');
    await putEvent('HRKEY', 'hr.system', real['detail-type'], real.detail);
    await stack.bus.drain();
    expect(usernames()).toContain('ada@example.com');
    expect(stack.bus.failures()).toEqual([]);
  });
});

describe('the reconcile queue, the failure queues and the outcome source', () => {
  it('refuses a planted hand-over, a planted failure and a forged outcome event; the functions still use all three', async () => {
    const insider = as('INSIDER');
    const unit = {
      networkId: '12345678',
      incidentId: 'INC-x',
      trigger: 'Incident Resolved',
      factTime: new Date().toISOString(),
    };
    expect(
      await refusal(
        insider.sqs.send(
          new SendMessageCommand({ QueueUrl: queueUrl('NetworkReconcileQueue'), MessageBody: JSON.stringify(unit) }),
        ),
      ),
    ).toBe('AccessDenied');
    const planted = {
      requestPayload: {
        source: 'security.incidents',
        'detail-type': 'Incident Resolved',
        detail: { incidentId: 'SH-1', override: true },
      },
    };
    expect(
      await refusal(
        insider.sqs.send(
          new SendMessageCommand({
            QueueUrl: queueUrl('IncidentResolvedFailureQueue'),
            MessageBody: JSON.stringify(planted),
          }),
        ),
      ),
    ).toBe('AccessDenied');
    expect(
      await refusal(putEvent('INSIDER', 'wickr.autopilot', 'Wickr Lockdown Lifted', { incidentId: 'INC-7' })),
    ).toBe('AccessDeniedException');
    expect(stack.bus.failures()).toEqual([]);

    // A real SEV1 on every network: the first is reconciled in place, the others handed over through the queue
    // (as the declaring function's role), and every outcome event is accepted from the functions' roles.
    const incidentId = `INC-${randomUUID().slice(0, 8)}`;
    await putEvent('INCIDENTKEY', 'security.incidents', 'Incident Declared', {
      incidentId,
      severity: 'SEV1',
      title: 'real',
    });
    await stack.bus.drain();
    const groups = stack.emulator.snapshot().networks[0]?.securityGroups ?? [];
    expect(groups.every((g) => g.securityGroupSettings.maxNonSsoSessionMinutes === 60)).toBe(true);
    const outcomes = stack.bus.events.filter((e) => e.event.source === 'wickr.autopilot');
    expect(outcomes.map((e) => e.event['detail-type'])).toContain('Wickr Lockdown Applied');

    // A refusal still reaches the function's own failure queue (Lambda's destination sends as its role).
    await putEvent('INCIDENTKEY', 'security.incidents', 'Incident Declared', {});
    await stack.bus.drain();
    expect(stack.bus.failures().map((f) => f.queue)).toEqual(['IncidentDeclaredFailureQueue']);
    stack.bus.takeFailures();
    await incidentFact('Incident Resolved', { incidentId });
  });
});

describe('the state table’s items', () => {
  const declare = (incidentId: string) =>
    incidentFact('Incident Declared', { incidentId, severity: 'SEV1', title: 'real', networkIds: ['12345678'] });
  const resolve = (incidentId: string) => incidentFact('Incident Resolved', { incidentId });
  const locked = () =>
    (stack.emulator.snapshot().networks[0]?.securityGroups ?? []).every(
      (g) => g.securityGroupSettings.maxNonSsoSessionMinutes === 60,
    );
  // As an insider whose identity policy allows dynamodb:PutItem would (the table's resource policy, which denies it
  // on AWS, is not emulated by the local DynamoDB): the code must not trust these items either.
  const put = (Item: Record<string, unknown>) =>
    documentClient(stack.dynamodb.client).send(new PutCommand({ TableName: 'wickr-autopilot-local-state', Item }));

  it('takes over a lease poisoned to last ten years: a SEV1 still locks the network', async () => {
    const tenYears = Date.now() + 10 * 365 * 86_400_000;
    await put({ pk: 'NETWORK#12345678', sk: 'INCIDENTS', leaseOwner: 'attacker', leaseExpires: tenYears, version: 1 });
    const incidentId = `INC-${randomUUID().slice(0, 8)}`;
    await declare(incidentId);
    expect(locked()).toBe(true);
    const outcomes = stack.bus.events.filter((e) => e.event['detail-type'] === 'Wickr Lockdown Applied');
    expect(outcomes.some((e) => (e.event.detail as { incidentId?: string }).incidentId === incidentId)).toBe(true);
    await resolve(incidentId);
    expect(locked()).toBe(false);
  });

  it('resets a request meter poisoned a day ahead instead of waiting on it: a SEV1 still locks in time', async () => {
    await put({ pk: 'BUDGET#incident', sk: 'METER', tat: Date.now() + 86_400_000 });
    const incidentId = `INC-${randomUUID().slice(0, 8)}`;
    const started = Date.now();
    await declare(incidentId);
    expect(locked()).toBe(true);
    // Not a timing assertion on speed: the failure mode was every declaration timing out into its failure queue.
    expect(stack.bus.failures()).toEqual([]);
    expect(
      stack.bus.invocations.filter((i) => Date.parse(i.startedAt) >= started && i.outcome !== 'succeeded'),
    ).toEqual([]);
    await resolve(incidentId);
  });
});

describe('the operator’s redrive', () => {
  it('refuses to re-put a planted override or another function’s event, shows why, and keeps them', async () => {
    // Planted past the queue policy (an old message, or a policy someone loosened): the redrive checks on its own.
    const lifted = {
      requestPayload: {
        source: 'security.incidents',
        'detail-type': 'Incident Resolved',
        time: new Date().toISOString(),
        detail: { incidentId: 'SH-0123456789abcdef0123456789abcdef', override: true },
      },
      requestContext: { functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:incidentResolved' },
    };
    const misrouted = { ...lifted, requestPayload: { ...lifted.requestPayload, detail: { incidentId: 'INC-1' } } };
    stack.sqs.send('IncidentResolvedFailureQueue', JSON.stringify(lifted));
    stack.sqs.send('PolicyRotationFailureQueue', JSON.stringify({ ...misrouted, functionName: 'incidentResolved' }));
    const eventsBefore = stack.bus.events.length;
    const answer = stack.bus.redriveFailures();
    expect(answer.redriven).toBe(0);
    expect(answer.kept).toBe(2);
    expect(answer.refused.map((r) => r.reason).sort()).toEqual([
      expect.stringMatching(/^an override is never redriven/),
      expect.stringMatching(/^no rule of PolicyRotationFailureQueue's function accepts security\.incidents/),
    ]);
    expect(stack.bus.events.slice(eventsBefore)).toEqual([]);
    stack.bus.takeFailures();
  });
});

describe('the local bus’s own door', () => {
  it('checks the signature of a key whose secret it was given: a stolen key id alone is not the incident tool', async () => {
    const entry = {
      EventBusName: stack.busName,
      Source: 'security.incidents',
      DetailType: 'Incident Resolved',
      Detail: JSON.stringify({ incidentId: 'INC-sig' }),
    };
    const wrong = as('SIGNED', 'guessed').bus.send(new PutEventsCommand({ Entries: [entry] }));
    expect(await refusal(wrong)).toBe('InvalidSignatureException');
    const right = as('SIGNED', 'right-secret').bus.send(new PutEventsCommand({ Entries: [entry] }));
    expect(await refusal(right)).toBe('accepted');
    await stack.bus.drain();
  });

  it('answers its control planes only to loopback names, and bounds every body', async () => {
    const ask = (endpoint: string, path: string, host: string, body = '') =>
      new Promise<number>((resolve, reject) => {
        const url = new URL(path, endpoint);
        const req = request(
          { host: url.hostname, port: url.port, path: url.pathname, method: body ? 'POST' : 'GET', headers: { host } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    // A page that rebound its own name to 127.0.0.1 sends that name: refused, as the emulator's reset is.
    expect(await ask(stack.eventBridgeEndpoint, '/_local/failures', 'evil.example')).toBe(403);
    expect(await ask(stack.wickrEndpoint, '/_emulator/state', 'evil.example:80')).toBe(403);
    expect(await ask(stack.eventBridgeEndpoint, '/_local/failures', 'localhost')).toBe(200);
    expect(await ask(stack.eventBridgeEndpoint, '/_local/drain', '127.0.0.1', 'x'.repeat(2 * 1024 * 1024))).toBe(413);
  });
});

describe('facts that carry their own time or fields', () => {
  it('refuses a rotation tick dated ahead (a window applied early), and a hand-over message with fields of its own', async () => {
    const name = stack.service.schedules.find((s) => s.kind === 'scheduler')?.name as string;
    const fired = stack.bus.fireSchedule(name, new Date(Date.now() + 86_400_000));
    await stack.bus.drain();
    const tick = stack.bus.invocations
      .filter((i) => i.eventId === (fired as { id?: string }).id || i.trigger === name)
      .at(-1);
    expect(tick?.outcome).toBe('refused');
    expect(tick?.error?.message).toMatch(/time: must not be more than 300 s in the future/);
    stack.bus.takeFailures();
    const unit = {
      networkId: '12345678',
      incidentId: 'INC-1',
      trigger: 'Incident Declared',
      factTime: new Date().toISOString(),
    };
    expect(parseReconcileUnit(JSON.stringify(unit))).toEqual(unit);
    expect(parseReconcileUnit(JSON.stringify({ ...unit, extra: { severity: 'SEV1', note: 'x'.repeat(60) } }))).toEqual({
      problem: expect.stringMatching(/^extra: /),
    });
    expect(parseReconcileUnit(JSON.stringify({ ...unit, handovers: 1e9 }))).toHaveProperty('problem');
  });
});

describe('the access review’s own source', () => {
  it('refuses a forged hand-over from anyone but the review; a request reads only, and its proposals wait', async () => {
    const run = { runId: '12345678-20261130t0500z', networkId: '12345678', startedAt: '2026-11-30T05:00:00Z', part: 0 };
    // Only the review's role may put its hand-overs: an insider's forged run is denied at the bus.
    expect(await refusal(putEvent('INSIDER', 'wickr.autopilot.review', 'Wickr Access Review Continued', run))).toBe(
      'AccessDeniedException',
    );
    // A request is anyone's to make (the operators' source is a nudge): it reads, and changes nothing in Wickr.
    await putEvent('INSIDER', 'wickr.autopilot.operators', 'Wickr Access Review Requested', {
      kind: 'access-review',
    });
    await stack.bus.drain();
    const completed = stack.bus.events.filter((e) => e.event['detail-type'] === 'Wickr Access Review Completed');
    expect(completed.length).toBeGreaterThan(0);
    expect(stack.emulator.journal().filter((e) => e.method !== 'GET')).toEqual([]);
  });
});
