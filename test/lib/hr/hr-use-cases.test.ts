/**
 * HR provisioning through the HR queue's consumer, against a real local DynamoDB and the Wickr emulator over
 * HTTP, checked against the emulator's state and journal. Facts arrive in batches, duplicated and out of order.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { demoSeed } from '../../../infra/local/wickr-emulator/index.js';
import { EmployeeOnboardedEvent } from '../../../lib/events/hr-events.js';
import { type HrQueueDeps, handleHrQueue } from '../../../lib/hr/handle-hr-queue.js';
import { loadPolicyFile } from '../../../lib/policy-file/policy-file.js';
import type { QueueEvent } from '../../../lib/queue-batch.js';
import { originIssues } from '../../../lib/runtime/middlewares.js';
import { documentClient } from '../../../lib/store/dynamodb-client.js';
import { EmployeeRecordStore } from '../../../lib/store/employee-record-store.js';
import { HoldStore } from '../../../lib/store/hold-store.js';
import { HrMappingStore } from '../../../lib/store/hr-mapping-store.js';
import { SafeguardWindowStore } from '../../../lib/store/safeguard-window-store.js';
import { startIntegration } from '../../support/integration.js';
import { tableNames } from '../../support/local-dynamodb.js';

const policy = loadPolicyFile('infra/policy.yml');
const networkId = '12345678';
const { fixture, db } = await startIntegration();

const published: { detailType: string; detail: Record<string, unknown> }[] = [];
const logged: Record<string, unknown>[] = [];
const refused: { error: Error; event: unknown }[] = [];
const followUps: { body: unknown; delaySeconds: number }[] = [];
const counted = new Map<string, number>();
let run = '';

type Hr = HrQueueDeps['hr'];

function deps(overrides: Partial<HrQueueDeps> = {}, hr: Partial<Hr> = {}): HrQueueDeps {
  const doc = documentClient(db.client);
  return {
    wickr: fixture.client(),
    mappings: new HrMappingStore(doc, tableNames.state),
    records: new EmployeeRecordStore(doc, tableNames.state, policy.hr.leaverRecordDays * 86_400),
    // Tests share the state table's network: the cap on created groups is tested on its own.
    hr: {
      ...policy.hr,
      maxCreatedGroupsPerNetwork: 10_000,
      // Departments are made up per test: any may create its group, as the policy allows with createGroups: any.
      allowedDepartments: undefined,
      createGroups: 'any',
      ...hr,
    },
    networkIds: [networkId],
    // These tests are about reconciling, not the deprovisioning safeguard (tested on its own): never trips here.
    safeguards: {
      rules: { ...policy.safeguards, hr: { maxDeprovisionsPerHour: 100_000, maxDeprovisionPercent: 100 } },
      windows: new SafeguardWindowStore(doc, tableNames.state, 'HR#'),
      holds: new HoldStore(doc, tableNames.state),
    },
    holder: randomUUID(),
    clock: {
      now: Date.now,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      remainingMs: () => 30_000,
      pollMs: 20,
    },
    followUp: { send: async (body, delaySeconds) => void followUps.push({ body, delaySeconds }) },
    metrics: { add: (name, value) => void counted.set(name, (counted.get(name) ?? 0) + value) },
    publisher: { publish: async (detailType, detail) => void published.push({ detailType, detail: { ...detail } }) },
    logger: { info: (_m, extra) => void logged.push(extra), warn: (_m, extra) => void logged.push(extra) },
    originIssues: (event) => originIssues(event, { sources: ['hr.system'], maxFutureSkewMs: 300_000 }, '123456789012'),
    refuse: async (error, event) => {
      refused.push({ error, event });
      return true;
    },
    ...overrides,
  };
}

let clock = 0;
/** An HR event; each gets a later time than the one before unless given one. */
function fact(detailType: string, detail: Record<string, unknown>, time?: string) {
  clock += 1;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: 'hr.system',
    account: '123456789012',
    time: time ?? new Date(Date.UTC(2026, 10, 28, 9, clock)).toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: { schemaVersion: '1', employmentType: 'EMPLOYEE', ...detail },
  };
}
// Department names are unique per test, so groups and records of other tests never interfere.
const onboarded = (employee: string, department: string, extra: Record<string, unknown> = {}, time?: string) =>
  fact(
    'Employee Onboarded',
    {
      employeeId: `${run}${employee}`,
      username: `${run}${employee}@example.com`,
      firstName: 'Dana',
      lastName: 'Doe',
      department: `${run}${department}`,
      ...extra,
    },
    time,
  );
const transferred = (employee: string, department: string, time?: string, extra: Record<string, unknown> = {}) =>
  fact('Employee Transferred', { employeeId: `${run}${employee}`, department: `${run}${department}`, ...extra }, time);
const offboarded = (employee: string, time?: string, extra: Record<string, unknown> = {}) =>
  fact('Employee Offboarded', { employeeId: `${run}${employee}`, ...extra }, time);

