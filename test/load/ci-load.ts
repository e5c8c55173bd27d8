/**
 * The load suite, CI-sized: every scenario through the real rules and functions on the faithful runtime, checked
 * for correctness only (the oracle's final state, nothing lost). Timing and request counts are figures of
 * `npm run test:load`, never assertions here. The scenarios are split over three test files, so that vitest runs
 * them in parallel workers (they mostly wait on batching windows and queues, not the CPU).
 */
import { expect, it } from 'vitest';
import { type LoadFigures, runLoad, scenarioKeys } from './load-scenarios.js';

type Key = (typeof scenarioKeys)[number];

/** Which test file runs which scenarios; together, every scenario once (`ci-load-split.test.ts` checks it). */
export const ciLoadParts: Readonly<Record<'people' | 'roster' | 'incidents', readonly Key[]>> = {
  people: ['hr', 'okta'],
  roster: ['roster'],
  incidents: ['storm', 'pagerduty', 'lockdown', 'review'],
};

/** One part's test: its scenarios end in the state their events imply, losing nothing. */
export function ciLoadTest(part: keyof typeof ciLoadParts, names: readonly LoadFigures['scenario'][]) {
  it('ends every scenario in the state its events imply, losing nothing', async () => {
    const figures = await runLoad({ scale: 0.02, budget: 200, only: ciLoadParts[part] });
    expect(figures.map((f) => f.scenario)).toEqual(names);
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
}

export { scenarioKeys };
