import { describe, expect, it } from 'vitest';
import { type HoldSubject, holdRevision } from '../../../lib/holds/hold.js';
import { callerIs } from '../../../lib/operators/caller.js';
import { decideHold } from '../../../lib/operators/decide-hold.js';
import { operatorRequestOf } from '../../../lib/operators/operator-request.js';
import { MemoryHolds } from '../../support/memory-holds.js';

const operators = 'arn:aws:iam::111122223333:role/ops/wickr-operators';
const session = 'arn:aws:sts::111122223333:assumed-role/wickr-operators/alice';
const hrTool = 'arn:aws:iam::111122223333:role/hr-export';
const t0 = Date.parse('2026-12-07T03:00:00Z');
const subject = (i: number): HoldSubject => ({ subject: `E-${i}`, version: 'v1', action: 'suspend', userId: `${i}` });

async function openHold(causedBy: string[] = [hrTool]) {
  const holds = new MemoryHolds();
  const origin = {
    capability: 'hr' as const,
    networkId: '12345678',
    safeguard: 's',
    figures: {},
    stem: 'hr-x',
    causedBy,
  };
  const { holdId } = await holds.hold(origin, [subject(1), subject(2)], t0, 3_600_000);
  const nudged: string[] = [];
  const deps = {
    holds,
    operatorsRoleArn: operators,
    clock: { now: () => t0 + 60_000 },
    nudge: async (h: { holdId: string }) => {
      nudged.push(h.holdId);
    },
  };
  return { holds, holdId, deps, nudged, origin };
}

describe('a hold decision, as the entry point takes it', () => {
  it('binds to the revision and count shown, seals the hold, and records the verified caller and the clock', async () => {
    const { holds, holdId, deps, nudged, origin } = await openHold();
    const revision = holdRevision([subject(1), subject(2)]);
    const decided = await decideHold({ holdId, decision: 'approve', revision, count: 2 }, { arn: session }, deps);
    expect(decided).toEqual({
      holdId,
      decision: 'approve',
      decidedBy: session,
      decidedAt: new Date(t0 + 60_000).toISOString(),
      revision,
      count: 2,
    });
    expect(nudged).toEqual([holdId]);
    // Sealed: a later subject of the same trip opens a new hold.
    expect((await holds.hold(origin, [subject(3)], t0 + 120_000, 3_600_000)).holdId).not.toBe(holdId);
    // The same decision again (its nudge lost): the nudge again, nothing new recorded.
    await decideHold({ holdId, decision: 'approve', revision, count: 2 }, { arn: session }, deps);
    expect(nudged).toEqual([holdId, holdId]);
    // The opposite decision after it: refused.
    await expect(decideHold({ holdId, decision: 'reject' }, { arn: session }, deps)).rejects.toMatchObject({
      status: 409,
    });
  });

  it('refuses the causer, another principal, a missing revision, a changed one, and a hold that is not there', async () => {
    const { holdId, deps } = await openHold([hrTool, session]);
    const revision = holdRevision([subject(1), subject(2)]);
    await expect(
      decideHold({ holdId, decision: 'approve', revision, count: 2 }, { arn: session }, deps),
    ).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('may not decide it'),
    });
    const other = await openHold();
    const ask = (request: object, arn = session) =>
      decideHold({ holdId: other.holdId, decision: 'approve', ...request }, { arn }, other.deps);
    await expect(ask({ revision, count: 2 }, hrTool)).rejects.toMatchObject({ status: 403 });
    await expect(ask({})).rejects.toMatchObject({ status: 400 });
    await expect(ask({ revision, count: 3 })).rejects.toMatchObject({ status: 409 });
    await expect(ask({ revision: 'abcdefabcdef', count: 2 })).rejects.toMatchObject({ status: 409 });
    await expect(
      decideHold({ holdId: 'hr-x-2', decision: 'approve', revision, count: 2 }, { arn: session }, other.deps),
    ).rejects.toMatchObject({ status: 404 });
    await expect(ask({ revision, count: 2 }, session)).resolves.toMatchObject({ decidedBy: session });
    // Without an operators' role, nobody decides.
    const closed = await openHold();
    await expect(
      decideHold(
        { holdId: closed.holdId, decision: 'reject' },
        { arn: session },
        { ...closed.deps, operatorsRoleArn: undefined },
      ),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('knows a role by its sessions, not by a look-alike name or another account', () => {
    expect(callerIs(session, operators)).toBe(true);
    expect(callerIs(operators, operators)).toBe(true);
    expect(callerIs('arn:aws:sts::999999999999:assumed-role/wickr-operators/alice', operators)).toBe(false);
    expect(callerIs('arn:aws:sts::111122223333:assumed-role/wickr-operators-x/alice', operators)).toBe(false);
    expect(callerIs('arn:aws:iam::111122223333:user/wickr-operators', operators)).toBe(false);
  });

  it('takes a request body naming the field and rule it breaks, never who asked', () => {
    expect(() => operatorRequestOf('not json')).toThrow('body: must be a JSON object');
    expect(() =>
      operatorRequestOf(JSON.stringify({ action: 'decide-hold', holdId: 'h-1', decision: 'maybe' })),
    ).toThrow('decision: must be approve or reject');
    const fact = (detail: object) => JSON.stringify({ action: 'put-fact', detailType: 'Incident Resolved', detail });
    expect(() => operatorRequestOf(fact({ incidentId: 'INC-1', requestedBy: 'arn:aws:iam::1:role/x' }))).toThrow(
      'detail.requestedBy',
    );
    expect(() => operatorRequestOf(fact({ incidentId: 'INC-1', override: true }))).toThrow('detail.reason');
    expect(operatorRequestOf(fact({ incidentId: 'INC-1', override: true, reason: 'kill switch' }))).toMatchObject({
      detailType: 'Incident Resolved',
      detail: { incidentId: 'INC-1', override: true },
    });
  });
});
