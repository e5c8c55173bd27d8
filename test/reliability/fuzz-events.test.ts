/**
 * Fuzz: hostile events for every contract, delivered through the local bus to the real functions. Zero requests
 * with invalid values reach Wickr (the emulator answers none with 422), zero unhandled errors (no invocation
 * fails into a retry), and every refusal is a typed error naming the field, waiting in its failure queue.
 */
import { EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { putAsDelivered } from '../../infra/local/events/service-events-client.js';
import { startLocalStack } from '../../infra/local/local-stack.js';
import { HrFactEvent } from '../../lib/events/hr-events.js';
import { normalizeName } from '../../lib/hr/group-template.js';
import { loadPolicyFile } from '../../lib/policy-file/policy-file.js';

// The policy the stack runs (infra/policy.yml): HR events may name only its allowed departments.
const allowed = (loadPolicyFile('infra/policy.yml').hr.allowedDepartments ?? []).map(normalizeName);

const stack = await startLocalStack({
  logLevel: 'CRITICAL',
  retryDelaysMs: [50, 50],
  params: { securityHubEnabled: 'true' },
});
afterAll(() => stack.close());
const eventBridge = new EventBridgeClient({
  region: 'us-east-1',
  endpoint: stack.eventBridgeEndpoint,
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const perContract = Number(process.env.FUZZ_RUNS ?? 12);

const hostile = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ minLength: 300, maxLength: 6000 }),
  fc.constantFrom(
    '',
    '   ',
    'SEV0',
    'sev1',
    '1234',
    '99999999',
    '[x](javascript:alert(1))',
    '**a**\u0000\u0007\u001b[31m',
    'a/b(c)',
    'x@y',
    'a'.repeat(129),
  ),
  fc.integer(),
  fc.constantFrom(-1, 0, 1e21, 3.5),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.object({ maxDepth: 1, maxKeys: 2 }),
);

/** A valid detail with one to three fields deleted, replaced by hostile values, or added. */
function mutated(base: Record<string, unknown>) {
  const keys = Object.keys(base);
  return fc
    .array(fc.tuple(fc.constantFrom(...keys, 'extra', 'title', 'team'), fc.option(hostile, { nil: undefined })), {
      minLength: 1,
      maxLength: 3,
    })
    .map((edits) => {
      const detail: Record<string, unknown> = { ...base };
      for (const [key, value] of edits) {
        if (value === undefined) delete detail[key];
        else detail[key] = value;
      }
      return detail;
    });
}

const contracts: { source: string; detailType: string; base: Record<string, unknown>; bus?: 'default' }[] = [
  {
    source: 'security.incidents',
    detailType: 'Incident Declared',
    base: { incidentId: 'FZ-1', severity: 'SEV4', title: 'fuzz', networkIds: ['12345678'] },
  },
  { source: 'security.incidents', detailType: 'Incident Resolved', base: { incidentId: 'FZ-1' } },
  {
    source: 'hr.system',
    detailType: 'Employee Onboarded',
    base: { employeeId: 'FZ-E1', username: 'fz@example.com', department: 'Legal' },
  },
  { source: 'hr.system', detailType: 'Employee Transferred', base: { employeeId: 'FZ-E1', department: 'Finance' } },
  { source: 'hr.system', detailType: 'Employee Offboarded', base: { employeeId: 'FZ-E1' } },
  {
    source: 'aws.securityhub',
    detailType: 'Security Hub Findings - Imported',
    base: {
      findings: [
        {
          Id: 'arn:fz',
          ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty',
          AwsAccountId: '000000000000',
          Severity: { Label: 'LOW' },
          Workflow: { Status: 'NEW' },
        },
      ],
    },
    bus: 'default',
  },
  {
    source: 'security.incidents',
    detailType: 'Account Compromised',
    base: { caseId: 'FZ-C1', subject: 'alice@example.com', reason: 'fuzz' },
  },
  {
    source: 'wickr.autopilot.operators',
    detailType: 'Wickr Access Review Requested',
    base: { kind: 'access-review', networkId: '12345678' },
  },
];

