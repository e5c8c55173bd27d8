/**
 * `npm run test:reliability -- [--seed N] [--size M] [--fault-rate R] [--crash-rate C] [--runs K]`: long chaos runs on demand.
 * Prints each run's figures; a failing seed is printed so it can be replayed; exits 1 on any mismatch or loss.
 */
import { parseArgs } from 'node:util';
import { runChaos } from './chaos.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    size: { type: 'string', default: '10' },
    'fault-rate': { type: 'string', default: '0.05' },
    'crash-rate': { type: 'string', default: '0.1' },
    runs: { type: 'string', default: '1' },
  },
});
let failed = false;
for (let run = 0; run < Number(values.runs); run++) {
  const seed = Number(values.seed) + run;
  const figures = await runChaos({
    seed,
    size: Number(values.size),
    faultRate: Number(values['fault-rate']),
    crashRate: Number(values['crash-rate']),
  });
  const { mismatches, lost, ...counts } = figures;
  console.log(JSON.stringify({ ...counts, mismatches: mismatches.length, lost: lost.length }));
  if (mismatches.length + lost.length > 0) {
    failed = true;
    for (const line of [...mismatches, ...lost]) console.log(`  ${line}`);
    console.log(
      `  replay: npm run test:reliability -- --seed ${seed} --size ${values.size} --fault-rate ${values['fault-rate']} --crash-rate ${values['crash-rate']}`,
    );
  }
}
process.exit(failed ? 1 : 0);
