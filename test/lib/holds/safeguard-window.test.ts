import { describe, expect, it } from 'vitest';
import type { Hold } from '../../../lib/holds/hold.js';
import { verdictOf } from '../../../lib/holds/hold-verdict.js';
import { admit, deprovisionLimit, windowMs } from '../../../lib/holds/safeguard-window.js';

describe('the hourly safeguard window', () => {
  it('admits up to the limit, then trips and holds everything further that hour', () => {
    const first = admit(undefined, 15, 0, 20);
    expect(first).toMatchObject({ admitted: 15, next: { startMs: 0, count: 15, tripped: false } });
    const second = admit(first.next, 10, 1_000, 20);
    expect(second).toMatchObject({ admitted: 5, next: { count: 20, tripped: true } });
    expect(admit(second.next, 1, 2_000, 20).admitted).toBe(0);
  });

  it('opens a fresh window an hour after the last one opened', () => {
    const tripped = admit(admit(undefined, 30, 0, 20).next, 1, 10, 20);
    expect(tripped.admitted).toBe(0);
    expect(admit(tripped.next, 1, windowMs, 20)).toMatchObject({ admitted: 1, next: { startMs: windowMs } });
  });

  it('takes the larger of the count and the share of provisioned users', () => {
    expect(deprovisionLimit({ maxPerHour: 20, maxPercent: 5 }, 100)).toBe(20);
    expect(deprovisionLimit({ maxPerHour: 20, maxPercent: 5 }, 1_000)).toBe(50);
    expect(deprovisionLimit({ maxPerHour: 0, maxPercent: 0 }, 1_000)).toBe(0);
  });
});

describe('a hold verdict', () => {
  const hold = { expiresAt: '2026-11-30T12:00:00.000Z' } as Hold;
  const decided = (decision: 'approve' | 'reject', at: string) => ({
    holdId: 'h',
    decision,
    decidedBy: 'ops',
    decidedAt: at,
    revision: 'r',
    count: 0,
  });
  const before = Date.parse('2026-11-30T11:00:00Z');
  const after = Date.parse('2026-11-30T13:00:00Z');

  it('applies an approval made in time, even when carried out after expiry', () => {
    expect(verdictOf(hold, decided('approve', '2026-11-30T11:59:00Z'), after)).toBe('apply');
  });
  it('rejects on a rejection, waits without a decision, expires after the time is up', () => {
    expect(verdictOf(hold, decided('reject', '2026-11-30T11:00:00Z'), before)).toBe('rejected');
    expect(verdictOf(hold, undefined, before)).toBe('wait');
    expect(verdictOf(hold, undefined, after)).toBe('expired');
  });
  it('an approval made after expiry counts as expiry, not approval', () => {
    expect(verdictOf(hold, decided('approve', '2026-11-30T12:00:01Z'), after)).toBe('expired');
  });
});
