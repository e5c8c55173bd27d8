/**
 * The local stack end to end: events go in through the real @aws-sdk/client-eventbridge, rules come from the
 * real serverless.yml, functions run in their own workers against DynamoDB and the Wickr emulator.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { putServiceEvents } from '../../../infra/local/events/service-events-client.js';
import { invocationLine } from '../../../infra/local/invocation-line.js';
import type { InvocationRecord } from '../../../infra/local/lambda/invocation-log.js';
import { type LocalStack, startLocalStack } from '../../../infra/local/local-stack.js';
import { dynamoKind } from '../../support/local-dynamodb.js';

const stack = await startLocalStack({
  dynamodb: dynamoKind,
  // Lambda waits about a minute before a retry; scaled down, but longer than one lockdown of the demo network.
  retryDelaysMs: [400, 800],
  logLevel: 'CRITICAL',
  params: { securityHubEnabled: 'true' },
});
const fixture = await startLocalStack({
  serverlessFile: 'test/fixtures/local-bus/serverless.yml',
  retryDelaysMs: [10],
  logLevel: 'CRITICAL',
});
afterAll(async () => {
  await stack.close();
  await fixture.close();
});

const clientOf = (s: LocalStack) =>
  new EventBridgeClient({
    region: 'us-east-1',
    endpoint: s.eventBridgeEndpoint,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
const eventBridge = clientOf(stack);
const control = async (s: LocalStack, method: string, path: string, body?: unknown) =>
  (
    await fetch(new URL(path, s.eventBridgeEndpoint), { method, body: body ? JSON.stringify(body) : undefined })
  ).json() as Promise<Record<string, unknown>>;

const incident = (detailType: string, detail: unknown, source = 'security.incidents') => ({
  EventBusName: stack.busName,
  Source: source,
  DetailType: detailType,
  Detail: JSON.stringify(detail),
});

beforeEach(() => stack.emulator.reset());

describe('routing by serverless.yml', () => {
  it('delivers a declaration to incidentDeclared only, in the envelope EventBridge uses', async () => {
    const before = stack.bus.invocations.length;
    const answer = await eventBridge.send(
      new PutEventsCommand({
        Entries: [incident('Incident Declared', { incidentId: 'E2E-1', severity: 'SEV3', title: 'e2e' })],
      }),
    );
    expect(answer.FailedEntryCount).toBe(0);
    await control(stack, 'POST', '/_local/drain');
    const { invocations } = (await control(stack, 'GET', '/_local/invocations')) as {
      invocations: { functionName: string; eventId: string; outcome: string }[];
    };
    expect(invocations.slice(before)).toEqual([
      expect.objectContaining({
        functionName: 'incidentDeclared',
        eventId: answer.Entries?.[0]?.EventId,
        outcome: 'succeeded',
      }),
    ]);
    const delivered = stack.bus.events.find((e) => e.event.id === answer.Entries?.[0]?.EventId)?.event;
    expect(delivered).toMatchObject({
      version: '0',
      source: 'security.incidents',
      account: '000000000000',
      region: 'us-east-1',
      resources: [],
    });
    expect(delivered?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(
      stack.emulator.snapshot().networks[0]?.securityGroups.find((g) => g.id === 'sg-engineering')
        ?.securityGroupSettings.maxNonSsoSessionMinutes,
    ).toBe(720);
    // The function's outcome event came back through the same bus.
    expect(stack.bus.events.map((e) => e.event['detail-type'])).toContain('Wickr Lockdown Applied');

    await eventBridge.send(new PutEventsCommand({ Entries: [incident('Incident Resolved', { incidentId: 'E2E-1' })] }));
    await stack.bus.drain();
    expect(
      stack.emulator.snapshot().networks[0]?.securityGroups.find((g) => g.id === 'sg-engineering')
        ?.securityGroupSettings.maxNonSsoSessionMinutes,
    ).toBe(1440);
  });

  it('routes Security Hub findings from the default bus when the deployment enables them', async () => {
    const shFinding = {
      Id: 'arn:finding/e2e',
      ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty',
      AwsAccountId: '000000000000',
      Severity: { Label: 'CRITICAL' },
    };
    const answer = await putServiceEvents(stack.eventBridgeEndpoint, [
      {
        Source: 'aws.securityhub',
        DetailType: 'Security Hub Findings - Imported',
        Detail: JSON.stringify({ findings: [{ ...shFinding, Workflow: { Status: 'NEW' } }] }),
      },
    ]);
    await stack.bus.drain();
    expect(
      stack.bus.invocations
        .filter((i) => i.eventId === answer.Entries?.[0]?.EventId)
        .map((i) => [i.functionName, i.outcome]),
    ).toEqual([['incidentSources', 'succeeded']]);
    expect(stack.emulator.snapshot().networks[0]?.consentPopup?.enabled).toBe(true);
    // Resolved again, so no lockdown outlives the test.
    const finding = { ...shFinding, Workflow: { Status: 'RESOLVED' } };
    await putServiceEvents(stack.eventBridgeEndpoint, [
      {
        Source: 'aws.securityhub',
        DetailType: 'Security Hub Findings - Imported',
        Detail: JSON.stringify({ findings: [finding] }),
      },
    ]);
    await stack.bus.drain();
    expect(stack.emulator.snapshot().networks[0]?.consentPopup?.enabled).toBe(false);
  });

  it('routes nothing for a source no rule names', async () => {
    const before = stack.bus.invocations.length;
    const answer = await eventBridge.send(
      new PutEventsCommand({ Entries: [incident('Incident Declared', { incidentId: 'x' }, 'someone.else')] }),
    );
    await stack.bus.drain();
    expect(stack.bus.invocations.length).toBe(before);
    expect(stack.bus.events.find((e) => e.event.id === answer.Entries?.[0]?.EventId)?.matchedRules).toEqual([]);
  });
});

describe('HR provisioning through the rules', () => {
  it('creates a new department group and the joiner in it; refuses a joiner without a department', async () => {
    const hr = (detailType: string, detail: unknown) => ({
      EventBusName: stack.busName,
      Source: 'hr.system',
      DetailType: detailType,
      Detail: JSON.stringify(detail),
    });
    const answer = await eventBridge.send(
      new PutEventsCommand({
        Entries: [
          hr('Employee Onboarded', { employeeId: 'E-e2e', username: 'e2e@example.com', department: 'Audit' }),
          hr('Employee Onboarded', { employeeId: 'E-bad', username: 'bad@example.com' }),
        ],
      }),
    );
    await stack.bus.drain();
    const network = stack.emulator.snapshot().networks[0];
    const audit = network?.securityGroups.find((g) => g.name === 'audit');
    expect(network?.users.find((u) => u.username === 'e2e@example.com')?.securityGroupIds).toEqual([audit?.id]);
    const refused = stack.bus
      .failures()
      .find((f) => (f.body as { event?: { id?: string } }).event?.id === answer.Entries?.[1]?.EventId);
    expect(refused?.queue).toBe('HrEventsFailureQueue');
    expect((refused?.body as { issues?: unknown } | undefined)?.issues).toEqual([
      { field: 'detail.department', reason: 'department is required' },
    ]);
    // The batch's record says what became of each message: never "succeeded" over a refusal.
    const batches = stack.bus.invocations.filter((i) => i.functionName === 'hrEvents' && i.items);
    const items = batches.flatMap((b) => b.items?.refused ?? []);
    expect(items).toEqual([
      { employeeId: 'E-bad', reason: expect.stringMatching(/detail\.department: department is required/) },
    ]);
    expect(batches.reduce((n, b) => n + (b.items?.total ?? 0), 0)).toBe(2);
    // And --serve's line for such a batch never says "succeeded" over a refusal.
    const refusing = batches.find((b) => (b.items?.refused.length ?? 0) > 0);
    expect(invocationLine(stack, refusing as InvocationRecord)).toMatch(
      /hrEvents batch of \d+: \d+ applied, 1 refused \(attempt 1 in \d+ ms, \d+ Wickr calls\) — E-bad: .*detail\.department: department is required/,
    );
  });
});

describe('the local control plane', () => {
  it('lists its routes, and answers bad input with 400 naming the field', async () => {
    const { routes } = (await control(stack, 'GET', '/_local/')) as { routes: string[] };
    expect(routes).toContain('POST /_local/drain — wait until nothing is pending');
    const bad = await fetch(
      new URL('/_local/schedules/wickr-autopilot-local-rotation-hourly/fire', stack.eventBridgeEndpoint),
      {
        method: 'POST',
        body: JSON.stringify({ time: 'yesterday' }),
      },
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ reasons: [{ field: 'time', reason: 'must be an ISO 8601 date-time' }] });
    expect((await control(stack, 'GET', '/_local/nope')).routes).toEqual(routes);
  });

  it('redrives the failure queues onto the bus (a refused event is refused again, with its reason) and clears them', async () => {
    await control(stack, 'DELETE', '/_local/failures');
    await eventBridge.send(
      new PutEventsCommand({ Entries: [incident('Incident Declared', { incidentId: 'INC-redrive' })] }),
    );
    await stack.bus.drain();
    const reasons = async () =>
      ((await control(stack, 'GET', '/_local/failures')).failures as { body: { reason: string } }[]).map(
        (f) => f.body.reason,
      );
    const [reason] = await reasons();
    expect(reason).toMatch(/detail\.severity/);
    expect(await control(stack, 'POST', '/_local/failures/redrive')).toEqual({ redriven: 1, kept: 0, refused: [] });
    await stack.bus.drain();
    expect(await reasons()).toEqual([reason]);
    expect(await control(stack, 'DELETE', '/_local/failures')).toEqual({ cleared: 1 });
    expect(await reasons()).toEqual([]);
  });
});

describe('policy rotation on a schedule', () => {
  it('fires the hourly schedule at a chosen time and fixes the drift', async () => {
    const name = 'wickr-autopilot-local-rotation-hourly';
    const fired = (await control(stack, 'POST', `/_local/schedules/${name}/fire`, {
      time: '2026-11-28T11:00:00Z',
    })) as { id: string };
    await control(stack, 'POST', '/_local/drain');
    expect(stack.bus.invocations.find((i) => i.eventId === fired.id)).toMatchObject({
      functionName: 'policyRotation',
      outcome: 'succeeded',
    });
    const engineering = stack.emulator.snapshot().networks[0]?.securityGroups.find((g) => g.id === 'sg-engineering');
    expect(engineering?.securityGroupSettings.maxNonSsoSessionMinutes).toBe(480);
    expect(stack.bus.events.map((e) => e.event['detail-type'])).toContain('Wickr Policy Rotated');
    // The payload Scheduler delivers: its scheduled time, and the schedule as the resource the tick is keyed on.
    expect(fired).toMatchObject({
      source: 'aws.scheduler',
      'detail-type': 'Scheduled Event',
      time: '2026-11-28T11:00:00Z',
      resources: [`arn:aws:scheduler:us-east-1:000000000000:schedule/default/${name}`],
    });
  });

  it('lists the schedules derived from the policy, each in its time zone with its next fire time', async () => {
    const { schedules } = (await control(stack, 'GET', '/_local/schedules')) as {
      schedules: { name: string; expression: string; timeZone: string; nextFireTime: string }[];
    };
    expect(schedules.map((s) => [s.name, s.expression, s.timeZone])).toEqual([
      ['wickr-autopilot-local-rotation-hourly', 'rate(1 hour)', 'Europe/Berlin'],
      ['wickr-autopilot-local-rotation-edge-0800', 'cron(0 8 ? * MON,TUE,WED,THU,FRI *)', 'Europe/Berlin'],
      ['wickr-autopilot-local-rotation-edge-1800', 'cron(0 18 ? * MON,TUE,WED,THU,FRI *)', 'Europe/Berlin'],
      ['wickr-autopilot-local-containment-sweep', 'rate(15 minutes)', 'UTC'],
      ['wickr-autopilot-local-posture-check', 'rate(1 hour)', 'UTC'],
      ['wickr-autopilot-local-audit-anchor', 'rate(1 hour)', 'UTC'],
      ['wickr-autopilot-local-access-review', 'cron(0 6 ? * MON *)', 'Europe/Berlin'],
    ]);
    const edge = schedules[1]?.nextFireTime ?? '';
    const berlin = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    expect(berlin.format(new Date(edge))).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 08:00$/);
    const unknown = (await control(stack, 'POST', '/_local/schedules/nope/fire')) as { message: string };
    expect(unknown.message).toContain('wickr-autopilot-local-rotation-hourly');
  });
});

describe('duplicates through the real Middy chain', () => {
  it('makes one change per group when the same declaration arrives three times at once', async () => {
    const declaration = incident('Incident Declared', { incidentId: 'E2E-dup', severity: 'SEV2', title: 'dup' });
    const answer = await eventBridge.send(new PutEventsCommand({ Entries: [declaration, declaration, declaration] }));
    await stack.bus.drain();
    const ids = new Set(answer.Entries?.map((e) => e.EventId));
    expect(ids.size).toBe(3);
    const attempts = stack.bus.invocations.filter((i) => ids.has(i.eventId));
    // Copies that found the first still running failed retryably and were retried: none is left failed.
    for (const id of ids) {
      expect(attempts.filter((a) => a.eventId === id).at(-1)?.outcome).toBe('succeeded');
    }
    for (const failed of attempts.filter((a) => a.outcome === 'failed')) {
      expect(['IdempotencyAlreadyInProgressError', 'NetworkBusyError']).toContain(failed.error?.name);
    }
    const writes = stack.emulator.journal().filter((e) => e.method !== 'GET' && e.status === 200);
    expect(writes.filter((e) => e.operation === 'UpdateSecurityGroup')).toHaveLength(4);
    expect(writes.filter((e) => e.operation === 'UpdateNetworkSettings')).toHaveLength(1);
    await eventBridge.send(
      new PutEventsCommand({ Entries: [incident('Incident Resolved', { incidentId: 'E2E-dup' })] }),
    );
    await stack.bus.drain();
  });
});

describe('PutEvents validation', () => {
  it('answers per entry: malformed detail, missing source, unknown bus', async () => {
    const answer = await eventBridge.send(
      new PutEventsCommand({
        Entries: [
          { ...incident('Incident Declared', {}), Detail: '{not json' },
          { ...incident('Incident Declared', {}), Source: undefined },
          { ...incident('Incident Declared', {}), EventBusName: 'nope' },
          incident('Something Else', { ok: true }),
        ],
      }),
    );
    expect(answer.FailedEntryCount).toBe(3);
    expect(answer.Entries?.map((e) => e.ErrorCode ?? 'accepted')).toEqual([
      'MalformedDetail',
      'InvalidArgument',
      'InvalidArgument',
      'accepted',
    ]);
  });

  it('refuses more than 10 entries as a whole', async () => {
    const entries = Array.from({ length: 11 }, () => incident('X', {}));
    await expect(eventBridge.send(new PutEventsCommand({ Entries: entries }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });
});

describe('failures', () => {
  it('sends refused input to the function failure queue with its reason, without retries', async () => {
    const answer = await eventBridge.send(
      new PutEventsCommand({
        Entries: [incident('Incident Declared', { incidentId: 'bad id with spaces', severity: 'SEV9' })],
      }),
    );
    await stack.bus.drain();
    const eventId = answer.Entries?.[0]?.EventId;
    expect(stack.bus.invocations.filter((i) => i.eventId === eventId).map((i) => i.outcome)).toEqual(['refused']);
    const { failures } = (await control(stack, 'GET', '/_local/failures')) as {
      failures: { queue: string; body: { issues: unknown; event: { id: string } } }[];
    };
    const failure = failures.find((f) => f.body.event?.id === eventId);
    expect(failure?.queue).toBe('IncidentDeclaredFailureQueue');
    expect(failure?.body.issues).toEqual([
      { field: 'detail.incidentId', reason: 'must be 1–128 characters of letters, digits, . _ : -' },
      { field: 'detail.severity', reason: 'must be one of SEV1, SEV2, SEV3, SEV4' },
    ]);
    expect(stack.emulator.journal()).toEqual([]);
    expect(stack.bus.events.map((e) => e.event['detail-type'])).toContain('Wickr Automation Failed');
  });

  it('retries a failing function twice, then hands the event to its failure destination', async () => {
    stack.emulator.setFaults({ errorRates: { '500': 1 } });
    const answer = await eventBridge.send(
      new PutEventsCommand({ Entries: [incident('Incident Declared', { incidentId: 'E2E-down', severity: 'SEV4' })] }),
    );
    await stack.bus.drain();
    stack.emulator.setFaults({});
    // Resolved again, so the incident recorded as active does not lock the network in later tests.
    await eventBridge.send(
      new PutEventsCommand({ Entries: [incident('Incident Resolved', { incidentId: 'E2E-down' })] }),
    );
    await stack.bus.drain();
    const eventId = answer.Entries?.[0]?.EventId;
    const attempts = stack.bus.invocations.filter((i) => i.eventId === eventId);
    expect(attempts.map((i) => [i.attempt, i.outcome])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'failed'],
    ]);
    const record = stack.bus
      .failures()
      .find((f) => (f.body as { requestPayload?: { id?: string } }).requestPayload?.id === eventId);
    expect(record?.body).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      responsePayload: { errorType: 'WickrInternalServerError' },
    });
  });
});

describe('schedules and the bus mechanics', () => {
  it('fires a schedule rule at a chosen time', async () => {
    const fired = await control(fixture, 'POST', '/_local/schedules/fixture-tick/fire', {
      time: '2026-12-01T08:00:00Z',
    });
    expect(fired).toMatchObject({
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: '2026-12-01T08:00:00Z',
    });
    await control(fixture, 'POST', '/_local/drain');
    expect(fixture.bus.invocations.at(-1)).toMatchObject({
      functionName: 'onTick',
      eventId: fired.id,
      outcome: 'succeeded',
    });
    expect(((await control(fixture, 'POST', '/_local/schedules/nope/fire')) as { __type: string }).__type).toBe(
      'ResourceNotFoundException',
    );
  });

  it('honours a function’s own retry count and destination', async () => {
    const client = clientOf(fixture);
    const answer = await client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: 'fixture-bus', Source: 'fixture.source', DetailType: 'x', Detail: '{"fail":true}' }],
      }),
    );
    await fixture.bus.drain();
    const attempts = fixture.bus.invocations.filter((i) => i.eventId === answer.Entries?.[0]?.EventId);
    expect(attempts.map((a) => a.outcome)).toEqual(['failed', 'failed']);
    expect(fixture.sqs.messages('FlakyFailures').at(-1)?.body).toMatchObject({
      responsePayload: { errorType: 'Error', errorMessage: 'asked to fail' },
    });
  });
});
