/**
 * The load suite, CI-sized: every scenario through the real rules and functions on the faithful runtime, checked
 * for correctness only (the oracle's final state, nothing lost). Timing and request counts are figures of
 * `npm run test:load`, never assertions here.
 */
import { describe, expect, it } from 'vitest';
import { runLoad } from './load-scenarios.js';

describe('load suite (CI-sized; `npm run test:load` for the full size)', () => {
  it('ends every scenario in the state its events imply, losing nothing', async () => {
    const figures = await runLoad({ scale: 0.02, budget: 200 });
    expect(figures.map((f) => f.scenario)).toEqual([
      'HR burst',
      'Okta burst',
      'Roster snapshots',
      'Finding storm',
      'PagerDuty storm',
      'Big lockdown',
      'Access review',
    ]);
    for (const f of figures) {
      expect({ scenario: f.scenario, samples: f.samples, mismatches: f.mismatches, lost: f.lost }).toEqual({
        scenario: f.scenario,
        samples: [],
        mismatches: 0,
        lost: 0,
      });
      expect(f.wickrRequests).toBeGreaterThanOrEqual(f.minimum);
    }
  }, 240_000);
});
