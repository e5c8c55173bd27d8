import { describe, expect, it } from 'vitest';
import { runChaos } from './chaos.js';

const seed = Number(process.env.CHAOS_SEED ?? 20261128);
const size = Number(process.env.CHAOS_SIZE ?? 3);
const faultRate = Number(process.env.CHAOS_FAULT_RATE ?? 0.05);
const crashRate = Number(process.env.CHAOS_CRASH_RATE ?? 0.1);

describe('chaos (CI-sized; `npm run test:reliability -- --seed N --size M` for a long run)', () => {
  it(`ends in exactly the state the history implies, losing nothing (seed ${seed}, size ${size})`, async () => {
    const figures = await runChaos({ seed, size, faultRate, crashRate });
    console.log(
      `chaos: ${JSON.stringify({ ...figures, mismatches: figures.mismatches.length, lost: figures.lost.length })}`,
    );
    expect(figures.faultsInjected).toBeGreaterThan(0);
    expect(figures.duplicates).toBeGreaterThan(0);
    expect(figures.crashesInjected).toBeGreaterThan(0);
    expect(figures.accounts.people).toBeGreaterThan(0);
    expect(
      figures.mismatches,
      `replay with CHAOS_SEED=${seed} CHAOS_SIZE=${size} CHAOS_FAULT_RATE=${faultRate} CHAOS_CRASH_RATE=${crashRate}`,
    ).toEqual([]);
    expect(
      figures.lost,
      `replay with CHAOS_SEED=${seed} CHAOS_SIZE=${size} CHAOS_FAULT_RATE=${faultRate} CHAOS_CRASH_RATE=${crashRate}`,
    ).toEqual([]);
  }, 600_000);
});
