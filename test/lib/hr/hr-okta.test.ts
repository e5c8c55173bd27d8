/**
 * Okta's System Log through the HR queue's consumer, against a real local DynamoDB and the Wickr emulator over
 * HTTP: events built from the documented LogEvent shape, delivered in batches, duplicated and out of order.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { demoSeed } from '../../../infra/local/wickr-emulator/index.js';
import { type HrQueueDeps, handleHrQueue } from '../../../lib/hr/handle-hr-queue.js';
import { loadPolicyFile } from '../../../lib/policy-file/policy-file.js';
import type { QueueEvent } from '../../../lib/queue-batch.js';
import { originIssues } from '../../../lib/runtime/middlewares.js';
import { documentClient } from '../../../lib/store/dynamodb-client.js';
import { EmployeeRecordStore } from '../../../lib/store/employee-record-store.js';
import { HoldStore } from '../../../lib/store/hold-store.js';
import { HrMappingStore } from '../../../lib/store/hr-mapping-store.js';
import { OktaPersonStore } from '../../../lib/store/okta-person-store.js';
import { SafeguardWindowStore } from '../../../lib/store/safeguard-window-store.js';
import { startIntegration } from '../../support/integration.js';
import { tableNames } from '../../support/local-dynamodb.js';

const policy = loadPolicyFile('infra/policy.yml');
const networkId = '12345678';
const source = 'aws.partner/okta.com/acme/wickr';
const { fixture, db } = await startIntegration();
const doc = documentClient(db.client);
const refused: { error: Error; event: unknown }[] = [];
let run = '';

const deps = (): HrQueueDeps => ({
  wickr: fixture.client(),
  mappings: new HrMappingStore(doc, tableNames.state),
  records: new EmployeeRecordStore(doc, tableNames.state, 400 * 86_400),
  hr: { ...policy.hr, allowedDepartments: undefined, createGroups: 'any' },
  safeguards: {
    rules: { ...policy.safeguards, hr: { maxDeprovisionsPerHour: 100_000, maxDeprovisionPercent: 100 } },
    windows: new SafeguardWindowStore(doc, tableNames.state, 'HR#'),
    holds: new HoldStore(doc, tableNames.state),
  },
  networkIds: [networkId],
  holder: randomUUID(),
  clock: { now: Date.now, sleep: async () => undefined, remainingMs: () => 60_000, pollMs: 10 },
  followUp: { send: async () => undefined },
  publisher: { publish: async () => undefined },
  logger: { info: () => undefined, warn: () => undefined },
  originIssues: (event) => originIssues(event, { sources: ['hr.system'], maxFutureSkewMs: 300_000 }, '123456789012'),
  refuse: async (error, event) => {
    refused.push({ error, event });
    return true;
  },
  okta: {
    source,
    section: {
      groups: {
        [`${run}Sales-EMEA`]: { department: `${run}Sales`, employmentType: 'EMPLOYEE' },
        [`${run}Legal`]: { department: `${run}Legal`, employmentType: 'EMPLOYEE' },
      },
    },
    people: new OktaPersonStore(doc, tableNames.state, 400 * 86_400),
    originIssues: (event) => originIssues(event, { sources: [source], maxFutureSkewMs: 300_000 }, '123456789012'),
  },
});

let minute = 0;
/** An Okta SystemLog event as the partner source delivers it. */
const okta = (eventType: string, targets: object[], extra: Record<string, unknown> = {}) => {
  minute += 1;
  const published = new Date(Date.UTC(2026, 10, 28, 8, minute)).toISOString();
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'SystemLog',
    source,
    account: '123456789012',
    time: published,
    region: 'us-east-1',
    resources: [],
    detail: {
      uuid: randomUUID(),
      published,
      eventType,
      displayMessage: 'sample',
      severity: 'INFO',
      outcome: { result: 'SUCCESS', reason: null },
      actor: { id: '00uADMIN', type: 'User', alternateId: 'it.admin@acme.example', displayName: 'IT Admin' },
      target: targets,
      ...extra,
    },
  };
};
const person = (id: string) => ({
  id: `00u${run}${id}`,
  type: 'User',
  alternateId: `${run}${id}@acme.example`,
  displayName: 'Jane Roe',
});
const group = (name: string) => ({ id: `00g${name.length}`, type: 'UserGroup', displayName: `${run}${name}` });
const deliver = (events: readonly unknown[]) =>
  handleHrQueue(
    {
      Records: events.map((body) => ({ messageId: randomUUID(), body: JSON.stringify(body) })),
    } as QueueEvent,
    deps(),
  );
