/**
 * Account containment against a real local DynamoDB and the Wickr emulator over HTTP: the demo network's alice
 * (three devices), provisioned through the HR records as employee E-ALICE; bob, not provisioned by us.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { demoSeed } from '../../../infra/local/wickr-emulator/index.js';
import type { CaseSource } from '../../../lib/containment/account-case.js';
import { type AccountFact, takeAccountFact } from '../../../lib/containment/contain-account.js';
import type { ContainmentDeps } from '../../../lib/containment/ports.js';
import { sweepContainments } from '../../../lib/containment/sweep-containments.js';
import { documentClient } from '../../../lib/store/dynamodb-client.js';
import { EmployeeRecordStore } from '../../../lib/store/employee-record-store.js';
import { containmentDeps } from '../../support/containment-deps.js';
import { decideAsOperator } from '../../support/decide-hold.js';
import { startIntegration } from '../../support/integration.js';
import { clearIncidentState, tableNames } from '../../support/local-dynamodb.js';

const networkId = '12345678';
const { fixture, db } = await startIntegration();
const doc = documentClient(db.client);
const published: { detailType: string; detail: Record<string, unknown> }[] = [];
const records = new EmployeeRecordStore(doc, tableNames.state, 400 * 86_400);
let employeeId = '';

const deps = (overrides: Partial<ContainmentDeps> = {}) =>
  containmentDeps({ client: () => fixture.client(), doc, networkId, published }, overrides);

let minute = 0;
const at = () => new Date(Date.UTC(2026, 10, 30, 3, ++minute)).toISOString();
const compromised = (caseId: string, subject = employeeId, source: CaseSource = 'guardduty'): AccountFact => ({
  caseId,
  subject,
  compromised: true,
  time: at(),
  source,
  eventId: randomUUID(),
});
const cleared = (caseId: string, subject = employeeId): AccountFact => ({
  ...compromised(caseId, subject, 'on-call'),
  compromised: false,
});
const alice = () => fixture.emulator.snapshot().networks[0]?.users.find((u) => u.userId === '1001');
const writes = () => fixture.emulator.journal().filter((e) => e.method !== 'GET' && e.status === 200);
const calls = () => fixture.emulator.journal().filter((e) => e.status === 200);

/** Alice as an employee this deployment provisioned (its HR record names her Wickr user). */
async function provisionAlice(
  left = false,
  sequence = 1,
  status: 'active' | 'suspended' = 'active',
  groupId = 'sg-engineering',
) {
  await records.recordFact({
    networkId,
    employeeId,
    version: `2|${String(sequence).padStart(10, '0')}|${left ? '1' : '0'}`,
    time: '2026-11-01T00:00:00.000Z',
    eventId: 'hr',
    placement: left
      ? { state: 'left' }
      : { state: 'active', department: 'Engineering', employmentType: 'EMPLOYEE', groupName: 'engineering' },
  });
  const claimed = await records.claim(networkId, employeeId, 'test', Date.now() + 30_000, Date.now());
  if (!claimed) throw new Error('could not claim the record');
  await records.release(claimed, 'test', { userId: '1001', status, groupId, groupName: 'engineering' });
}

beforeEach(async () => {
  fixture.emulator.reset(demoSeed);
  published.length = 0;
  // One employee per Wickr user, as HR keeps it: the previous test's alice is gone.
  if (employeeId) {
    await doc.send(
      new DeleteCommand({
        TableName: tableNames.state,
        Key: { pk: `HR#NETWORK#${networkId}`, sk: `EMPLOYEE#${employeeId}` },
      }),
    );
  }
  employeeId = `E-ALICE-${randomUUID().slice(0, 6)}`;
  await clearIncidentState(db.client, networkId);
  await provisionAlice();
  // Each test starts with no account under containment.
  for (const userId of ['1001', '1002', '1003']) {
    await doc.send(
      new DeleteCommand({
        TableName: tableNames.state,
        Key: { pk: `ACCOUNT#NETWORK#${networkId}`, sk: `USER#${userId}` },
      }),
    );
  }
  // The emulator's groups are reset: so is the quarantine group this deployment made.
  await doc.send(
    new DeleteCommand({ TableName: tableNames.state, Key: { pk: `ACCOUNT#QUARANTINE#${networkId}`, sk: 'GROUP' } }),
  );
  fixture.emulator.clearJournal();
});

