/**
 * The incident state's contract, run against the DynamoDB store (dynalite here, Amazon's DynamoDB Local in CI) and
 * against the in-memory one the use-case tests run on: the same calls give the same answers, so a use case proven on
 * memory holds on DynamoDB. Each case is a short history on a fresh network.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ActiveIncident, FieldLock, PopupConfig, ReachedTarget } from '../../../lib/incident/incident-records.js';
import type { IncidentState } from '../../../lib/incident/ports.js';
import { documentClient } from '../../../lib/store/dynamodb-client.js';
import { IncidentStateStore, IncidentStateStoreError } from '../../../lib/store/incident-state-store.js';
import { startDynamoWithTables, tableNames } from '../../support/local-dynamodb.js';
import { MemoryIncidentState } from '../../support/memory-incident-state.js';

const db = await startDynamoWithTables();
afterAll(() => db.close());
const implementations: [string, () => IncidentState][] = [
  ['the DynamoDB store', () => new IncidentStateStore(documentClient(db.client), tableNames.state)],
  ['the in-memory state', () => new MemoryIncidentState()],
];

const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 3, minute)).toISOString();
const incident = (severity: 'SEV1' | 'SEV2' | 'SEV3', minute: number, id = 'INC-1'): ActiveIncident => ({
  incidentId: id,
  severity,
  title: `t${minute}`,
  declaredAt: at(minute),
});
const now = Date.UTC(2026, 10, 30, 4, 0);
const day = 86_400_000;
const reached = {
  basis: 'b',
  asks: [],
  unmatchedIds: [],
  unmatchedPatterns: [],
  groupsChecked: 3,
  version: 1,
  atMs: now,
} as unknown as ReachedTarget;
const popup: FieldLock<PopupConfig> = {
  original: { enabled: false, title: '', message: '', acceptLabel: '', declineLabel: '' },
  set: { enabled: true, title: 'x', message: 'y', acceptLabel: 'ok', declineLabel: 'no' },
  prev: { enabled: false, title: '', message: '', acceptLabel: '', declineLabel: '' },
} as unknown as FieldLock<PopupConfig>;

describe.each(implementations)('the incident state contract: %s', (_name, make) => {
  const fresh = () => ({ state: make(), n: String(10_000_000 + Math.floor(Math.random() * 89_999_999)) });

  it('records declarations by time and strictness, per channel, and moves the version with each fact', async () => {
    const { state, n } = fresh();
    expect(await state.declare(n, incident('SEV2', 10), 'incidents', now)).toEqual({ result: 'recorded' });
    expect(await state.declare(n, incident('SEV2', 10), 'incidents', now)).toEqual({ result: 'recorded' });
    expect(await state.declare(n, incident('SEV1', 10), 'incidents', now)).toEqual({ result: 'recorded' });
    expect(await state.declare(n, incident('SEV3', 10), 'incidents', now)).toEqual({ result: 'stale' });
    expect(await state.declare(n, incident('SEV1', 5), 'incidents', now)).toEqual({ result: 'stale' });
    expect(await state.declare(n, incident('SEV1', 20), 'securityhub', now)).toEqual({ result: 'other-channel' });
    expect(await state.declare(n, incident('SEV3', 1, 'INC-0'), 'pagerduty', now)).toEqual({ result: 'recorded' });
    const desired = await state.readDesired(n);
    expect(desired.version).toBe(4);
    expect(desired.active).toEqual([incident('SEV3', 1, 'INC-0'), incident('SEV1', 10)]);
    expect(await state.activeOn([n, '99999999'], 'INC-1', 'incidents')).toEqual([n]);
    expect(await state.activeOn([n], 'INC-1', 'securityhub')).toEqual([]);
  });

  it('resolves through the declaring channel (or an override), keeps a tombstone, and reopens on a newer fact', async () => {
    const { state, n } = fresh();
    await state.declare(n, incident('SEV1', 10), 'pagerduty', now);
    const until = now + 30 * day;
    expect(await state.resolve(n, 'INC-1', { resolvedAt: at(20), channel: 'incidents', expiresAtMs: until })).toBe(
      'other-channel',
    );
    expect(await state.resolve(n, 'INC-1', { resolvedAt: at(5), channel: 'pagerduty', expiresAtMs: until })).toBe(
      'stale',
    );
    expect(await state.resolve(n, 'INC-1', { resolvedAt: at(20), channel: 'pagerduty', expiresAtMs: until })).toBe(
      'recorded',
    );
    // A copy of the resolution is recorded again (idempotent); an older one is stale.
    expect(await state.resolve(n, 'INC-1', { resolvedAt: at(20), channel: 'pagerduty', expiresAtMs: until })).toBe(
      'recorded',
    );
    expect(await state.declare(n, incident('SEV1', 15), 'pagerduty', now)).toEqual({
      result: 'already-resolved',
      resolvedAt: at(20),
    });
    expect(await state.resolve(n, 'INC-1', { resolvedAt: at(19), channel: 'pagerduty', expiresAtMs: until })).toBe(
      'stale',
    );
    expect((await state.readDesired(n)).active).toEqual([]);
    // A newer declaration reopens it; another channel's declaration takes over a tombstone too.
    expect(await state.declare(n, incident('SEV2', 25), 'pagerduty', now)).toEqual({ result: 'recorded' });
    expect(
      await state.resolve(n, 'INC-1', {
        resolvedAt: at(30),
        channel: 'incidents',
        expiresAtMs: until,
        override: true,
      }),
    ).toBe('recorded');
    expect(await state.declare(n, incident('SEV1', 29), 'securityhub', now)).toEqual({ result: 'recorded' });
    expect((await state.readDesired(n)).version).toBe(6);
  });

  it('forgets an expired tombstone: an older declaration after it counts again', async () => {
    const { state, n } = fresh();
    await state.resolve(n, 'INC-1', { resolvedAt: at(20), channel: 'incidents', expiresAtMs: now + 1000 });
    expect(await state.declare(n, incident('SEV1', 10), 'incidents', now)).toMatchObject({
      result: 'already-resolved',
    });
    expect(await state.declare(n, incident('SEV1', 10), 'incidents', now + 2 * day)).toEqual({ result: 'recorded' });
  });

  it('withdraws only a newer fact of the declaring channel, leaving a tombstone as a resolution does', async () => {
    const { state, n } = fresh();
    const keep = now + day;
    await state.declare(n, incident('SEV1', 10), 'pagerduty', now);
    expect(await state.withdraw(n, 'INC-1', 'incidents', at(20), keep)).toBe(false);
    expect(await state.withdraw(n, 'INC-1', 'pagerduty', at(10), keep)).toBe(false);
    expect(await state.withdraw(n, 'INC-1', 'pagerduty', at(20), keep)).toBe(true);
    expect(await state.withdraw(n, 'INC-1', 'pagerduty', at(30), keep)).toBe(false);
    expect(await state.readDesired(n)).toEqual({ version: 2, active: [] });
    // A tombstone: the declaration replayed (older than the withdrawal) does nothing; a newer one brings it back.
    expect(await state.declare(n, incident('SEV1', 10), 'pagerduty', now)).toMatchObject({
      result: 'already-resolved',
    });
    expect(await state.declare(n, incident('SEV1', 25), 'pagerduty', now)).toEqual({ result: 'recorded' });
  });

  it('leases a network to one owner; releases only at the version read; keeps the target reached', async () => {
    const { state, n } = fresh();
    expect(await state.isBehind(n)).toBe(false);
    expect(await state.acquireLease(n, 'a', now, 60_000)).toEqual({ reached: undefined });
    expect(await state.acquireLease(n, 'b', now, 60_000)).toBeUndefined();
    expect(await state.acquireLease(n, 'a', now + 1, 60_000)).toEqual({ reached: undefined });
    await state.declare(n, incident('SEV1', 10), 'incidents', now);
    expect(await state.isBehind(n)).toBe(true);
    expect(await state.releaseLease(n, 'a', 0, now, reached)).toBe(false);
    await expect(state.releaseLease(n, 'b', 1, now, reached)).rejects.toBeInstanceOf(IncidentStateStoreError);
    expect(await state.releaseLease(n, 'a', 1, now, reached)).toBe(true);
    expect(await state.isBehind(n)).toBe(false);
    expect(await state.acquireLease(n, 'b', now, 60_000)).toEqual({ reached });
    // Taking the lease takes the target with it: a second holder reads Wickr afresh.
    await state.abandonLease(n, 'a');
    expect(await state.acquireLease(n, 'c', now, 60_000)).toBeUndefined();
    await state.abandonLease(n, 'b');
    expect(await state.acquireLease(n, 'c', now, 60_000)).toEqual({ reached: undefined });
    // An expired lease is taken over; one longer than any reconcile takes is taken over and said.
    expect(await state.acquireLease(n, 'd', now + 60_001, 60_000)).toEqual({ reached: undefined });
    expect(await state.acquireLease(n, 'e', now + day, 60_000)).toEqual({ reached: undefined });
    expect(await state.acquireLease(n, 'f', now + 60_002, 60_000)).toEqual({ reached: undefined, tookInvalid: true });
  });

  it('schedules one watch per lease and one sweep per period', async () => {
    const { state, n } = fresh();
    expect(await state.watchLease(n, now)).toBeUndefined();
    await state.acquireLease(n, 'a', now, 60_000);
    expect(await state.watchLease(n, now)).toBe(now + 60_000);
    expect(await state.watchLease(n, now + 10)).toBeUndefined();
    await state.acquireLease(n, 'a', now + 5_000, 60_000);
    expect(await state.watchLease(n, now + 5_000)).toBe(now + 65_000);
    expect(await state.watchLease(n, now + 70_000)).toBe(now + 70_000);
    expect(await state.scheduleSweep(n, now, now + 300_000)).toBe(true);
    expect(await state.scheduleSweep(n, now + 1_000, now + 301_000)).toBe(false);
    expect(await state.scheduleSweep(n, now + 300_000, now + 600_000)).toBe(true);
  });

  it('writes lock entries only over the revision it read, and lists them by group id', async () => {
    const { state, n } = fresh();
    const fields = { maxNonSsoSessionMinutes: { original: 720, set: 60, prev: 720 } } as never;
    await state.putGroupLock(n, 'sg-b', fields);
    await state.putGroupLock(n, 'sg-a', fields);
    await expect(state.putGroupLock(n, 'sg-b', fields)).rejects.toBeInstanceOf(IncidentStateStoreError);
    await expect(state.putGroupLock(n, 'sg-b', fields, 2)).rejects.toBeInstanceOf(IncidentStateStoreError);
    await state.putGroupLock(n, 'sg-b', fields, 1);
    await expect(state.putPopupLock(n, popup, true)).rejects.toBeInstanceOf(IncidentStateStoreError);
    await state.putPopupLock(n, popup, false);
    await expect(state.putPopupLock(n, popup, false)).rejects.toBeInstanceOf(IncidentStateStoreError);
    expect(await state.readLocks(n)).toEqual({
      groups: [
        { groupId: 'sg-a', fields, revision: 1 },
        { groupId: 'sg-b', fields, revision: 2 },
      ],
      popup,
      guests: [],
    });
    // Guests the lockdown blocked: an entry each, written twice the same, listed in key order.
    await state.putGuestLock(n, 'hB');
    await state.putGuestLock(n, 'hA');
    await state.putGuestLock(n, 'hB');
    expect((await state.readLocks(n)).guests).toEqual(['hA', 'hB']);
    await state.deleteGuestLock(n, 'hB');
    await state.deleteGroupLock(n, 'sg-a');
    await state.deletePopupLock(n);
    expect(await state.readLocks(n)).toEqual({
      groups: [{ groupId: 'sg-b', fields, revision: 2 }],
      popup: undefined,
      guests: ['hA'],
    });
    // What a read returns is a copy: changing it changes nothing stored.
    const read = await state.readLocks(n);
    (read.groups[0] as { revision: number }).revision = 99;
    expect((await state.readLocks(n)).groups[0]?.revision).toBe(2);
  });
});