const state = () => fixture.emulator.snapshot().networks[0];
const userOf = (id: string) => state()?.users.find((u) => u.username === `${run}${id}@acme.example`);
const groupId = (name: string) => state()?.securityGroups.find((g) => g.name === `${run}${name}`.toLowerCase())?.id;
const wickrCalls = () => fixture.emulator.journal().filter((e) => e.status === 200);

beforeEach(() => {
  fixture.emulator.reset(demoSeed);
  refused.length = 0;
  run = randomUUID().slice(0, 6);
});

describe('Okta lifecycle events', () => {
  it('joiner, mover, leaver, rehire: the Wickr user follows the person', async () => {
    const jane = person('jane');
    await deliver([
      okta('user.lifecycle.activate', [jane]),
      okta('group.user_membership.add', [jane, group('Sales-EMEA')]),
    ]);
    expect(userOf('jane')).toMatchObject({ suspended: false, securityGroupIds: [groupId('Sales')] });
    await deliver([okta('group.user_membership.add', [jane, group('Legal')])]);
    expect(userOf('jane')?.securityGroupIds).toEqual([groupId('Legal')]);
    await deliver([okta('user.lifecycle.deactivate', [jane])]);
    expect(userOf('jane')?.suspended).toBe(true);
    await deliver([okta('user.lifecycle.reactivate', [jane])]);
    expect(userOf('jane')).toMatchObject({ suspended: false, securityGroupIds: [groupId('Legal')] });
    expect(refused).toEqual([]);
  });

  it('delivered latest first and repeated, it ends where the latest facts say', async () => {
    const sam = person('sam');
    const events = [
      okta('user.lifecycle.activate', [sam]),
      okta('group.user_membership.add', [sam, group('Sales-EMEA')]),
      okta('group.user_membership.add', [sam, group('Legal')]),
      okta('user.lifecycle.suspend', [sam]),
    ];
    await deliver([...events].reverse());
    await deliver([events[1], events[0]]);
    expect(userOf('sam')).toBeUndefined();
    // Unsuspended later: created straight into the latest group.
    await deliver([okta('user.lifecycle.unsuspend', [sam])]);
    expect(userOf('sam')).toMatchObject({ suspended: false, securityGroupIds: [groupId('Legal')] });
  });

  it('costs no Wickr request for duplicates, failed actions, unmapped groups and people in none', async () => {
    const kim = person('kim');
    const joined = [okta('user.lifecycle.activate', [kim]), okta('group.user_membership.add', [kim, group('Legal')])];
    await deliver(joined);
    fixture.emulator.clearJournal();
    await deliver(joined);
    await deliver([okta('user.lifecycle.deactivate', [kim], { outcome: { result: 'FAILURE', reason: 'denied' } })]);
    await deliver([okta('group.user_membership.add', [person('lee'), group('Interns')])]);
    await deliver([okta('user.lifecycle.activate', [person('max')])]);
    expect(wickrCalls()).toEqual([]);
    expect(userOf('kim')?.suspended).toBe(false);
    expect(refused).toEqual([]);
  });

  it('as an insider: a second Okta group named like a mapped one makes the name ambiguous, and it maps nothing', async () => {
    const ann = person('ann');
    await deliver([okta('user.lifecycle.activate', [ann]), okta('group.user_membership.add', [ann, group('Legal')])]);
    expect(userOf('ann')?.securityGroupIds).toEqual([groupId('Legal')]);
    // Someone makes another group of the same name (another id) and adds themselves and Ann: it moves no one.
    const twin = { ...group('Legal'), id: '00gTWIN' };
    const eve = person('eve');
    fixture.emulator.clearJournal();
    await deliver([okta('user.lifecycle.activate', [eve]), okta('group.user_membership.add', [eve, twin])]);
    expect(userOf('eve')).toBeUndefined();
    // From then on the name is ambiguous for its first group too: a new member of it is not provisioned either.
    const bo = person('bo');
    await deliver([okta('user.lifecycle.activate', [bo]), okta('group.user_membership.add', [bo, group('Legal')])]);
    expect(userOf('bo')).toBeUndefined();
    expect(wickrCalls()).toEqual([]);
    expect(userOf('ann')?.securityGroupIds).toEqual([groupId('Legal')]);
  });

  it('refuses an event from another source or account, naming the field, with no Wickr request', async () => {
    const forged = { ...okta('user.lifecycle.deactivate', [person('x')]), source: 'aws.partner/okta.com/evil/x' };
    const other = { ...okta('user.lifecycle.deactivate', [person('y')]), account: '999999999999' };
    const answer = await deliver([forged, other]);
    expect(answer.refused.map((r) => r.reason)).toEqual([
      expect.stringContaining('source: must be aws.partner/okta.com/acme/wickr'),
      expect.stringContaining('account: must be this deployment’s account'),
    ]);
    expect(wickrCalls()).toEqual([]);
  });
});