describe('account containment', () => {
  it('suspends and signs out every device in 4 requests; the same fact again does nothing; release restores', async () => {
    // Our clock stands still: time to contain counts from the fact's receipt, not from the finding's own (older) time.
    const now = Date.parse('2026-12-07T03:14:20Z');
    expect(await takeAccountFact(deps({ nowMs: () => now }), compromised('GD-1'))).toEqual({
      result: 'contained',
      networkId,
      userId: '1001',
    });
    expect(alice()?.suspended).toBe(true);
    expect(alice()?.devices?.map((d) => d.statusText)).toEqual(['Reset', 'Reset', 'Reset']);
    expect(calls().map((e) => e.operation)).toEqual([
      'GetUser',
      'BatchToggleUserSuspendStatus',
      'ListDevicesForUser',
      'BatchResetDevicesForUser',
    ]);
    expect(published.at(-1)).toMatchObject({
      detailType: 'Wickr Account Contained',
      detail: {
        userId: '1001',
        caseIds: ['GD-1'],
        steps: ['suspended', 'devices-signed-out'],
        devicesSignedOut: 3,
        timeToContainMs: 0,
      },
    });

    fixture.emulator.clearJournal();
    const again = { ...compromised('GD-1') };
    expect((await takeAccountFact(deps(), again)).result).toBe('unchanged');
    expect(writes()).toEqual([]);

    expect((await takeAccountFact(deps(), cleared('GD-1'))).result).toBe('released');
    expect(alice()?.suspended).toBe(false);
    expect(published.at(-1)?.detail).toMatchObject({
      unsuspended: true,
      note: expect.stringContaining('not signed back in'),
    });
  });

  it('leaves a suspension that was not its own: an admin had suspended the user before', async () => {
    await fixture.client().batchToggleUserSuspendStatus({ networkId, suspend: true, userIds: ['1001'] });
    await takeAccountFact(deps(), compromised('GD-2'));
    expect(published.at(-1)?.detail.steps).toEqual(['already-suspended', 'devices-signed-out']);
    await takeAccountFact(deps(), cleared('GD-2'));
    expect(alice()?.suspended).toBe(true);
  });

  it('holds the account until its last case is cleared, and a clearance older than the compromise changes nothing', async () => {
    const late = cleared('C-OLD');
    await takeAccountFact(deps(), compromised('C-A'));
    await takeAccountFact(deps(), compromised('C-B'));
    expect((await takeAccountFact(deps(), cleared('C-A'))).result).toBe('unchanged');
    expect(alice()?.suspended).toBe(true);
    // A clearance dated before its case was opened arrives last: the case stays open.
    const open = compromised('C-OLD');
    await takeAccountFact(deps(), open);
    await takeAccountFact(deps(), late);
    await takeAccountFact(deps(), cleared('C-B'));
    expect(alice()?.suspended).toBe(true);
    await takeAccountFact(deps(), cleared('C-OLD'));
    expect(alice()?.suspended).toBe(false);
  });

  it('keeps a leaver suspended at release, as HR says', async () => {
    await takeAccountFact(deps(), compromised('GD-3'));
    await provisionAlice(true);
    await takeAccountFact(deps(), cleared('GD-3'));
    expect(alice()?.suspended).toBe(true);
    expect(published.at(-1)?.detail.unsuspended).toBe(false);
  });

  it('lifts at release a suspension HR made when the person left, once HR rehired them during the containment', async () => {
    // HR suspended alice when she left; then her account was compromised (already suspended: not ours).
    await provisionAlice(true, 2, 'suspended');
    await fixture.client().batchToggleUserSuspendStatus({ networkId, suspend: true, userIds: ['1001'] });
    await takeAccountFact(deps(), compromised('GD-4'));
    expect(published.at(-1)?.detail.steps).toEqual(['already-suspended', 'devices-signed-out']);
    // Rehired while contained: HR places her, and its reactivation waits (as HR records it: suspended, its own).
    await provisionAlice(false, 3, 'suspended');
    expect(alice()?.suspended).toBe(true);
    await takeAccountFact(deps(), cleared('GD-4'));
    expect(alice()?.suspended).toBe(false);
    expect(published.at(-1)?.detail).toMatchObject({ unsuspended: true });
  });

  it('quarantines when the policy says: the group made once, ≤ 4 requests + 1 per 50 devices; release to HR’s group now', async () => {
    const quarantine = {
      groupName: 'quarantine',
      settings: { federationMode: 0, lockoutThreshold: 3 },
      sources: ['guardduty' as const],
    };
    const d = deps({ quarantine });
    await takeAccountFact(d, compromised('GD-Q1'));
    const group = () => fixture.emulator.snapshot().networks[0]?.securityGroups.filter((g) => g.name === 'quarantine');
    expect(group()?.map((g) => g.securityGroupSettings.lockoutThreshold)).toEqual([3]);
    expect(alice()).toMatchObject({ suspended: true, securityGroupIds: [group()?.[0]?.id] });
    expect(published.at(-1)?.detail.steps).toEqual(['suspended', 'devices-signed-out', 'quarantined']);
    expect(published.some((p) => p.detailType === 'Wickr Security Group Provisioned')).toBe(true);
    // HR moves her while she is contained: recorded, not made (she stays in quarantine) — the release makes it.
    await provisionAlice(false, 2, 'active', 'sg-finance');
    await takeAccountFact(d, cleared('GD-Q1'));
    expect(alice()).toMatchObject({ suspended: false, securityGroupIds: ['sg-finance'] });
    expect(published.at(-1)?.detail).toMatchObject({ unsuspended: true, groupIds: ['sg-finance'] });
    // Again, the group known: GetUser, suspend, list devices (all signed out already), move — and no new group.
    fixture.emulator.clearJournal();
    await takeAccountFact(d, compromised('GD-Q2'));
    expect(calls().map((e) => e.operation)).toEqual([
      'GetUser',
      'BatchToggleUserSuspendStatus',
      'ListDevicesForUser',
      'UpdateUser',
    ]);
    expect(group()).toHaveLength(1);
    // An on-call containment is not among the policy's sources: no quarantine.
    await takeAccountFact(d, cleared('GD-Q2'));
    await takeAccountFact(d, compromised('OC-1', employeeId, 'on-call'));
    expect(alice()?.securityGroupIds).toEqual(['sg-finance']);
  });

  it('owns its suspension and quarantine after a crash between making them and recording them', async () => {
    const quarantine = { groupName: 'quarantine', settings: { federationMode: 0 }, sources: ['guardduty' as const] };
    // The function dies once right after its changes, before their record (as a Lambda timeout would end it).
    const crashing = (d: ContainmentDeps): ContainmentDeps => {
      let crashed = false;
      const accounts = {
        ...d.accounts,
        get: d.accounts.get.bind(d.accounts),
        putCases: d.accounts.putCases.bind(d.accounts),
        list: d.accounts.list.bind(d.accounts),
        quarantineGroup: d.accounts.quarantineGroup.bind(d.accounts),
        keepQuarantineGroup: d.accounts.keepQuarantineGroup.bind(d.accounts),
        forgetQuarantineGroup: d.accounts.forgetQuarantineGroup.bind(d.accounts),
        putApplied: (...args: Parameters<ContainmentDeps['accounts']['putApplied']>) => {
          if (!crashed && args[2].containedSince) {
            crashed = true;
            return Promise.reject(new Error('Task timed out'));
          }
          return d.accounts.putApplied(...args);
        },
      };
      return { ...d, accounts };
    };
    const d = deps({ quarantine });
    await expect(takeAccountFact(crashing(d), compromised('GD-CRASH'))).rejects.toThrow('Task timed out');
    expect(alice()?.suspended).toBe(true);
    // The retry finds her suspended, and knows it was its own doing: released, she is unsuspended.
    const fact = compromised('GD-CRASH');
    expect((await takeAccountFact(d, fact)).result).toBe('contained');
    expect(published.at(-1)?.detail.steps).toEqual(['suspended', 'devices-signed-out', 'quarantined']);
    await takeAccountFact(d, cleared('GD-CRASH'));
    expect(alice()).toMatchObject({ suspended: false, securityGroupIds: ['sg-engineering'] });

    // Cleared before any retry: what the crashed containment began is undone all the same.
    await expect(takeAccountFact(crashing(d), compromised('GD-CRASH-2'))).rejects.toThrow('Task timed out');
    await takeAccountFact(d, cleared('GD-CRASH-2'));
    expect(alice()).toMatchObject({ suspended: false, securityGroupIds: ['sg-engineering'] });
  });

  it('makes the quarantine group again when someone deleted it, and never two at once', async () => {
    const quarantine = { groupName: 'quarantine', settings: {}, sources: ['guardduty' as const] };
    await takeAccountFact(deps({ quarantine }), compromised('GD-Q3'));
    await takeAccountFact(deps({ quarantine }), cleared('GD-Q3'));
    const [made] = fixture.emulator.snapshot().networks[0]?.securityGroups.filter((g) => g.name === 'quarantine') ?? [];
    await fixture.client().deleteSecurityGroup({ networkId, groupId: made?.id ?? '' });
    await takeAccountFact(deps({ quarantine }), compromised('GD-Q4'));
    const now = fixture.emulator.snapshot().networks[0]?.securityGroups.filter((g) => g.name === 'quarantine') ?? [];
    expect(now).toHaveLength(1);
    expect(alice()?.securityGroupIds).toEqual([now[0]?.id]);
  });

  it('restores on its sweep a containment someone undid by hand (unsuspended, moved out of quarantine), once', async () => {
    const quarantine = { groupName: 'quarantine', settings: {}, sources: ['guardduty' as const] };
    const d = deps({ quarantine });
    await takeAccountFact(d, compromised('GD-S1'));
    const quarantineId = alice()?.securityGroupIds[0];
    // An admin lifts the suspension and moves her back, in the console.
    await fixture.client().batchToggleUserSuspendStatus({ networkId, suspend: false, userIds: ['1001'] });
    await fixture
      .client()
      .updateUser({ networkId, userId: '1001', userDetails: { securityGroupIds: ['sg-engineering'] } });
    const tick = '2026-11-30T03:15:00.000Z';
    expect(await sweepContainments(d, tick)).toMatchObject({
      checked: 1,
      restored: [{ networkId, userId: '1001', drift: ['unsuspended', 'moved-out-of-quarantine'] }],
    });
    expect(alice()).toMatchObject({ suspended: true, securityGroupIds: [quarantineId] });
    expect(published.at(-1)).toMatchObject({
      detailType: 'Wickr Account Containment Restored',
      detail: { userId: '1001', caseIds: ['GD-S1'] },
    });
    // Nothing undone: the next sweep only reads.
    fixture.emulator.clearJournal();
    expect(await sweepContainments(d, '2026-11-30T03:30:00.000Z')).toMatchObject({ checked: 1, restored: [] });
    expect(writes()).toEqual([]);
    // Released: no longer swept.
    await takeAccountFact(d, cleared('GD-S1'));
    expect(await sweepContainments(d, '2026-11-30T03:45:00.000Z')).toMatchObject({ checked: 0 });
  });

  it('acts on no user it did not provision, and names no one it could not find: no Wickr write', async () => {
    const bob = await takeAccountFact(deps(), compromised('GD-4', 'bob@example.com'));
    expect(bob).toEqual({ result: 'unresolved', reason: expect.stringMatching(/not provisioned by this deployment/) });
    const nobody = await takeAccountFact(deps(), compromised('GD-5', 'E-NOBODY'));
    expect(nobody).toEqual({ result: 'unresolved', reason: 'no employee of that id was provisioned' });
    expect(writes()).toEqual([]);
    expect(JSON.stringify(published)).not.toContain('bob@example.com');
    // With containment.anyUser, bob is contained too.
    expect((await takeAccountFact(deps({ anyUser: true }), compromised('GD-6', 'bob@example.com'))).result).toBe(
      'contained',
    );
  });

  it('converges under 429s and answers lost after the change: no double action', async () => {
    fixture.emulator.setFaults({
      next: [
        { operation: 'BatchToggleUserSuspendStatus', applyThenFail: true },
        { operation: 'BatchResetDevicesForUser', status: 429 },
      ],
    });
    // The client retries both: the suspension's lost answer replays from its token, the 429 waits and goes again.
    expect((await takeAccountFact(deps(), compromised('GD-7'))).result).toBe('contained');
    expect(alice()?.suspended).toBe(true);
    expect(alice()?.devices?.every((d) => d.statusText === 'Reset')).toBe(true);
    const toggles = fixture.emulator.journal().filter((e) => e.operation === 'BatchToggleUserSuspendStatus');
    expect(toggles.map((e) => [e.fault ?? null, e.replayed ?? false])).toEqual([
      ['applyThenFail', false],
      [null, true],
    ]);
    expect(new Set(toggles.map((e) => e.clientToken)).size).toBe(1);
    // A redelivery after a crash, with the containment recorded: nothing more.
    fixture.emulator.clearJournal();
    expect((await takeAccountFact(deps(), compromised('GD-7'))).result).toBe('unchanged');
    expect(writes()).toEqual([]);
    expect(published.filter((p) => p.detailType === 'Wickr Account Contained')).toHaveLength(1);
  });
});