describe('fuzz: hostile events through the real functions', () => {
  it('refuses what it must with typed errors naming fields, sends Wickr nothing invalid, and never fails unhandled', async () => {
    const entries: PutEventsRequestEntry[] = [];
    for (const contract of contracts) {
      for (const [i, detail] of fc.sample(mutated(contract.base), { numRuns: perContract, seed: 42 }).entries()) {
        // Ids left intact are made unique, so valid events do not contend for one business key.
        if (detail.incidentId === 'FZ-1') detail.incidentId = `FZ-${contract.detailType.length}-${i}`;
        if (detail.employeeId === 'FZ-E1') detail.employeeId = `FZ-E${contract.detailType.length}-${i}`;
        entries.push({
          EventBusName: contract.bus === 'default' ? 'default' : stack.busName,
          Source: contract.source,
          DetailType: contract.detailType,
          Detail: JSON.stringify(detail),
        });
      }
    }
    for (let i = 0; i < entries.length; i += 10) {
      expect(await putAsDelivered(eventBridge, stack.eventBridgeEndpoint, entries.slice(i, i + 10))).toBe(0);
    }
    await stack.bus.drain();

    const invocations = stack.bus.invocations;
    const failed = invocations.filter((i) => i.outcome === 'failed');
    expect(failed.map((f) => `${f.functionName}: ${f.error?.name} ${f.error?.message}`)).toEqual([]);
    // A hostile event the rule's own pattern does not match is never delivered, as on EventBridge.
    const routed = stack.bus.events.filter((e) => e.event.source !== 'wickr.autopilot' && e.matchedRules.length > 0);
    expect(routed.length).toBeGreaterThan(entries.length * 0.9);
    // Incident events invoke their functions one by one; HR facts reach the HR queue's consumer in batches (and a
    // group HR made reaches the reconcile function, through its queue).
    const isHr = (source: string) => source === 'hr.system';
    const queued = new Set(['hrEvents', 'networkReconcile']);
    expect(invocations.filter((i) => !queued.has(i.functionName)).length).toBe(
      routed.filter((e) => !isHr(e.event.source)).length,
    );
    const failures = stack.bus.failures().map((f) => ({
      queue: f.queue,
      ...(f.body as {
        errorType: string;
        reason: string;
        issues?: { field: string; reason: string }[];
        event: { id: string };
      }),
    }));
    const refusedIds = [
      ...invocations.filter((i) => i.outcome === 'refused').map((i) => i.eventId),
      ...failures.filter((f) => f.queue === 'HrEventsFailureQueue').map((f) => f.event.id),
    ];
    expect(refusedIds.length).toBeGreaterThan(entries.length / 3);
    // The HR oracle: exactly the facts the contract's schema refuses are refused (the others are recorded, even
    // for employees never onboarded); a valid fact naming a network the policy lacks, or a department outside
    // hr.allowedDepartments, is refused by the use case.
    for (const e of routed.filter((x) => isHr(x.event.source))) {
      const parsed = HrFactEvent.safeParse(e.event);
      const lacksNetwork =
        parsed.success && parsed.data.detail.networkId && parsed.data.detail.networkId !== '12345678';
      const department = parsed.success ? (parsed.data.detail as { department?: string }).department : undefined;
      const notAllowed = department !== undefined && !allowed.includes(normalizeName(department));
      expect(refusedIds.includes(e.event.id), `HR event ${e.event.id}`).toBe(
        !parsed.success || Boolean(lacksNetwork) || notAllowed,
      );
    }
    for (const id of refusedIds) {
      const message = failures.find((f) => f.event.id === id);
      expect(message, `refused event ${id} is in its failure queue`).toBeDefined();
      expect([
        'InputRejectedError',
        'IncidentInputError',
        'HrInputError',
        'HrMessageRejectedError',
        'ContainmentInputError',
        'AccessReviewInputError',
      ]).toContain(message?.errorType);
      if (message?.issues) {
        expect(message.issues.length).toBeGreaterThan(0);
        for (const issue of message.issues) expect(issue.field).toMatch(/^detail\b/);
      } else {
        expect(message?.reason).toMatch(/detail\.\w+|hr\.\w+/);
      }
    }
    const refused = refusedIds;
    expect(stack.emulator.journal().filter((e) => e.status === 422)).toEqual([]);
    console.log(
      `fuzz: ${entries.length} hostile events, ${refused.length} refused, ${routed.length - refused.length} accepted, ` +
        `${stack.emulator.journal().length} Wickr requests, 0 with invalid values`,
    );
  }, 120_000);
});