const batch = (...bodies: unknown[]): QueueEvent => ({
  Records: bodies.map((body) => ({ messageId: randomUUID(), body: JSON.stringify(body) })),
});
/** One SQS batch through the consumer. */
const deliver = (events: readonly unknown[], d = deps()) => handleHrQueue(batch(...events), d);

const state = () => fixture.emulator.snapshot().networks[0];
/** Group creations counted on the shared network so far (the cap's counter, or the mappings before its first use). */
const createdSoFar = async () => {
  const { Item } = await documentClient(db.client).send(
    new GetCommand({ TableName: tableNames.state, Key: { pk: `HR#NETWORK#${networkId}`, sk: 'HRGROUPS#CREATED' } }),
  );
  return Math.max(Number(Item?.created ?? 0), await deps().mappings.countCreatedGroups(networkId));
};
const groupsNamed = (name: string) =>
  state()?.securityGroups.filter((g) => g.name === `${run}${name}`.toLowerCase()) ?? [];
const userNamed = (employee: string) => state()?.users.find((u) => u.username === `${run}${employee}@example.com`);
const calls = (operation: string) =>
  fixture.emulator.journal().filter((e) => e.operation === operation && e.status === 200 && !e.replayed);
const outcomes = () =>
  published
    .filter((p) => p.detailType === 'Wickr Users Reconciled')
    .flatMap((p) => p.detail.users as { employeeId: string; action: string }[]);
const actionOf = (employee: string) =>
  outcomes()
    .filter((o) => o.employeeId === `${run}${employee}`)
    .at(-1)?.action;

beforeEach(() => {
  fixture.emulator.reset(demoSeed);
  published.length = 0;
  logged.length = 0;
  refused.length = 0;
  followUps.length = 0;
  counted.clear();
  run = randomUUID().slice(0, 6);
});

