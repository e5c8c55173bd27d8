/**
 * `npm run bench [-- --json] [--load-scale S]`: the performance figures, each as a ratio to a bound or a baseline
 * measured in the same run, and the load suite at scale S (default 0.1; `npm run test:load` runs it at full size).
 * Targets are reported, never asserted in tests.
 */
import { join } from 'node:path';
import { commandLine, numberOption } from '../../infra/command-line.js';
import { runLoad } from '../load/load-scenarios.js';
import { coldStarts } from './cold-start.js';
import { idempotencyOverhead } from './idempotency-overhead.js';
import { lockdownFanOut } from './lockdown-fan-out.js';
import { lockdownMemory } from './lockdown-memory.js';
import { rotationFanOut } from './rotation-fan-out.js';

const help = `npm run bench -- [--json] [--load-scale S]

Measures cold starts (each function's bundle against a baseline handler), the memory of a lockdown, the lockdown
and rotation fan-outs (requests against their minimum, wall time against the rate-limit bound), the idempotency
overhead, and the load suite at scale S. Every figure is a ratio to a bound or a baseline measured in the same run.

  --json           print the figures as JSON (progress goes to stderr)
  --load-scale S   size of the load suite, 1 = full                        [0.1]
  --help           this text

Example: npm run bench -- --json --load-scale 0.05 > bench.json`;

const { values } = commandLine('bench', help, {
  json: { type: 'boolean', default: false },
  'load-scale': { type: 'string', default: '0.1' },
});
const json = values.json === true;
const loadScale = numberOption('bench', 'load-scale', values['load-scale'], { min: 0.001, max: 1 });
const log = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);

log('cold starts …');
const cold = await coldStarts(21);
log('memory …');
const memory = await lockdownMemory(join(cold.dir, 'incidentDeclared.mjs'));
log('lockdown fan-out …');
const lockdown = await lockdownFanOut();
log('lockdown fan-out with 10% 429s …');
const lockdown429 = await lockdownFanOut(0.1);
log('rotation fan-out …');
const rotation = await rotationFanOut();
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
  lockdown,
  lockdown429,
  rotation,
  idempotency,
  load,
};
if (json) {
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
} else {
  const rows: [string, string, string][] = [
    ['cold start: baseline init (median)', `${cold.baselineMedianMs} ms`, ''],
    ...cold.functions.map((f): [string, string, string] => [
      `  ${f.name}`,
      `zip ${(f.zipBytes / 1024).toFixed(0)} KB, init ${f.initMedianMs} ms, ratio ${f.initRatio}`,
      '≤ 250 KB, ≤ 1.25',
    ]),
    ['memory: lockdown of 1,000 groups', `peak RSS ${memory.peakRssMb} MB, ${memory.groupsLocked} locked`, '≤ 200 MB'],
    [
      'lockdown: 1,000 groups × 2 networks',
      `${lockdown.requests} requests (minimum ${lockdown.minimumRequests}), ${lockdown.rateLimited} × 429, ${lockdown.failedGroups} failed`,
      'equal, 0',
    ],
    [
      '  ÷ rate-limit bound',
      `${lockdown.ratioToBound} (wall ${lockdown.wallMs} ms, bound ${lockdown.boundMs} ms; paced baseline ratio ${lockdown.ratioToBaseline})`,
      '≤ 1.25',
    ],
    [
      'lockdown under 10% 429s',
      `${lockdown429.requests} requests, ${lockdown429.rateLimited} × 429, ${lockdown429.failedGroups} failed`,
      '0 failed',
    ],
    ['  ÷ rate-limit bound', `${lockdown429.ratioToBound} (wall ${lockdown429.wallMs} ms)`, 'reported'],
    [
      'rotation: 1,000 groups, 10% drift',
      `${rotation.requests} requests (minimum ${rotation.minimumRequests}), ${rotation.rateLimited} × 429, patched ${rotation.patched}`,
      'equal',
    ],
    [
      '  ÷ rate-limit bound',
      `${rotation.ratioToBound} (wall ${rotation.wallMs} ms, bound ${rotation.boundMs} ms)`,
      '≤ 1.25',
    ],
    ...idempotency.map((i): [string, string, string] => [
      `idempotency requests (${i.kind})`,
      `fresh ${i.fresh.length} (${i.fresh.join(', ')}), duplicate ${i.duplicate.length} (${i.duplicate.join(', ')})`,
      '2 and 1',
    ]),
    ...load.scenarios.map((l): [string, string, string] => [
      `load (scale ${loadScale}): ${l.scenario}`,
      `${l.wickrRequests} requests (${l.requestsToMinimum} × minimum), ${l.failedInvocations} failed, ${l.lost} lost, ${l.mismatches} mismatches, wall ÷ bound ${l.wallToBound}`,
      'reported',
    ]),
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
}
