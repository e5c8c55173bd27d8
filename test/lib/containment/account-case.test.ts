import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CaseFact,
  maxCases,
  mergeCaseFact,
  openCases,
  planContainment,
} from '../../../lib/containment/account-case.js';

const fact = (caseId: string, compromised: boolean, minute: number): CaseFact => ({
  caseId,
  compromised,
  time: new Date(Date.UTC(2026, 10, 30, 3, minute)).toISOString(),
  source: 'on-call',
  eventId: `${caseId}-${minute}-${compromised}`,
});

const received = '2026-11-30T04:00:00.000Z';

describe('an account’s cases', () => {
  it('ends as the latest facts say, whatever the order and duplication (ties: compromised wins)', () => {
    const facts = fc.array(
      fc.record({
        caseId: fc.constantFrom('C1', 'C2', 'C3'),
        compromised: fc.boolean(),
        minute: fc.integer({ min: 0, max: 8 }),
      }),
      { maxLength: 20 },
    );
    // Every fact delivered twice, in a random order.
    const deliveries = facts.chain((list) =>
      fc.tuple(
        fc.constant(list),
        fc.shuffledSubarray([...list.keys(), ...list.keys()], {
          minLength: 2 * list.length,
          maxLength: 2 * list.length,
        }),
      ),
    );
    fc.assert(
      fc.property(deliveries, ([list, order]) => {
        const all = list.map((f) => fact(f.caseId, f.compromised, f.minute));
        const merged = order.reduce((cases, i) => mergeCaseFact(cases, all[i] as CaseFact, received).cases, {});
        // The oracle: per case, the latest time; at a tie, compromised.
        for (const caseId of ['C1', 'C2', 'C3']) {
          const mine = all.filter((f) => f.caseId === caseId);
          if (mine.length === 0) {
            expect(merged[caseId as keyof typeof merged]).toBeUndefined();
            continue;
          }
          const latest = mine.reduce((a, b) => (b.time > a.time || (b.time === a.time && b.compromised) ? b : a));
          expect((merged as Record<string, { open: boolean }>)[caseId]?.open, caseId).toBe(latest.compromised);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('counts time to contain from when the fact that opened the case arrived, not from the finding’s own time', () => {
    // A finding seen at 03:01, received at 04:00; a later update of it (03:09, received 04:05) keeps the opening.
    const opened = mergeCaseFact({}, fact('GD-1', true, 1), received).cases;
    const updated = mergeCaseFact(opened, fact('GD-1', true, 9), '2026-11-30T04:05:00.000Z').cases;
    expect(updated['GD-1']).toMatchObject({ open: true, time: '2026-11-30T03:09:00.000Z', openedAt: received });
    // Closed, then opened again: a new opening, at its own receipt.
    const closed = mergeCaseFact(updated, fact('GD-1', false, 10), '2026-11-30T04:06:00.000Z').cases;
    expect(closed['GD-1']?.openedAt).toBeUndefined();
    const reopened = mergeCaseFact(closed, fact('GD-1', true, 11), '2026-11-30T04:07:00.000Z').cases;
    expect(reopened['GD-1']?.openedAt).toBe('2026-11-30T04:07:00.000Z');
  });

  it('keeps every open case and the latest closed ones, at most 50 in all', () => {
    let cases = {};
    for (let i = 0; i < 80; i++) cases = mergeCaseFact(cases, fact(`C${i}`, i % 10 === 0, i), received).cases;
    expect(Object.keys(cases)).toHaveLength(maxCases);
    expect(openCases(cases).map((c) => c.caseId)).toEqual(['C0', 'C10', 'C20', 'C30', 'C40', 'C50', 'C60', 'C70']);
  });
});

describe('the containment plan', () => {
  const open = mergeCaseFact({}, fact('C1', true, 1), received).cases;
  const cleared = mergeCaseFact(open, fact('C1', false, 5), received).cases;
  it('contains an account with an open case once: suspends unless someone else had', () => {
    expect(planContainment(open, {}, { suspended: false }, { left: false })).toEqual({
      kind: 'contain',
      suspend: true,
      since: '2026-11-30T03:01:00.000Z',
      openedAt: received,
    });
    expect(planContainment(open, {}, { suspended: true }, { left: false })).toMatchObject({ suspend: false });
    expect(
      planContainment(open, { containedSince: 'x', suspendedByUs: true }, { suspended: true }, { left: false }),
    ).toEqual({
      kind: 'none',
    });
  });

  it('owns what it finds after a containment it began was not recorded (a crash between its changes and their record)', () => {
    const begun = { begun: '2026-11-30T03:01:00.000Z' };
    // The retry finds her suspended — by the first attempt: suspended (again, with the same token) and owned.
    expect(planContainment(open, begun, { suspended: true }, { left: false })).toMatchObject({
      kind: 'contain',
      suspend: true,
    });
    // Cleared before the retry: what it began is undone.
    expect(planContainment(cleared, begun, { suspended: true }, { left: false })).toEqual({
      kind: 'release',
      unsuspend: true,
    });
    expect(planContainment(cleared, begun, { suspended: true }, { left: true })).toEqual({
      kind: 'release',
      unsuspend: false,
    });
  });

  it('releases exactly: lifts only its own suspension, and none when HR says the person left', () => {
    const ours = { containedSince: '2026-11-30T03:01:00.000Z', suspendedByUs: true };
    expect(planContainment(cleared, ours, { suspended: true }, { left: false })).toEqual({
      kind: 'release',
      unsuspend: true,
    });
    expect(planContainment(cleared, { ...ours, suspendedByUs: false }, { suspended: true }, { left: false })).toEqual({
      kind: 'release',
      unsuspend: false,
    });
    expect(planContainment(cleared, ours, { suspended: true }, { left: true })).toEqual({
      kind: 'release',
      unsuspend: false,
    });
    expect(planContainment(cleared, {}, { suspended: false }, { left: false })).toEqual({ kind: 'none' });
  });
});