describe('joiners', () => {
  it('creates the department group from the template once, then the user in it', async () => {
    expect(await deliver([onboarded('e1', 'Legal')])).toMatchObject({ batchItemFailures: [] });
    const [group] = groupsNamed('legal');
    // Create-time settings with Create, the rest with Update.
    expect(group?.securityGroupSettings).toEqual({
      lockoutThreshold: 10,
      maxNonSsoSessionMinutes: 1440,
      alwaysReauthenticate: false,
    });
    const create = calls('CreateSecurityGroup')[0];
    expect(create?.body).toEqual({ name: `${run}legal`, securityGroupSettings: { lockoutThreshold: 10 } });
    expect(create?.clientToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(userNamed('e1')?.securityGroupIds).toEqual([group?.id]);
    expect(published.map((p) => p.detailType)).toEqual([
      'Wickr Security Group Provisioned',
      'Wickr Users Reconciled',
      'Wickr Employee Fact Applied',
    ]);
    expect(actionOf('e1')).toBe('created');
    // Outcome events and logs carry ids, never names or e-mails.
    expect(JSON.stringify([published, logged])).not.toMatch(/Dana|Doe|example\.com/);
  });

  it('treats Finance, " finance " and FINANCE as one group, and applies department and employment-type overrides', async () => {
    const template = {
      ...policy.hr.template,
      byDepartment: { [`${run}Finance`]: policy.hr.template.byDepartment.finance ?? {} },
    };
    await deliver(
      [
        onboarded('a', 'Finance'),
        onboarded('b', 'FINANCE  '),
        onboarded('c', 'finance', { employmentType: 'CONTRACTOR' }),
      ],
      deps({}, { template }),
    );
    expect(groupsNamed('finance')).toHaveLength(1);
    expect(groupsNamed('finance')[0]?.securityGroupSettings).toMatchObject({
      maxNonSsoSessionMinutes: 480,
      alwaysReauthenticate: true,
    });
    const contractors = state()?.securityGroups.find((g) => g.name === `${run}finance (contractor)`);
    expect(contractors?.securityGroupSettings).toMatchObject({ maxNonSsoSessionMinutes: 240, federationMode: 0 });
    expect(calls('CreateSecurityGroup')).toHaveLength(2);
    // Three joiners of two groups: one BatchCreateUser.
    expect(calls('BatchCreateUser')).toHaveLength(1);
  });

  it('costs one listing, two calls per new group and one BatchCreateUser per 50 joiners', async () => {
    const joiners = Array.from({ length: 120 }, (_, i) => onboarded(`j${i}`, i % 2 ? 'Alpha' : 'Beta'));
    expect(await deliver(joiners)).toMatchObject({ batchItemFailures: [] });
    expect(fixture.emulator.journal().map((e) => e.operation)).toEqual([
      'ListSecurityGroups',
      'CreateSecurityGroup',
      'UpdateSecurityGroup',
      'CreateSecurityGroup',
      'UpdateSecurityGroup',
      'BatchCreateUser',
      'BatchCreateUser',
      'BatchCreateUser',
    ]);
    expect(state()?.users.filter((u) => u.username.startsWith(run))).toHaveLength(120);
    // What the dashboard counts.
    expect([counted.get('UsersCreated'), counted.get('GroupsCreated')]).toEqual([120, 2]);
    // Steady state: a mapped group costs no read; the next joiner is one call.
    fixture.emulator.clearJournal();
    await deliver([onboarded('late', 'Alpha')]);
    expect(fixture.emulator.journal().map((e) => e.operation)).toEqual(['BatchCreateUser']);
  });

  it('makes one group and one user from duplicate deliveries and concurrent batches', async () => {
    const event = onboarded('dup', 'Research');
    await Promise.all([
      deliver([event, event]),
      deliver([event, onboarded('x', 'Research')]),
      deliver([onboarded('y', 'Research')]),
    ]);
    await deliver([event]);
    expect(groupsNamed('research')).toHaveLength(1);
    expect(state()?.users.filter((u) => u.username.startsWith(run))).toHaveLength(3);
    // Single-flight: the concurrent batches waited for the intent's holder instead of calling again.
    expect(fixture.emulator.journal().filter((e) => e.operation === 'CreateSecurityGroup')).toHaveLength(1);
    expect(fixture.emulator.journal().filter((e) => e.operation === 'UpdateSecurityGroup')).toHaveLength(1);
  });

  it('adopts a group an admin made by hand instead of creating another', async () => {
    const { securityGroup } = await fixture.client().createSecurityGroup({
      networkId,
      name: `  ${run.toUpperCase()}Sales `,
      securityGroupSettings: { lockoutThreshold: 2 },
    });
    fixture.emulator.clearJournal();
    await deliver([onboarded('s1', 'sales')]);
    expect(calls('CreateSecurityGroup')).toHaveLength(0);
    expect(userNamed('s1')?.securityGroupIds).toEqual([securityGroup.id]);
    expect(state()?.securityGroups.find((g) => g.id === securityGroup.id)?.securityGroupSettings).toEqual({
      lockoutThreshold: 2,
    });
    expect(published[0]).toMatchObject({
      detailType: 'Wickr Security Group Provisioned',
      detail: { action: 'adopted' },
    });
  });

  it('completes a group whose update step failed, on redelivery, without creating again', async () => {
    fixture.emulator.setFaults({ next: [{ operation: 'UpdateSecurityGroup', status: 500 }] });
    const failing = deps({ wickr: fixture.client({ retry: { maxAttempts: 1 } }) });
    const first = await deliver([onboarded('u1', 'Ops')], failing);
    expect(first.batchItemFailures).toHaveLength(1);
    expect(groupsNamed('ops')[0]?.securityGroupSettings).toEqual({ lockoutThreshold: 10 });
    // The intent's holder is gone: the next delivery takes it over once its time has run out.
    const later = deps({ clock: { ...deps().clock, now: () => Date.now() + 120_000 } });
    expect(await deliver([onboarded('u1', 'Ops')], later)).toMatchObject({ batchItemFailures: [] });
    expect(groupsNamed('ops')).toHaveLength(1);
    expect(groupsNamed('ops')[0]?.securityGroupSettings).toMatchObject({ maxNonSsoSessionMinutes: 1440 });
    expect(calls('CreateSecurityGroup')).toHaveLength(1);
    expect(userNamed('u1')?.securityGroupIds).toEqual([groupsNamed('ops')[0]?.id]);
  });

  it('survives "apply then fail" on CreateSecurityGroup and on BatchCreateUser: the tokens prevent doubles', async () => {
    fixture.emulator.setFaults({
      next: [
        { operation: 'CreateSecurityGroup', applyThenFail: true },
        { operation: 'BatchCreateUser', applyThenFail: true },
      ],
    });
    expect(await deliver([onboarded('t1', 'Design'), onboarded('t2', 'Design')])).toMatchObject({
      batchItemFailures: [],
    });
    expect(groupsNamed('design')).toHaveLength(1);
    expect(state()?.users.filter((u) => u.username.startsWith(run))).toHaveLength(2);
    const creates = fixture.emulator.journal().filter((e) => e.operation === 'BatchCreateUser');
    expect(creates.map((e) => [e.status, e.replayed])).toEqual([
      [0, false],
      [200, true],
    ]);
  });

  it('takes a lost create answer as its own user by replaying the same request, never by "already exists"', async () => {
    const d = deps();
    // The create applied, then every retry failed: the message returns.
    fixture.emulator.setFaults({ next: [{ operation: 'BatchCreateUser', applyThenFail: true }] });
    const failing = deps({ wickr: fixture.client({ retry: { maxAttempts: 1 } }), holder: d.holder });
    expect((await deliver([onboarded('lost', 'Lab')], failing)).batchItemFailures).toHaveLength(1);
    // Another batch: the recorded request is sent again as it was, and Wickr answers with its first answer.
    await deliver(
      [onboarded('lost', 'Lab'), onboarded('other', 'Lab')],
      deps({ clock: { ...d.clock, now: () => Date.now() + 120_000 } }),
    );
    expect(actionOf('lost')).toBe('created');
    expect(actionOf('other')).toBe('created');
    const creates = fixture.emulator.journal().filter((e) => e.operation === 'BatchCreateUser');
    expect(creates.map((e) => [e.status, e.replayed])).toEqual([
      [0, false],
      [200, true],
      [200, false],
    ]);
    expect(userNamed('lost')?.securityGroupIds).toEqual([groupsNamed('lab')[0]?.id]);
  });

  it('never makes someone else’s user ours through a create that failed: a 403, or 500s then a replay', async () => {
    const client = fixture.client();
    const existing = async (name: string) => {
      const { successful } = await client.batchCreateUser({
        networkId,
        users: [{ username: `${run}${name}@example.com`, securityGroupIds: ['sg-engineering'] }],
      });
      return successful[0]?.userId as string;
    };
    const victim = await existing('victim');
    // A forged joiner naming the victim meets a 403; then a forged leaver.
    fixture.emulator.setFaults({ next: [{ operation: 'BatchCreateUser', status: 403 }] });
    // A 403 is permanent: the fact goes to the failure queue, not back to the queue.
    expect((await deliver([onboarded('victim', 'Ops')])).batchItemFailures).toEqual([]);
    expect(refused.map((r) => r.error.name)).toEqual(['WickrForbiddenError']);
    await deliver([offboarded('victim')]);
    expect(state()?.users.find((u) => u.userId === victim)).toMatchObject({ suspended: false });
    expect(calls('BatchToggleUserSuspendStatus')).toEqual([]);

    // Another victim: six 500s (every attempt of the client), then a forged transfer. The recorded request is
    // replayed; Wickr answers "already exists" to it, so the user is not ours and is not moved.
    const other = await existing('other-victim');
    fixture.emulator.setFaults({
      next: Array.from({ length: 6 }, () => ({ operation: 'BatchCreateUser', status: 500 })),
    });
    expect((await deliver([onboarded('other-victim', 'Ops')])).batchItemFailures).toHaveLength(1);
    await deliver([transferred('other-victim', 'Finance')]);
    expect(actionOf('other-victim')).toBe('not-adopted');
    expect(state()?.users.find((u) => u.userId === other)?.securityGroupIds).toEqual(['sg-engineering']);
    expect(calls('UpdateUser')).toEqual([]);
    // A real joiner afterwards is still created.
    await deliver([onboarded('real', 'Ops')]);
    expect(actionOf('real')).toBe('created');
  });

  it('never takes over a Wickr user it did not provision, unless a first import says so; one refusal never fails the batch', async () => {
    const client = fixture.client();
    const { successful } = await client.batchCreateUser({
      networkId,
      users: [{ username: `${run}old@example.com`, securityGroupIds: ['sg-engineering'] }],
    });
    const userId = successful[0]?.userId as string;
    await client.batchToggleUserSuspendStatus({ networkId, suspend: true, userIds: [userId] });
    // A forged joiner naming an existing user's username, in a batch with two real joiners.
    const answer = await deliver([onboarded('n1', 'Support'), onboarded('old', 'Support'), onboarded('n2', 'Support')]);
    expect(answer).toMatchObject({ batchItemFailures: [] });
    expect(actionOf('old')).toBe('not-adopted');
    expect([actionOf('n1'), actionOf('n2')]).toEqual(['created', 'created']);
    expect(userNamed('old')).toMatchObject({ securityGroupIds: ['sg-engineering'], suspended: true });
    // A first import adopts the user into the department group, but never lifts a suspension it did not make.
    await deliver([onboarded('old', 'Support', { employeeId: `${run}old-2` })], deps({}, { adoptExistingUsers: true }));
    expect(userNamed('old')).toMatchObject({ securityGroupIds: [groupsNamed('support')[0]?.id], suspended: true });
  });

  it('as an insider: a first import never adopts an administrator or an account accessReview.exempt names', async () => {
    const network = demoSeed.networks[0] as NonNullable<(typeof demoSeed.networks)[number]>;
    const existing = (userId: string, name: string, isAdmin = false) => ({
      userId,
      username: `${run}${name}@example.com`,
      securityGroupIds: ['sg-engineering'],
      isAdmin,
    });
    fixture.emulator.reset({
      networks: [
        {
          ...network,
          users: [existing('9001', 'boss', true), existing('9002', 'svc-backup'), existing('9003', 'ann')],
        },
      ],
    });
    const firstImport = deps(
      { neverAdopt: (username) => username.startsWith(`${run}svc-`) },
      { adoptExistingUsers: true },
    );
    // Joiners and a leaver naming them: the administrator and the service account stay as they are; Ann is adopted.
    await deliver(
      [onboarded('boss', 'Support'), onboarded('svc-backup', 'Support'), onboarded('ann', 'Support')],
      firstImport,
    );
    expect([actionOf('boss'), actionOf('svc-backup')]).toEqual(['not-adopted', 'not-adopted']);
    expect(userNamed('boss')).toMatchObject({ securityGroupIds: ['sg-engineering'], suspended: false });
    expect(userNamed('svc-backup')).toMatchObject({ securityGroupIds: ['sg-engineering'], suspended: false });
    expect(userNamed('ann')?.securityGroupIds).toEqual([groupsNamed('support')[0]?.id]);
    const leaver = {
      ...onboarded('boss', 'Support'),
      'detail-type': 'Employee Offboarded',
      detail: { schemaVersion: '1', employeeId: `${run}boss-left`, username: `${run}boss@example.com` },
    };
    await deliver([leaver], firstImport);
    expect(actionOf('boss-left')).toBe('not-adopted');
    expect(userNamed('boss')?.suspended).toBe(false);
  });

  it('refuses department names with invisible characters or look-alike script mixes; folds fullwidth forms', async () => {
    const parsed = (department: string) =>
      EmployeeOnboardedEvent.safeParse({
        ...onboarded('x', 'u'),
        detail: { ...onboarded('x', 'u').detail, department },
      });
    expect(parsed('f\u0456nance').error?.issues[0]?.message).toMatch(/must not mix Latin letters with another/);
    expect(parsed('fin\u200Bance').error?.issues[0]?.message).toMatch(/invisible/);
    // The look-alikes the review made: a combining grapheme joiner, a variation selector, a Cherokee letter.
    expect(parsed('sa\u034Fles').error?.issues[0]?.message).toMatch(/invisible/);
    expect(parsed('sales\uFE0F').error?.issues[0]?.message).toMatch(/invisible/);
    expect(parsed('\uABAAales').error?.issues[0]?.message).toMatch(/must not mix Latin letters with another/);
    expect(parsed('Finance').success).toBe(true);
    // All Cyrillic passes the contract, but looks like an existing group: refused, no group made.
    await fixture.client().createSecurityGroup({ networkId, name: 'sales', securityGroupSettings: {} });
    const lookalike = '\u0455\u0430\u04CF\u0435\u0455';
    await deliver([
      fact('Employee Onboarded', { employeeId: `${run}s2`, username: `${run}s2@example.com`, department: lookalike }),
    ]);
    expect(refused.map((r) => r.error.message)).toEqual([
      expect.stringMatching(/^detail\.department: looks like the existing group \S+ without being it$/),
    ]);
    expect(state()?.securityGroups.filter((g) => g.name === lookalike)).toEqual([]);
    await deliver([onboarded('w1', 'Wide'), onboarded('w2', 'Ｗｉｄｅ')]);
    expect(groupsNamed('wide')).toHaveLength(1);
    expect(userNamed('w2')?.securityGroupIds).toEqual([groupsNamed('wide')[0]?.id]);
  });

  it('refuses bad input to the failure queue with the field named, without retry or Wickr call', async () => {
    const bad = onboarded('b1', 'Legal', { username: 'not-an-email' });
    const events = batch(bad, onboarded('n1', 'Legal', { networkId: '99999999' }));
    events.Records.push({ messageId: 'm-raw', body: '{not json' });
    const answer = await handleHrQueue(events, deps());
    expect(answer).toMatchObject({ batchItemFailures: [] });
    expect(refused.map((r) => r.error.message)).toEqual(
      expect.arrayContaining([
        'body: must be JSON',
        expect.stringMatching(/detail\.username: must be an e-mail address/),
        expect.stringMatching(/detail\.networkId: network 99999999 is not in the policy file/),
      ]),
    );
    expect(fixture.emulator.journal()).toEqual([]);
  });

  it('creates groups only for hr.allowedDepartments by default; other departments may join a group that exists', async () => {
    const strict = deps({}, { createGroups: 'allowed-departments', allowedDepartments: undefined });
    await deliver([onboarded('u1', 'Unlisted')], strict);
    expect(refused.map((r) => r.error.message)).toEqual([
      'detail.department: has no group yet, and only hr.allowedDepartments may create one (or set hr.createGroups: any)',
    ]);
    expect(groupsNamed('unlisted')).toEqual([]);
    // An admin made the group: the same department now joins it.
    await fixture.client().createSecurityGroup({ networkId, name: `${run}unlisted`, securityGroupSettings: {} });
    await deliver([onboarded('u2', 'Unlisted')], strict);
    expect(userNamed('u2')?.securityGroupIds).toEqual([groupsNamed('unlisted')[0]?.id]);
  });

  it('keeps to hr.allowedDepartments, and holds group creations past the cap for a person', async () => {
    await deliver([onboarded('a1', 'Made-up')], deps({}, { allowedDepartments: [`${run}Legal`] }));
    expect(refused[0]?.error).toMatchObject({ name: 'HrInputError', field: 'detail.department' });
    const made = await createdSoFar();
    const capped = deps({}, { maxCreatedGroupsPerNetwork: made + 1 });
    await deliver([onboarded('c1', 'Cap-one')], capped);
    expect(await deliver([onboarded('c2', 'Cap-two')], capped)).toMatchObject({ batchItemFailures: [], refused: [] });
    expect(actionOf('c2')).toBe('held');
    expect(published.find((p) => p.detailType === 'Wickr Hold Created')?.detail).toMatchObject({
      safeguard: 'hr.maxCreatedGroupsPerNetwork',
    });
    expect(groupsNamed('cap-two')).toEqual([]);
    await deliver([onboarded('c3', 'Cap-one')], capped);
    expect(actionOf('c3')).toBe('created');
  });

  it('holds the group cap under concurrency: batches at once cannot together pass it', async () => {
    const made = await createdSoFar();
    const capped = () => deps({}, { maxCreatedGroupsPerNetwork: made + 2 });
    await Promise.all(
      ['Par-a', 'Par-b', 'Par-c', 'Par-d', 'Par-e'].map((d, i) => deliver([onboarded(`p${i}`, d)], capped())),
    );
    const created = ['par-a', 'par-b', 'par-c', 'par-d', 'par-e'].filter((d) => groupsNamed(d).length > 0);
    expect(created).toHaveLength(2);
    // The other three wait in holds (one per network and hour), not refused.
    expect(outcomes().filter((o) => o.action === 'held')).toHaveLength(3);
    expect(refused).toEqual([]);
  });
});

describe('a mapped group deleted by an admin', () => {
  it('shows up as the user operation’s 404 and is made again, instead of failing every later joiner or mover', async () => {
    await deliver([onboarded('g1', 'Studio'), onboarded('g3', 'Other')]);
    const [first] = groupsNamed('studio');
    await fixture.client().deleteSecurityGroup({ networkId, groupId: first?.id ?? '' });
    await deliver([onboarded('g2', 'Studio'), transferred('g3', 'Studio')]);
    const [again] = groupsNamed('studio');
    expect(again?.id).not.toBe(first?.id);
    expect(userNamed('g2')?.securityGroupIds).toEqual([again?.id]);
    expect(userNamed('g3')?.securityGroupIds).toEqual([again?.id]);
  });

  it('tells a user an admin deleted from a deleted group by asking Wickr for its groups, not by the 404’s text', async () => {
    await deliver([onboarded('u1', 'Studio')]);
    await deliver([onboarded('u2', 'Atelier')]);
    const userId = userNamed('u1')?.userId ?? '';
    await fixture.client().batchDeleteUser({ networkId, userIds: [userId] });
    fixture.emulator.clearJournal();
    await deliver([transferred('u1', 'Atelier')]);
    // The group is there: the user is what is gone (kept so, as the policy says), and no group is made again.
    expect(actionOf('u1')).toBe('already-gone');
    expect(calls('CreateSecurityGroup')).toEqual([]);
    expect(calls('ListSecurityGroups').length).toBeGreaterThan(0);
  });
});

describe('facts in any order', () => {
  it('keeps a leaver’s record from our clock, not the fact’s: an old-dated leaver cannot expire at once', async () => {
    await deliver([offboarded('old-leaver', '2024-01-01T00:00:00Z')]);
    const { Item } = await documentClient(db.client).send(
      new GetCommand({
        TableName: tableNames.state,
        Key: { pk: `HR#NETWORK#${networkId}`, sk: `EMPLOYEE#${run}old-leaver` },
      }),
    );
    // 400 days (hr.leaverRecordDays) from now, give or take the test's own time.
    expect(Number(Item?.expiration)).toBeGreaterThan(Date.now() / 1000 + 399 * 86_400);
  });

  it('a leaver whose offboarding arrives first never gets an account', async () => {
    const join = onboarded('l0', 'Legal', {}, '2026-11-28T09:00:00Z');
    const leave = offboarded('l0', '2026-11-28T10:00:00Z');
    await deliver([leave]);
    await deliver([join]);
    expect(userNamed('l0')).toBeUndefined();
    expect(calls('BatchCreateUser')).toHaveLength(0);
  });

  it('a mover whose transfer arrives first is created straight into the later department', async () => {
    await deliver([transferred('m0', 'Finance', '2026-11-28T10:00:00Z')]);
    expect(refused).toEqual([]);
    expect(actionOf('m0')).toBe('awaiting-onboarding');
    await deliver([onboarded('m0', 'Legal', {}, '2026-11-28T09:00:00Z')]);
    expect(userNamed('m0')?.securityGroupIds).toEqual([groupsNamed('finance')[0]?.id]);
    expect(groupsNamed('legal')).toEqual([]);
  });

  it('a rehire is reactivated and moved to the new department, with a new token', async () => {
    await deliver([onboarded('r0', 'Legal', {}, '2026-10-01T09:00:00Z')]);
    await deliver([offboarded('r0', '2026-10-20T09:00:00Z')]);
    expect(userNamed('r0')?.suspended).toBe(true);
    await deliver([onboarded('r0', 'Finance', {}, '2026-11-28T09:00:00Z')]);
    expect(userNamed('r0')).toMatchObject({ suspended: false, securityGroupIds: [groupsNamed('finance')[0]?.id] });
    expect(actionOf('r0')).toBe('reactivated');
  });

  it('never lifts the suspension of an account under containment: not a rehire’s, not an admin’s to correct', async () => {
    await deliver([onboarded('c0', 'Legal', {}, '2026-10-01T09:00:00Z')]);
    await deliver([offboarded('c0', '2026-10-20T09:00:00Z')]);
    const contained = deps({ contained: async () => true }, { manualChanges: 'correct' });
    fixture.emulator.clearJournal();
    await deliver([onboarded('c0', 'Finance', {}, '2026-11-28T09:00:00Z')], contained);
    // Moved to the department HR says, still suspended: containment's release decides.
    expect(userNamed('c0')).toMatchObject({ suspended: true, securityGroupIds: [groupsNamed('finance')[0]?.id] });
    expect(calls('BatchToggleUserSuspendStatus')).toEqual([]);
    // Once released, the rehire goes ahead on the next fact.
    await deliver([transferred('c0', 'Finance', '2026-11-28T10:00:00Z')]);
    expect(userNamed('c0')?.suspended).toBe(false);
  });

  it('records a quarantined account’s move without making it: containment’s release puts the user there', async () => {
    await deliver([onboarded('q0', 'Legal', {}, '2026-11-28T09:00:00Z')]);
    const legal = groupsNamed('legal')[0]?.id;
    const quarantined = deps({ contained: async () => true, quarantined: async () => true });
    fixture.emulator.clearJournal();
    await deliver([transferred('q0', 'Finance', '2026-11-28T10:00:00Z')], quarantined);
    expect(calls('UpdateUser')).toEqual([]);
    expect(userNamed('q0')?.securityGroupIds).toEqual([legal]);
    // HR's record names the group HR says now: what the release reads.
    const record = await deps().records.get(networkId, `${run}q0`);
    expect(record?.applied).toMatchObject({ groupId: groupsNamed('finance')[0]?.id, status: 'active' });
  });

  it('a stale fact changes nothing, and an exact duplicate costs no Wickr call', async () => {
    await deliver([onboarded('s0', 'Legal', {}, '2026-11-28T09:00:00Z')]);
    await deliver([transferred('s0', 'Finance', '2026-11-28T11:00:00Z')]);
    fixture.emulator.clearJournal();
    await deliver([
      transferred('s0', 'Legal', '2026-11-28T10:00:00Z'),
      transferred('s0', 'Finance', '2026-11-28T11:00:00Z'),
    ]);
    expect(fixture.emulator.journal()).toEqual([]);
    expect(userNamed('s0')?.securityGroupIds).toEqual([groupsNamed('finance')[0]?.id]);
  });

  it('moves a user there and back, by the facts’ times whatever the batches', async () => {
    await deliver([onboarded('m1', 'Finance', {}, '2026-11-28T09:00:00Z')]);
    await deliver([
      transferred('m1', 'Finance', '2026-11-28T11:00:00Z'),
      transferred('m1', 'Treasury', '2026-11-28T10:00:00Z'),
      transferred('m1', 'Treasury', '2026-11-28T12:00:00Z'),
    ]);
    expect(userNamed('m1')?.securityGroupIds).toEqual([groupsNamed('treasury')[0]?.id]);
    expect(calls('UpdateUser')).toHaveLength(1);
  });

  it('orders by the HR system’s sequence only within the clock-skew window: time comes first', async () => {
    await deliver([onboarded('q1', 'Legal', { sequence: 1 }, '2026-11-28T09:00:00Z')]);
    // Two transfers a second apart whose times disagree with their numbers: the numbers decide.
    await deliver([
      transferred('q1', 'Finance', '2026-11-28T09:10:02Z', { sequence: 3 }),
      transferred('q1', 'Treasury', '2026-11-28T09:10:03Z', { sequence: 2 }),
    ]);
    expect(userNamed('q1')?.securityGroupIds).toEqual([groupsNamed('finance')[0]?.id]);
    // A forged transfer numbered ahead of everything, an hour before the real offboarding: time decides, the
    // offboarding wins whatever the delivery order.
    await deliver([
      offboarded('q1', '2026-11-28T11:00:00Z'),
      transferred('q1', 'Treasury', '2026-11-28T10:00:00Z', { sequence: 0 }),
    ]);
    await deliver([transferred('q1', 'Treasury', '2026-11-28T10:00:01Z', { sequence: 9_999_999 })]);
    expect(userNamed('q1')?.suspended).toBe(true);
    expect(userNamed('q1')?.securityGroupIds).toEqual([groupsNamed('finance')[0]?.id]);
  });

  it('reports an employee never onboarded after the grace period, once, instead of refusing the fact', async () => {
    await deliver([offboarded('ghost'), transferred('ghost2', 'Finance')]);
    expect(refused).toEqual([]);
    expect(followUps.map((f) => f.delaySeconds)).toEqual([900, 900]);
    // The delayed checks arrive; one employee was onboarded meanwhile.
    await deliver([onboarded('ghost2', 'Legal', {}, '2026-11-28T08:00:00Z')]);
    await deliver(followUps.map((f) => f.body));
    const unmatched = published.filter((p) => p.detailType === 'Wickr Employee Unmatched');
    expect(unmatched.map((p) => p.detail.employeeId)).toEqual([`${run}ghost`]);
    await deliver(followUps.map((f) => f.body));
    expect(published.filter((p) => p.detailType === 'Wickr Employee Unmatched')).toHaveLength(1);
  });
});

describe('movers and leavers', () => {
  it('never acts on a user it did not provision, even by a username that exists', async () => {
    const someone = state()?.users[0];
    await deliver([offboarded('ghost', undefined, { username: someone?.username }), transferred('ghost', 'Finance')]);
    expect(fixture.emulator.journal()).toEqual([]);
    expect(state()?.users[0]?.suspended).toBe(someone?.suspended);
  });

  it('suspends leavers 50 to a call by default, and deletes when the policy says so', async () => {
    const joiners = Array.from({ length: 60 }, (_, i) => onboarded(`l${i}`, 'Finance'));
    await deliver(joiners);
    fixture.emulator.clearJournal();
    await deliver(joiners.slice(0, 55).map((_, i) => offboarded(`l${i}`)));
    expect(fixture.emulator.journal().map((e) => e.operation)).toEqual([
      'BatchToggleUserSuspendStatus',
      'BatchToggleUserSuspendStatus',
    ]);
    expect(state()?.users.filter((u) => u.username.startsWith(run) && u.suspended)).toHaveLength(55);
    await deliver([offboarded('l59')], deps({}, { leaver: 'delete' }));
    expect(userNamed('l59')).toBeUndefined();
    expect(actionOf('l59')).toBe('deleted');
  });

  it('sends a leaver Wickr refuses outright (INVALID) to the failure queue after one attempt, not five', async () => {
    await deliver([onboarded('inv', 'Legal')]);
    const client = fixture.client();
    const refusing = Object.assign(Object.create(client) as typeof client, {
      batchToggleUserSuspendStatus: async (input: { userIds: readonly string[] }) => ({
        successful: [],
        failed: input.userIds.map((userId) => ({ userId, reason: 'Invalid request: user cannot be suspended' })),
      }),
    });
    const answer = await deliver([offboarded('inv')], deps({ wickr: refusing }));
    expect(answer.batchItemFailures).toEqual([]);
    expect(refused.map((r) => [r.error.name, (r.error as { code?: string }).code])).toEqual([
      ['HrUserRefusedError', 'DEPROVISION_INVALID'],
    ]);
  });

  it('an admin’s suspension of a managed user is kept and reported, or corrected, per policy', async () => {
    await deliver([onboarded('a1', 'Legal'), onboarded('a2', 'Legal')]);
    const ids = [userNamed('a1')?.userId, userNamed('a2')?.userId] as string[];
    await fixture.client().batchToggleUserSuspendStatus({ networkId, suspend: true, userIds: ids });
    await deliver([transferred('a1', 'Finance')]);
    expect(userNamed('a1')).toMatchObject({ suspended: true, securityGroupIds: [groupsNamed('finance')[0]?.id] });
    expect(published.find((p) => p.detailType === 'Wickr User Drift')?.detail).toMatchObject({
      employeeId: `${run}a1`,
      drift: { change: 'suspended', decision: 'kept' },
    });
    await deliver([transferred('a2', 'Finance')], deps({}, { manualChanges: 'correct' }));
    expect(userNamed('a2')).toMatchObject({ suspended: false, securityGroupIds: [groupsNamed('finance')[0]?.id] });
    expect(published.filter((p) => p.detailType === 'Wickr User Drift').at(-1)?.detail).toMatchObject({
      drift: { change: 'suspended', decision: 'corrected' },
    });
  });

  it('a message whose fact cannot be recorded fails alone; the others are reconciled', async () => {
    const d = deps();
    const records = d.records;
    const flaky = Object.create(records) as EmployeeRecordStore;
    flaky.recordFact = async (f) => {
      if (f.employeeId.endsWith('flaky')) throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
      return records.recordFact(f);
    };
    const events = batch(onboarded('ok', 'Legal'), onboarded('flaky', 'Legal'));
    const answer = await handleHrQueue(events, { ...d, records: flaky });
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: events.Records[1]?.messageId }]);
    expect(userNamed('ok')).toBeDefined();
    expect(userNamed('flaky')).toBeUndefined();
  });
});
