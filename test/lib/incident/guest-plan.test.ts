import { describe, expect, it } from 'vitest';
import { planGuests } from '../../../lib/incident/guest-plan.js';

describe('planGuests', () => {
  const reading = (seen: string[], blocked: string[], locked: string[]) => ({
    seen,
    blocked: new Set(blocked),
    locked,
  });

  it('blocks every unblocked guest seen, recording those not yet recorded; one found unblocked again is said', () => {
    const step = planGuests(true, reading(['hC', 'hA', 'hB', 'hA', 'bad hash!'], ['hB'], ['hC']));
    expect(step.block).toEqual([
      { usernameHash: 'hA', record: true },
      { usernameHash: 'hC', record: false },
    ]);
    expect(step.foundUnblocked).toEqual(['hC']);
    expect(step.unblock).toEqual([]);
  });

  it('at the lift, unblocks only its own guests still blocked, and drops the entries of those already unblocked', () => {
    const step = planGuests(false, reading(['hA', 'hB', 'hC'], ['hA', 'hB'], ['hA', 'hC']));
    expect(step).toEqual({ block: [], unblock: ['hA'], drop: ['hC'], foundUnblocked: [] });
  });
});
