/**
 * A property over the real use cases (HR's queue consumer and containment, on a local DynamoDB and the emulator):
 * any order and duplication of one person's compromise, clearance, leave and rehire ends in the state the latest
 * facts say — suspended while a case is open or HR says the person left, active otherwise.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { takeAccountFact } from '../../../lib/containment/contain-account.js';
import type { ContainmentDeps } from '../../../lib/containment/ports.js';
import { type HrQueueDeps, handleHrQueue } from '../../../lib/hr/handle-hr-queue.js';
import { loadPolicyFile } from '../../../lib/policy-file/policy-file.js';
import type { QueueEvent } from '../../../lib/queue-batch.js';
import { originIssues } from '../../../lib/runtime/middlewares.js';
import { AccountCaseStore } from '../../../lib/store/account-case-store.js';
import { documentClient } from '../../../lib/store/dynamodb-client.js';
import { EmployeeRecordStore } from '../../../lib/store/employee-record-store.js';
import { HoldStore } from '../../../lib/store/hold-store.js';
import { HrMappingStore } from '../../../lib/store/hr-mapping-store.js';
import { ProvisionedUsersStore } from '../../../lib/store/provisioned-users-store.js';
import { SafeguardWindowStore } from '../../../lib/store/safeguard-window-store.js';
import { startIntegration } from '../../support/integration.js';
import { tableNames } from '../../support/local-dynamodb.js';

const policy = loadPolicyFile('infra/policy.yml');
const networkId = '12345678';
const { fixture, db } = await startIntegration();
const doc = documentClient(db.client);
const accounts = new AccountCaseStore(doc, tableNames.state);
const quiet = { info: () => undefined, warn: () => undefined };
const publisher = { publish: async () => undefined };

const hrDeps = (): HrQueueDeps => ({
  wickr: fixture.client(),
  mappings: new HrMappingStore(doc, tableNames.state),
  records: new EmployeeRecordStore(doc, tableNames.state, policy.hr.leaverRecordDays * 86_400),
  hr: { ...policy.hr, createGroups: 'any', allowedDepartments: undefined, maxCreatedGroupsPerNetwork: 10_000 },
  networkIds: [networkId],
  // The deprovisioning safeguard is not what this property is about: it never trips here.
  safeguards: {
    rules: { ...policy.safeguards, hr: { maxDeprovisionsPerHour: 100_000, maxDeprovisionPercent: 100 } },
    windows: new SafeguardWindowStore(doc, tableNames.state, 'HR#'),
    holds: new HoldStore(doc, tableNames.state),
  },
  holder: randomUUID(),
  clock: { now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), remainingMs: () => 30_000, pollMs: 20 },
  followUp: { send: async () => undefined },
  publisher,
  logger: quiet,
  originIssues: (event) => originIssues(event, { sources: ['hr.system'], maxFutureSkewMs: 300_000 }, '123456789012'),
  refuse: async () => true,
  // As deployed (functions/compose/hr-deps.ts): an account is contained once containment has begun or applied it.
  contained: async (network, userId) => {
    const applied = (await accounts.get(network, userId))?.applied;
    return Boolean(applied?.containedSince || applied?.begun);
  },
});

const containmentDeps = (): ContainmentDeps => ({
  wickr: fixture.client(),
  accounts,
  provisioned: new ProvisionedUsersStore(doc, tableNames.state),
  anyUser: false,
  networkIds: [networkId],
  nowMs: Date.now,
  publisher,
  logger: quiet,
});

type Fact =
  | { kind: 'leave' | 'rehire'; minute: number }
  | { kind: 'compromise' | 'clear'; minute: number; caseId: 'C1' | 'C2' };

const at = (minute: number) => new Date(Date.UTC(2026, 10, 29, 10, minute)).toISOString();

type Wickr = ReturnType<typeof fixture.client>;

async function take(fact: Fact, employeeId: string, department: string, wickr?: Wickr) {
  if (fact.kind === 'compromise' || fact.kind === 'clear') {
    await takeAccountFact(
      { ...containmentDeps(), ...(wickr ? { wickr } : {}) },
      {
        caseId: `${employeeId}-${fact.caseId}`,
        subject: employeeId,
        compromised: fact.kind === 'compromise',
        time: at(fact.minute),
        source: 'incidents',
        eventId: randomUUID(),
      },
    );
    return;
  }
  const detail =
    fact.kind === 'leave'
      ? { employeeId }
      : { employeeId, username: `${employeeId.toLowerCase()}@example.com`, department };
  const event = {
    version: '0',
    id: randomUUID(),
    'detail-type': fact.kind === 'leave' ? 'Employee Offboarded' : 'Employee Onboarded',
    source: 'hr.system',
    account: '123456789012',
    time: at(fact.minute),
    region: 'us-east-1',
    resources: [],
    detail: { schemaVersion: '1', employmentType: 'EMPLOYEE', networkId, ...detail },
  };
  const batch: QueueEvent = {
    Records: [{ messageId: randomUUID(), body: JSON.stringify(event), attributes: {} } as QueueEvent['Records'][0]],
  };
  await handleHrQueue(batch, { ...hrDeps(), ...(wickr ? { wickr } : {}) });
}

/** The emulator's client with one operation made to wait (before or after Wickr answers) for `gate`. */
function gated(
  operation: 'getUser' | 'batchToggleUserSuspendStatus',
  when: 'before' | 'after',
  gate: () => Promise<void>,
) {
  const client = fixture.client();
  let first = true;
  return new Proxy(client, {
    get(target, name) {
      // Its methods use private fields: called on the client itself, never on the proxy.
      const value = Reflect.get(target, name, target);
      if (name !== operation) return typeof value === 'function' ? value.bind(target) : value;
      return async (input: { suspend?: boolean }) => {
        const mine = first && (operation === 'getUser' || input.suspend === false);
        if (mine) first = false;
        if (mine && when === 'before') await gate();
        const answer = await value.call(target, input);
        if (mine && when === 'after') await gate();
        return answer;
      };
    },
  }) as Wickr;
}

