/**
 * `npm run bench [-- --json] [--load-scale S]`: the performance figures, each as a ratio to a bound or a baseline
 * measured in the same run, and the load suite at scale S (default 0.1; `npm run test:load` runs it at full size).
 * Targets are reported, never asserted in tests.
 */
import { join } from 'node:path';
import { commandLine, numberOption } from '../../infra/command-line.js';
import { runLoad } from '../load/load-scenarios.js';
import { exitCodeOf, verdicts } from './bench-verdicts.js';
import { coldStarts } from './cold-start.js';
import { idempotencyOverhead } from './idempotency-overhead.js';
import { lockdownFanOut } from './lockdown-fan-out.js';
import { lockdownMemory } from './lockdown-memory.js';
import { reviewMemory } from './review-memory.js';
import { rosterMemory } from './roster-memory.js';
import { rotationFanOut } from './rotation-fan-out.js';
import { timeToContain } from './time-to-contain.js';

const help = `npm run bench -- [--json] [--load-scale S]

Measures cold starts (each function's bundle against a baseline handler), the memory of a lockdown, the lockdown
and rotation fan-outs (requests against their minimum, wall time against the rate-limit bound), the idempotency
overhead, and the load suite at scale S. Every figure is a ratio to a bound or a baseline measured in the same run.

  --json           print the figures as JSON (progress goes to stderr)
  --load-scale S   size of the load suite, 1 = full                        [0.1]
  --no-fail        exit 0 even when a figure is over its target (each is marked pass or OVER; exit 1 otherwise)
  --help           this text

Example: npm run bench -- --json --load-scale 0.05 > bench.json`;

const { values } = commandLine('bench', help, {
  json: { type: 'boolean', default: false },
  'load-scale': { type: 'string', default: '0.1' },
  'no-fail': { type: 'boolean', default: false },
});
const json = values.json === true;
const loadScale = numberOption('bench', 'load-scale', values['load-scale'], { min: 0.001, max: 1 });
const log = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);

log('cold starts …');
const cold = await coldStarts(21);
log('memory …');
const memory = await lockdownMemory(join(cold.dir, 'incidentDeclared.mjs'));
log('roster memory …');
const rosterMemoryFigures = await rosterMemory(join(cold.dir, 'hrEvents.mjs'));
log('access review memory …');
const reviewMemoryFigures = await reviewMemory(join(cold.dir, 'accessReview.mjs'));
log('lockdown fan-out …');
const lockdown = await lockdownFanOut();
log('lockdown fan-out with 10% 429s …');
const lockdown429 = await lockdownFanOut(0.1);
log('rotation fan-out …');
const rotation = await rotationFanOut();
log('time to contain …');
const containment = await timeToContain();
log('idempotency overhead …');
const idempotency = [
  await idempotencyOverhead('dynalite'),
  await idempotencyOverhead('dynamodb-local').catch(() => undefined),
].filter((x) => x !== undefined);
log(`load suite at scale ${loadScale} …`);
const load = { scale: loadScale, budget: 200, scenarios: await runLoad({ scale: loadScale, budget: 200 }) };

const figures = {
  coldStart: { baselineMedianMs: cold.baselineMedianMs, functions: cold.functions },
  memory,
  rosterMemory: rosterMemoryFigures,
  reviewMemory: reviewMemoryFigures,
  lockdown,
  lockdown429,
  rotation,
  containment,
  idempotency,
  load,
};
const rows = verdicts(figures, loadScale);
const over = rows.filter((r) => r.ok === false);
if (json) {
  process.stdout.write(
    `${JSON.stringify({ ...figures, verdicts: rows.map(({ check, target, ok }) => ({ check: check.trim(), target, ok })) }, null, 2)}\n`,
  );
} else {
  const w0 = Math.max(...rows.map((r) => r.check.length));
  const w1 = Math.max(...rows.map((r) => r.value.length));
  for (const r of rows) {
    const verdict = r.ok === undefined ? '' : r.ok ? 'pass' : 'OVER';
    console.log(`${r.check.padEnd(w0)}  ${r.value.padEnd(w1)}  ${r.target.padEnd(22)}  ${verdict}`);
  }
  console.log(over.length ? `\n${over.length} figure(s) over target` : '\nevery figure within its target');
}
process.exit(exitCodeOf(rows, values['no-fail'] === true));
