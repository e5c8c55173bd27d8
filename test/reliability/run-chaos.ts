/**
 * `npm run test:reliability -- [--seed N] [--size M] [--fault-rate R] [--crash-rate C] [--runs K]`: long chaos runs on demand.
 * Prints each run's figures; a failing seed is printed so it can be replayed; exits 1 on any mismatch or loss.
 */
import { commandLine, numberOption } from '../../infra/command-line.js';
import { runChaos } from './chaos.js';

const help = `npm run test:reliability -- [options]

Chaos runs: a random history (incidents declared, updated and resolved in any order, HR facts out of order with
rehires, admin changes, rotation ticks) delivered duplicated and shuffled through the local stack while the
emulator injects 5xx, 429s, resets and "apply then fail" and function environments crash; then an oracle computed
from the history alone checks the final state. Exits 1 on any mismatch or lost event, printing the replay line.

  --seed N         the history's seed                                   [time-based]
  --size M         the history's size: ~2M incidents, ~3M employees     [10]
  --fault-rate R   share of Wickr requests that fail (0–1)             [0.05]
  --crash-rate C   share of invocations whose environment crashes (0–1) [0.1]
  --runs K         runs, with seeds N, N+1, …                          [1]
  --help           this text

Example: npm run test:reliability -- --seed 4242 --size 8 --runs 3`;

const command = 'test:reliability';
const { values } = commandLine(command, help, {
  seed: { type: 'string', default: String(Date.now() % 1_000_000) },
  size: { type: 'string', default: '10' },
  'fault-rate': { type: 'string', default: '0.05' },
  'crash-rate': { type: 'string', default: '0.1' },
  runs: { type: 'string', default: '1' },
});
const firstSeed = numberOption(command, 'seed', values.seed, { min: 0, max: 2 ** 31, integer: true });
const size = numberOption(command, 'size', values.size, { min: 1, max: 200, integer: true });
const faultRate = numberOption(command, 'fault-rate', values['fault-rate'], { min: 0, max: 1 });
const crashRate = numberOption(command, 'crash-rate', values['crash-rate'], { min: 0, max: 1 });
const runs = numberOption(command, 'runs', values.runs, { min: 1, max: 1000, integer: true });
let failed = false;
for (let run = 0; run < runs; run++) {
  const seed = firstSeed + run;
  const figures = await runChaos({ seed, size, faultRate, crashRate });
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
