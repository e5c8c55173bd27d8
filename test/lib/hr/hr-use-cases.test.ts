/**
 * HR provisioning against a real local DynamoDB and the Wickr emulator over HTTP, checked against the
 * emulator's state and journal.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { demoSeed } from '../../../infra/local/wickr-emulator/index.js';
import {
  type EmployeeOffboardedEvent,
  EmployeeOnboardedEvent,
  type EmployeeTransferredEvent,
} from '../../../lib/events/hr-events.js';
import { offboardEmployee, onboardEmployee, transferEmployee } from '../../../lib/hr/handle-hr.js';
import type { HrDeps } from '../../../lib/hr/ports.js';
import { loadPolicyFile } from '../../../lib/policy-file/policy-file.js';
import { documentClient } from '../../../lib/store/dynamodb-client.js';
import { HrMappingStore } from '../../../lib/store/hr-mapping-store.js';
import { startIntegration } from '../../support/integration.js';
import { tableNames } from '../../support/local-dynamodb.js';

const policy = loadPolicyFile('infra/policy.yml');
const networkId = '12345678';
const { fixture, db, idempotency } = await startIntegration();

const published: { detailType: string; detail: Record<string, unknown> }[] = [];
const logged: Record<string, unknown>[] = [];
let run = '';

function deps(overrides: Partial<HrDeps> = {}): HrDeps {
  return {
    wickr: fixture.client(),
    mappings: new HrMappingStore(documentClient(db.client), tableNames.state),
    // Tests share the state table's network: the cap on created groups is tested on its own.
    hr: { ...policy.hr, maxCreatedGroupsPerNetwork: 10_000 },
    networkIds: [networkId],
    idempotency: idempotency(),
    publisher: { publish: async (detailType, detail) => void published.push({ detailType, detail: { ...detail } }) },
    logger: { info: (_message, extra) => void logged.push(extra) },
    ...overrides,
  };
}

const envelope = <T extends string>(detailType: T, detail: Record<string, unknown>, time = '2026-11-28T09:00:00Z') => ({
  version: '0',
  id: randomUUID(),
  'detail-type': detailType,
  source: 'hr.system',
  account: '123456789012',
  time,
  region: 'us-east-1',
  resources: [],
  detail: { schemaVersion: '1' as const, employmentType: 'EMPLOYEE' as const, ...detail },
});
// Department names are unique per test, so groups and mappings of other tests never interfere.
const onboarded = (employee: string, department: string, extra: Record<string, unknown> = {}) =>
  envelope('Employee Onboarded', {
    employeeId: `${run}${employee}`,
    username: `${run}${employee}@example.com`,
    firstName: 'Dana',
    lastName: 'Doe',
    department: `${run}${department}`,
    ...extra,
  }) as unknown as EmployeeOnboardedEvent;
const transferred = (employee: string, department: string, time?: string) =>
  envelope(
    'Employee Transferred',
    { employeeId: `${run}${employee}`, department: `${run}${department}` },
    time,
  ) as unknown as EmployeeTransferredEvent;
const offboarded = (employee: string) =>
  envelope('Employee Offboarded', { employeeId: `${run}${employee}` }) as unknown as EmployeeOffboardedEvent;

const state = () => fixture.emulator.snapshot().networks[0];
const groupsNamed = (name: string) =>
  state()?.securityGroups.filter((g) => g.name === `${run}${name}`.toLowerCase()) ?? [];
const userNamed = (employee: string) => state()?.users.find((u) => u.username === `${run}${employee}@example.com`);
const calls = (operation: string) =>
  fixture.emulator.journal().filter((e) => e.operation === operation && e.status === 200 && !e.replayed);

beforeEach(() => {
  fixture.emulator.reset(demoSeed);
  published.length = 0;
  logged.length = 0;
  run = randomUUID().slice(0, 6);
});

describe('joiners', () => {
  it('creates the department group from the template once, then the user in it', async () => {
    await onboardEmployee(onboarded('e1', 'Legal'), deps());
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
    expect(published.map((p) => p.detailType)).toEqual(['Wickr Security Group Provisioned', 'Wickr User Provisioned']);
    // Outcome events and logs carry ids, never names or e-mails.
    expect(JSON.stringify([published, logged])).not.toMatch(/Dana|Doe|example\.com/);
  });

  it('treats Finance, " finance " and FINANCE as one group, and applies department and employment-type overrides', async () => {
    // The policy's `finance` overrides, under this test's department name.
    const template = {
      ...policy.hr.template,
      byDepartment: { [`${run}Finance`]: policy.hr.template.byDepartment.finance ?? {} },
    };
    const withFinance = () => deps({ hr: { ...policy.hr, template } });
    await onboardEmployee(onboarded('a', 'Finance'), withFinance());
    await onboardEmployee(onboarded('b', 'FINANCE  '), withFinance());
    await onboardEmployee(onboarded('c', 'finance', { employmentType: 'CONTRACTOR' }), withFinance());
    expect(groupsNamed('finance')).toHaveLength(1);
    expect(groupsNamed('finance')[0]?.securityGroupSettings).toMatchObject({
      maxNonSsoSessionMinutes: 480,
      alwaysReauthenticate: true,
    });
    const contractors = state()?.securityGroups.find((g) => g.name === `${run}finance (contractor)`);
    expect(contractors?.securityGroupSettings).toMatchObject({
      maxNonSsoSessionMinutes: 240,
      federationMode: 0,
      globalFederation: false,
      enableGuestFederation: false,
    });
    expect(calls('CreateSecurityGroup')).toHaveLength(2);
  });

  it('makes one group and one user from duplicate and concurrent deliveries, and one group for concurrent joiners', async () => {
    const event = onboarded('dup', 'Research');
    await Promise.allSettled([1, 2, 3].map(() => onboardEmployee(event, deps())));
    await onboardEmployee(event, deps()).catch(() => undefined);
    await Promise.all([
      onboardEmployee(onboarded('x', 'Research'), deps()),
      onboardEmployee(onboarded('y', 'Research'), deps()),
    ]);
    expect(groupsNamed('research')).toHaveLength(1);
    expect(state()?.users.filter((u) => u.username.startsWith(run))).toHaveLength(3);
    expect(calls('CreateSecurityGroup')).toHaveLength(1);
  });

  it('adopts a group an admin made by hand instead of creating another', async () => {
    const { securityGroup } = await fixture.client().createSecurityGroup({
      networkId,
      name: `  ${run.toUpperCase()}Sales `,
      securityGroupSettings: { lockoutThreshold: 2 },
    });
    fixture.emulator.clearJournal();
    await onboardEmployee(onboarded('s1', 'sales'), deps());
    expect(calls('CreateSecurityGroup')).toHaveLength(0);
    expect(userNamed('s1')?.securityGroupIds).toEqual([securityGroup.id]);
    // Adopted as it is: the admin's settings stay.
    expect(state()?.securityGroups.find((g) => g.id === securityGroup.id)?.securityGroupSettings).toEqual({
      lockoutThreshold: 2,
    });
    expect(published[0]).toMatchObject({
      detailType: 'Wickr Security Group Provisioned',
      detail: { action: 'adopted' },
    });
  });

  it('completes a group whose update step failed, on the retry, without creating again', async () => {
    fixture.emulator.setFaults({ next: [{ operation: 'UpdateSecurityGroup', status: 500 }] });
    const failing = deps({ wickr: fixture.client({ retry: { maxAttempts: 1 } }) });
    await expect(onboardEmployee(onboarded('u1', 'Ops'), failing)).rejects.toMatchObject({ status: 500 });
    expect(groupsNamed('ops')[0]?.securityGroupSettings).toEqual({ lockoutThreshold: 10 });
    await onboardEmployee(onboarded('u1', 'Ops'), deps());
    expect(groupsNamed('ops')).toHaveLength(1);
    expect(groupsNamed('ops')[0]?.securityGroupSettings).toMatchObject({ maxNonSsoSessionMinutes: 1440 });
    expect(calls('CreateSecurityGroup')).toHaveLength(1);
  });

  it('survives "apply then fail" on create: the clientToken prevents a second group', async () => {
    fixture.emulator.setFaults({ next: [{ operation: 'CreateSecurityGroup', applyThenFail: true }] });
    await onboardEmployee(onboarded('t1', 'Design'), deps());
    expect(groupsNamed('design')).toHaveLength(1);
    expect(
      fixture.emulator
        .journal()
        .filter((e) => e.operation === 'CreateSecurityGroup')
        .map((e) => [e.status, e.replayed]),
    ).toEqual([
      [0, false],
      [200, true],
    ]);
  });

  it('never takes over a Wickr user it did not provision, unless a first import says so', async () => {
    const client = fixture.client();
    const { successful } = await client.batchCreateUser({
      networkId,
      users: [{ username: `${run}old@example.com`, securityGroupIds: ['sg-engineering'] }],
    });
    const userId = successful[0]?.userId as string;
    await client.batchToggleUserSuspendStatus({ networkId, suspend: true, userIds: [userId] });
    // A forged joiner naming an existing user's username: reported, nothing changed.
    const forged = await onboardEmployee(onboarded('old', 'Support'), deps());
    expect(forged).toMatchObject({ userId, reason: expect.stringMatching(/did not provision/) });
    expect(published.at(-1)?.detailType).toBe('Wickr User Not Adopted');
    expect(userNamed('old')).toMatchObject({ securityGroupIds: ['sg-engineering'], suspended: true });
    // A first import adopts the user into the department group, but never lifts a suspension it did not make.
    const adopting = deps({ hr: { ...policy.hr, adoptExistingUsers: true } });
    const adopted = await onboardEmployee(onboarded('old', 'Support', { employeeId: `${run}old-2` }), adopting);
    expect(adopted).toMatchObject({ result: 'converged' });
    expect(userNamed('old')).toMatchObject({ securityGroupIds: [groupsNamed('support')[0]?.id], suspended: true });
  });

  it('refuses department names with invisible characters or look-alike script mixes; folds fullwidth forms', async () => {
    const parsed = (department: string) =>
      EmployeeOnboardedEvent.safeParse({
        ...onboarded('x', 'unused'),
        detail: { ...onboarded('x', 'u').detail, department },
      });
    // A Cyrillic і and a zero-width space made a look-alike "finance" group with the default template.
    expect(parsed('f\u0456nance').error?.issues[0]?.message).toMatch(/must not mix Latin, Cyrillic/);
    expect(parsed('fin\u200Bance').error?.issues[0]?.message).toMatch(/invisible/);
    expect(parsed('Finance').success).toBe(true);
    await onboardEmployee(onboarded('w1', 'Wide'), deps());
    await onboardEmployee(onboarded('w2', 'Ｗｉｄｅ'), deps());
    expect(groupsNamed('wide')).toHaveLength(1);
    expect(userNamed('w2')?.securityGroupIds).toEqual([groupsNamed('wide')[0]?.id]);
  });

  it('keeps to hr.allowedDepartments, and stops creating groups at the cap', async () => {
    const allowed = deps({ hr: { ...policy.hr, allowedDepartments: [`${run}Legal`] } });
    await expect(onboardEmployee(onboarded('a1', 'Made-up'), allowed)).rejects.toMatchObject({
      name: 'HrInputError',
      field: 'detail.department',
      retryable: false,
    });
    const made = await deps().mappings.countCreatedGroups(networkId);
    const capped = deps({ hr: { ...policy.hr, maxCreatedGroupsPerNetwork: made + 1 } });
    await onboardEmployee(onboarded('c1', 'Cap-one'), capped);
    await expect(onboardEmployee(onboarded('c2', 'Cap-two'), capped)).rejects.toMatchObject({
      name: 'HrGroupCapError',
      retryable: false,
    });
    expect(groupsNamed('cap-two')).toEqual([]);
    // An existing group is still adopted past the cap: adopting creates nothing.
    expect(await onboardEmployee(onboarded('c3', 'Cap-one'), capped)).toMatchObject({ result: 'created' });
  });
});

describe('a mapped group deleted by an admin', () => {
  it('is noticed and made again, instead of failing every later joiner', async () => {
    await onboardEmployee(onboarded('g1', 'Studio'), deps());
    const [first] = groupsNamed('studio');
    await fixture.client().deleteSecurityGroup({ networkId, groupId: first?.id ?? '' });
    await onboardEmployee(onboarded('g2', 'Studio'), deps());
    const [again] = groupsNamed('studio');
    expect(again?.id).not.toBe(first?.id);
    expect(userNamed('g2')?.securityGroupIds).toEqual([again?.id]);
  });
});

describe('movers and leavers', () => {
  it('moves a user to the new department group (created on the way) and back again', async () => {
    await onboardEmployee(onboarded('m1', 'Finance'), deps());
    await transferEmployee(transferred('m1', 'Treasury', '2026-11-28T10:00:00Z'), deps());
    expect(userNamed('m1')?.securityGroupIds).toEqual([groupsNamed('treasury')[0]?.id]);
    await transferEmployee(transferred('m1', 'Finance', '2026-11-28T11:00:00Z'), deps());
    await transferEmployee(transferred('m1', 'Treasury', '2026-11-28T12:00:00Z'), deps());
    expect(userNamed('m1')?.securityGroupIds).toEqual([groupsNamed('treasury')[0]?.id]);
    expect(published.filter((p) => p.detailType === 'Wickr User Moved')).toHaveLength(3);
  });

  it('refuses to move or offboard an employee it never provisioned, even by a username that exists', async () => {
    await expect(transferEmployee(transferred('ghost', 'Finance'), deps())).rejects.toMatchObject({
      name: 'HrInputError',
      field: 'detail.employeeId',
      retryable: false,
    });
    const someone = state()?.users[0];
    const byUsername = {
      ...offboarded('ghost'),
      detail: { ...offboarded('ghost').detail, username: someone?.username },
    };
    await expect(offboardEmployee(byUsername as EmployeeOffboardedEvent, deps())).rejects.toMatchObject({
      field: 'detail.employeeId',
    });
    expect(fixture.emulator.journal()).toEqual([]);
    expect(state()?.users[0]?.suspended).toBe(someone?.suspended);
  });

  it('suspends a leaver by default, and deletes when the policy says so', async () => {
    await onboardEmployee(onboarded('l1', 'Finance'), deps());
    await offboardEmployee(offboarded('l1'), deps());
    expect(userNamed('l1')?.suspended).toBe(true);
    await onboardEmployee(onboarded('l2', 'Finance'), deps());
    await offboardEmployee(offboarded('l2'), deps({ hr: { ...policy.hr, leaver: 'delete' } }));
    expect(userNamed('l2')).toBeUndefined();
    expect(published.filter((p) => p.detailType === 'Wickr User Deprovisioned').map((p) => p.detail.action)).toEqual([
      'suspended',
      'deleted',
    ]);
  });

  it('refuses a network that is not in the policy file', async () => {
    await expect(onboardEmployee(onboarded('n1', 'Finance', { networkId: '99999999' }), deps())).rejects.toMatchObject({
      field: 'detail.networkId',
    });
    expect(fixture.emulator.journal()).toEqual([]);
  });
});