describe('GuardDuty findings and the safety rail', () => {
  const section = {
    anyUser: false,
    maxPerHour: 5,
    guardDuty: { minimumSeverity: 7, usernameDomain: 'example.com', accounts: [], trustedRoles: [] },
    okta: { eventTypes: ['user.account.report_suspicious_activity_by_enduser' as const] },
  };
  const finding = (id: string, severity: number, principal: string, extra: Record<string, unknown> = {}) =>
    ({
      version: '0',
      id: randomUUID(),
      'detail-type': 'GuardDuty Finding',
      source: 'aws.guardduty',
      account: '123456789012',
      time: at(),
      region: 'us-east-1',
      resources: [],
      detail: {
        id,
        accountId: '123456789012',
        type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
        severity,
        updatedAt: at(),
        resource: {
          resourceType: 'AccessKey',
          accessKeyDetails: {
            principalId: `AROAEXAMPLE:${principal}`,
            userName: 'AWSReservedSSO_Developers_0123456789abcdef',
            userType: 'AssumedRole',
          },
        },
        ...extra,
      },
    }) as never;
  const handle = async (event: never, overrides: Partial<ContainmentDeps> & { oktaSource?: string } = {}) =>
    (await import('../../../lib/containment/handle-account-event.js')).handleAccountEvent(event, {
      ...deps(overrides),
      section,
      oktaSource: overrides.oktaSource,
    });

  it('contains the Identity Center session’s person (the domain appended), once per finding id, and ignores the rest', async () => {
    expect(await handle(finding('f1', 8, 'alice'), { anyUser: true })).toMatchObject({
      result: 'contained',
      userId: '1001',
    });
    // An update of the same finding: the same case, nothing more.
    fixture.emulator.clearJournal();
    expect((await handle(finding('f1', 8.5, 'alice'), { anyUser: true })).result).toBe('unchanged');
    expect(writes()).toEqual([]);
    expect(await handle(finding('f2', 5, 'bob'))).toEqual({
      result: 'ignored',
      reason: 'severity 5 is below containment.guardDuty.minimumSeverity',
    });
    const s3 = finding('f3', 9, 'bob', { resource: { resourceType: 'S3Bucket' } });
    expect((await handle(s3)).result).toBe('ignored');
    expect(writes()).toEqual([]);
  });

  it('contains the user of an Okta signal the policy chose, as the Okta intake provisioned them; other signals do nothing', async () => {
    const okta = 'aws.partner/okta.com/acme/wickr';
    const signal = (eventType: string, source = okta) =>
      ({
        version: '0',
        id: randomUUID(),
        'detail-type': 'SystemLog',
        source,
        account: '123456789012',
        time: at(),
        region: 'us-east-1',
        resources: [],
        detail: {
          uuid: randomUUID(),
          published: at(),
          eventType,
          outcome: { result: 'SUCCESS', reason: null },
          target: [{ id: `00u${employeeId.slice(-6)}`, type: 'User', alternateId: 'x@acme.example' }],
        },
      }) as never;
    // Alice as the Okta intake provisions people: employee id okta:<Okta user id>.
    const saved = employeeId;
    employeeId = `okta:00u${saved.slice(-6)}`;
    await provisionAlice();
    try {
      expect((await handle(signal('user.session.impersonation.grant'), { oktaSource: okta } as never)).result).toBe(
        'ignored',
      );
      expect(writes()).toEqual([]);
      const reported = await handle(signal('user.account.report_suspicious_activity_by_enduser'), {
        oktaSource: okta,
      } as never);
      expect(reported).toMatchObject({ result: 'contained', userId: '1001' });
      await expect(
        handle(signal('user.account.report_suspicious_activity_by_enduser', 'aws.partner/okta.com/evil/x'), {
          oktaSource: okta,
        } as never),
      ).rejects.toMatchObject({ name: 'ContainmentInputError', field: 'source' });
    } finally {
      await doc.send(
        new DeleteCommand({
          TableName: tableNames.state,
          Key: { pk: `HR#NETWORK#${networkId}`, sk: `EMPLOYEE#${employeeId}` },
        }),
      );
      employeeId = saved;
    }
  });

  it('contains at most maxPerHour accounts an hour from findings, refusing and reporting the rest; the on-call passes', async () => {
    const { SafeguardWindowStore } = await import('../../../lib/store/safeguard-window-store.js');
    const windows = new SafeguardWindowStore(doc, tableNames.state, `CONTAIN-${randomUUID().slice(0, 6)}#`);
    const admit = async () => (await windows.admit('all', 1, Date.now(), 2, async () => 2)).admitted === 1;
    const results = [];
    for (const who of ['alice', 'bob', 'carol']) {
      results.push((await handle(finding(`burst-${who}`, 8, who), { anyUser: true, admit })).result);
    }
    expect(results).toEqual(['contained', 'contained', 'refused']);
    expect(published.filter((p) => p.detailType === 'Wickr Account Containment Refused')).toHaveLength(1);
    const carol = () => fixture.emulator.snapshot().networks[0]?.users.find((u) => u.userId === '1003');
    expect(carol()?.suspended).toBe(false);
    // The on-call's own containment of carol is not a burst: it goes through.
    const oncall = { ...compromised('ONCALL-1', 'carol@example.com', 'on-call') };
    expect((await takeAccountFact(deps({ anyUser: true, admit }), oncall)).result).toBe('contained');
    expect(carol()?.suspended).toBe(true);
  });

  it('holds the containments past maxPerHour for a person when holds are there: approved, contained; rejected, not', async () => {
    const { SafeguardWindowStore } = await import('../../../lib/store/safeguard-window-store.js');
    const { HoldStore } = await import('../../../lib/store/hold-store.js');
    const windows = new SafeguardWindowStore(doc, tableNames.state, `CONTAIN-${randomUUID().slice(0, 6)}#`);
    const admit = async () => (await windows.admit('all', 1, Date.now(), 1, async () => 1)).admitted === 1;
    const holds = new HoldStore(doc, tableNames.state);
    const rail = { anyUser: true, admit, holds, holdMs: 3_600_000, maxPerHour: 1 };
    expect((await handle(finding(`h-alice-${randomUUID()}`, 8, 'alice'), rail)).result).toBe('contained');
    expect((await handle(finding(`h-bob-${randomUUID()}`, 8, 'bob'), rail)).result).toBe('held');
    const bob = () => fixture.emulator.snapshot().networks[0]?.users.find((u) => u.userId === '1002');
    expect(bob()?.suspended).toBe(false);
    const held = published.find((p) => p.detailType === 'Wickr Account Containment Held');
    const holdId = String(held?.detail.holdId);
    expect(published.find((p) => p.detailType === 'Wickr Hold Created')?.detail).toMatchObject({
      holdId,
      capability: 'containment',
      safeguard: 'containment.maxPerHour',
    });
    await decideAsOperator(holds, holdId, 'approve');
    const nudge = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Wickr Hold Decision',
      source: 'wickr.autopilot.operators',
      account: '123456789012',
      time: new Date().toISOString(),
      region: 'us-east-1',
      resources: [],
      detail: { kind: 'hold-decision', holdId, capability: 'containment' },
    } as never;
    expect(await handle(nudge, rail)).toMatchObject({ status: 'approved', result: { held: 1, applied: 1 } });
    expect(bob()?.suspended).toBe(true);
    expect(published.at(-1)).toMatchObject({ detailType: 'Wickr Hold Decided', detail: { decision: 'approved' } });
  });

  it('as an attacker: a replayed compromise after its clearance, a nudge with no decision, a nudge from elsewhere — nothing', async () => {
    const opened = compromised('R-1');
    await takeAccountFact(deps(), opened);
    await takeAccountFact(deps(), cleared('R-1'));
    expect(alice()?.suspended).toBe(false);
    fixture.emulator.clearJournal();
    // The very same compromise again (a replay): older than its clearance, it reopens nothing.
    expect((await takeAccountFact(deps(), opened)).result).toBe('unchanged');
    expect(writes()).toEqual([]);

    const { SafeguardWindowStore } = await import('../../../lib/store/safeguard-window-store.js');
    const { HoldStore } = await import('../../../lib/store/hold-store.js');
    const windows = new SafeguardWindowStore(doc, tableNames.state, `CONTAIN-${randomUUID().slice(0, 6)}#`);
    const admit = async () => (await windows.admit('all', 1, Date.now(), 1, async () => 1)).admitted === 1;
    const rail = {
      anyUser: true,
      admit,
      holds: new HoldStore(doc, tableNames.state),
      holdMs: 3_600_000,
      maxPerHour: 1,
    };
    await handle(finding(`x-alice-${randomUUID()}`, 8, 'alice'), rail);
    expect((await handle(finding(`x-bob-${randomUUID()}`, 8, 'bob'), rail)).result).toBe('held');
    const holdId = String(
      published.filter((p) => p.detailType === 'Wickr Account Containment Held').at(-1)?.detail.holdId,
    );
    const nudge = (source: string) =>
      ({
        version: '0',
        id: randomUUID(),
        'detail-type': 'Wickr Hold Decision',
        source,
        account: '123456789012',
        time: new Date().toISOString(),
        region: 'us-east-1',
        resources: [],
        detail: { kind: 'hold-decision', holdId, capability: 'containment' },
      }) as never;
    // The nudge carries no authority: without an operator's decision, nothing is contained.
    expect(await handle(nudge('wickr.autopilot.operators'), rail)).toEqual({ holdId, status: 'undecided' });
    await expect(handle(nudge('security.incidents'), rail)).rejects.toMatchObject({ field: 'source' });
    const bob = fixture.emulator.snapshot().networks[0]?.users.find((u) => u.userId === '1002');
    expect(bob?.suspended).toBe(false);
    // A sweep tick is Scheduler's alone: one from another source is refused, naming the field, and sweeps nothing.
    fixture.emulator.clearJournal();
    const tick = { ...(nudge('security.incidents') as object), 'detail-type': 'Scheduled Event', detail: {} } as never;
    await expect(handle(tick, rail)).rejects.toMatchObject({ field: 'source' });
    expect(fixture.emulator.journal()).toEqual([]);
  });
});