function signal() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened: () => opened };
}

const userOf = (employeeId: string) =>
  fixture.emulator.snapshot().networks[0]?.users.find((u) => u.username === `${employeeId.toLowerCase()}@example.com`);

describe('containment and HR together', () => {
  it('left, compromised, rehired while contained, cleared: active again', async () => {
    const employeeId = `P-${randomUUID().slice(0, 8)}`;
    const steps: Fact[] = [
      { kind: 'rehire', minute: 0 },
      { kind: 'leave', minute: 1 },
      { kind: 'compromise', minute: 2, caseId: 'C1' },
      { kind: 'rehire', minute: 3 },
    ];
    const seen: (boolean | undefined)[] = [];
    for (const f of steps) {
      await take(f, employeeId, 'Propdept');
      seen.push(userOf(employeeId)?.suspended);
    }
    await take({ kind: 'clear', minute: 4, caseId: 'C1' }, employeeId, 'Propdept');
    expect([...seen, userOf(employeeId)?.suspended]).toEqual([false, true, true, true, false]);
  });

  // A rehire and a compromise taken at once, by the HR consumer and containment in two environments: each checks the
  // other's state before it writes its own, so each must also read back after writing.
  it('a rehire that reactivates between containment’s read and its record ends contained, and active once cleared', async () => {
    const employeeId = `P-${randomUUID().slice(0, 8)}`;
    await take({ kind: 'rehire', minute: 0 }, employeeId, 'Propdept');
    await take({ kind: 'leave', minute: 1 }, employeeId, 'Propdept');
    const reactivated = signal();
    // Containment reads the user (suspended by the leave: not its suspension to make) and waits for the rehire.
    const containment = take(
      { kind: 'compromise', minute: 2, caseId: 'C1' },
      employeeId,
      'Propdept',
      gated('getUser', 'after', reactivated.opened),
    );
    await take(
      { kind: 'rehire', minute: 3 },
      employeeId,
      'Propdept',
      gated('batchToggleUserSuspendStatus', 'after', async () => reactivated.open()),
    );
    await containment;
    expect(userOf(employeeId)?.suspended).toBe(true);
    await take({ kind: 'clear', minute: 4, caseId: 'C1' }, employeeId, 'Propdept');
    expect(userOf(employeeId)?.suspended).toBe(false);
  });

  it('a rehire that checked before containment recorded and reactivates after it ends contained, and active once cleared', async () => {
    const employeeId = `P-${randomUUID().slice(0, 8)}`;
    await take({ kind: 'rehire', minute: 0 }, employeeId, 'Propdept');
    await take({ kind: 'leave', minute: 1 }, employeeId, 'Propdept');
    const checked = signal();
    const contained = signal();
    // HR has found no containment and is about to reactivate; containment runs whole meanwhile, then HR goes on.
    const rehire = take(
      { kind: 'rehire', minute: 3 },
      employeeId,
      'Propdept',
      gated('batchToggleUserSuspendStatus', 'before', async () => {
        checked.open();
        await contained.opened();
      }),
    );
    await take(
      { kind: 'compromise', minute: 2, caseId: 'C1' },
      employeeId,
      'Propdept',
      gated('getUser', 'before', checked.opened),
    );
    contained.open();
    await rehire;
    expect(userOf(employeeId)?.suspended).toBe(true);
    await take({ kind: 'clear', minute: 4, caseId: 'C1' }, employeeId, 'Propdept');
    expect(userOf(employeeId)?.suspended).toBe(false);
  });

  it('any order and duplication of compromise, clearance, leave and rehire ends as the latest facts say', async () => {
    const facts = fc
      .array(
        fc.oneof(
          fc.record({
            kind: fc.constantFrom('leave' as const, 'rehire' as const),
            minute: fc.integer({ min: 1, max: 40 }),
          }),
          fc.record({
            kind: fc.constantFrom('compromise' as const, 'clear' as const),
            minute: fc.integer({ min: 1, max: 40 }),
            caseId: fc.constantFrom('C1' as const, 'C2' as const),
          }),
        ),
        { minLength: 1, maxLength: 6 },
      )
      // Each delivered once or twice, in any order.
      .chain((list) =>
        fc.shuffledSubarray([...list, ...list], { minLength: list.length }).map((order) => ({ list, order })),
      );
    await fc.assert(
      fc.asyncProperty(facts, async ({ list, order }) => {
        const employeeId = `P-${randomUUID().slice(0, 8)}`;
        const department = 'Propdept';
        // Joined first, at minute 0: everything after is about this person's account.
        await take({ kind: 'rehire', minute: 0 }, employeeId, department);
        const delivered = new Set<Fact>();
        for (const f of order) {
          await take(f, employeeId, department);
          delivered.add(f);
        }
        // The latest of each kind of fact that arrived at all (a fact dropped from the order never happened).
        const latest = <K extends Fact['kind']>(kinds: readonly K[], caseId?: string) =>
          [...delivered]
            .filter(
              (f) =>
                (kinds as readonly string[]).includes(f.kind) && (!caseId || ('caseId' in f && f.caseId === caseId)),
            )
            // Ties: HR's leave wins a tie (suspend, the safer), and a compromise wins its case's tie.
            .sort((a, b) => a.minute - b.minute || (a.kind === 'leave' || a.kind === 'compromise' ? 1 : -1))
            .at(-1);
        const left = latest(['leave', 'rehire'])?.kind === 'leave';
        const open = ['C1', 'C2'].some((c) => latest(['compromise', 'clear'], c)?.kind === 'compromise');
        const user = fixture.emulator
          .snapshot()
          .networks[0]?.users.find((u) => u.username === `${employeeId.toLowerCase()}@example.com`);
        expect({ suspended: user?.suspended, list: list.length }).toEqual({
          suspended: left || open,
          list: list.length,
        });
      }),
      { numRuns: 100, seed: 20261130 },
    );
  }, 300_000);
});
