/** The reconcile's next step, pure: the storm, loosening-wait and at-target rules without DynamoDB or Wickr. */
import { describe, expect, it } from 'vitest';
import type { ReachedTarget } from '../../../lib/incident/incident-records.js';
import { nextStep } from '../../../lib/incident/next-step.js';

const reached = (asks: string[], version: number, popup?: string): ReachedTarget => ({
  asks,
  ...(popup ? { popup } : {}),
  groupsChecked: 8,
  unmatchedIds: [],
  unmatchedPatterns: [],
  version,
  atMs: 0,
});
const idle = { waits: 0 };

describe('nextStep', () => {
  it('reconciles when nothing trusted was reached', () => {
    expect(nextStep({ asks: ['a'] }, 1, undefined, idle, 60)).toEqual({ kind: 'reconcile' });
  });

  it('releases without reading Wickr when only the version moved', () => {
    expect(nextStep({ asks: ['a'], popup: 'p' }, 9, reached(['a'], 3, 'p'), idle, 60)).toEqual({ kind: 'at-target' });
  });

  it('waits for quiet when a storm would loosen, once per version and at most maxWaits times', () => {
    const storm = reached(['a', 'b'], 3, 'p');
    const loosening = { asks: ['a'], popup: 'p' };
    expect(nextStep(loosening, 5, storm, idle, 2)).toEqual({
      kind: 'wait-for-quiet',
      settle: { waits: 1, version: 5 },
    });
    // The facts stopped: the same version again is quiet enough.
    expect(nextStep(loosening, 5, storm, { waits: 1, version: 5 }, 2)).toEqual({ kind: 'reconcile' });
    // Still moving: wait again, until the waits run out.
    expect(nextStep(loosening, 6, storm, { waits: 1, version: 5 }, 2)).toEqual({
      kind: 'wait-for-quiet',
      settle: { waits: 2, version: 6 },
    });
    expect(nextStep(loosening, 7, storm, { waits: 2, version: 6 }, 2)).toEqual({ kind: 'reconcile' });
  });

  it('never waits to tighten, nor for a lone fact', () => {
    const before = reached(['a'], 3);
    // A new ask, or a popup where there was none: tightening, at once.
    expect(nextStep({ asks: ['a', 'c'] }, 9, before, idle, 60)).toEqual({ kind: 'reconcile' });
    expect(nextStep({ asks: ['a'], popup: 'p' }, 9, before, idle, 60)).toEqual({ kind: 'reconcile' });
    // One fact past the reached version: no storm to wait for.
    expect(nextStep({ asks: [] }, 4, before, idle, 60)).toEqual({ kind: 'reconcile' });
  });
});
