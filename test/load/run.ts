/**
 * `npm run test:load -- [--scale S] [--budget R] [--only hr,storm,lockdown] [--json] [--no-fail]`: the load suite
 * at full size (scale 1), printed as a table or JSON; exits 1 when a scenario ends with mismatches or lost events.
 */
import { readFileSync } from 'node:fs';
import type { CapacityUnits } from '../../infra/capacity/measure.js';
import { simulationCheck } from '../../infra/capacity/simulate.js';
import { commandLine, numberOption, refuse } from '../../infra/command-line.js';
import { type LoadFigures, runLoad, scenarioKeys } from './load-scenarios.js';

const help = `npm run test:load -- [options]

Runs the load scenarios through the real rules and functions on the local stack (Lambda execution environments,
SQS, EventBridge), against the Wickr emulator at 20 ms latency behind a token bucket at the deployment's budget.

  --scale S      size of the scenarios, 1 = full (1,000 joiners; 500 findings; 3,000 + 10 × 500 groups;
                 10,000 users reviewed)                                                                  [1]
  --budget R     the deployment's Wickr budget in requests/s (wickrRequestsPerSecond)                      [200]
  --only LIST    comma-separated scenarios: ${scenarioKeys.join(', ')}, capacity (the cost model's check:
                 a simulated day against the model, within 15 % per service)                              [all]
  --json         print JSON instead of a table
  --no-fail      exit 0 even when a scenario ends with mismatches or lost events
  --help         this text

Example: npm run test:load -- --scale 0.1 --only storm`;

const command = 'test:load';
const { values } = commandLine(command, help, {
  scale: { type: 'string', default: '1' },
  budget: { type: 'string', default: '200' },
  only: { type: 'string' },
  json: { type: 'boolean', default: false },
  'no-fail': { type: 'boolean', default: false },
});
const scale = numberOption(command, 'scale', values.scale, { min: 0.001, max: 1 });
const budget = numberOption(command, 'budget', values.budget, { min: 1, max: 10_000 });
const only = typeof values.only === 'string' ? values.only.split(',').map((s) => s.trim()) : undefined;
const unknown = only?.filter((s) => ![...scenarioKeys, 'capacity'].includes(s)) ?? [];
if (unknown.length > 0) {
  refuse(`--only: unknown scenario ${unknown.join(', ')}; choose from ${scenarioKeys.join(', ')}, capacity`, command);
}

const loadOnly = only?.filter((s) => s !== 'capacity');
const figures = loadOnly?.length === 0 ? [] : await runLoad({ scale, budget, only: loadOnly });
// The capacity model against a simulated day (docs/capacity-units.json, from npm run capacity -- --measure).
const capacity =
  !only || only.includes('capacity')
    ? await simulationCheck(JSON.parse(readFileSync('docs/capacity-units.json', 'utf8')) as CapacityUnits)
    : [];
if (values.json) console.log(JSON.stringify({ scale, budget, scenarios: figures, capacity }, null, 2));
else {
  if (figures.length > 0) printTable(figures);
  for (const c of capacity) {
    console.log(
      `capacity: ${c.service}: measured ${c.measured.toFixed(2)}, model ${c.predicted.toFixed(2)}, ×${c.ratio}${c.ok ? '' : ' — OFF by more than 15 %'}`,
    );
  }
}
const bad = figures.some((f) => f.mismatches + f.lost > 0) || capacity.some((c) => !c.ok);
process.exit(bad && !values['no-fail'] ? 1 : 0);

function printTable(rows: readonly LoadFigures[]): void {
  const columns: [string, (f: LoadFigures) => string][] = [
    ['scenario', (f) => f.scenario],
    ['events', (f) => String(f.events)],
    ['wickr req', (f) => String(f.wickrRequests)],
    ['minimum', (f) => String(f.minimum)],
    ['× min', (f) => f.requestsToMinimum.toFixed(2)],
    ['429s', (f) => String(f.throttled429)],
    [
      'peak envs',
      (f) =>
        Object.entries(f.peakEnvironments)
          .map(([k, v]) => `${k}:${v}`)
          .join(' '),
    ],
    ['invocations', (f) => String(f.invocations)],
    ['failed', (f) => String(f.failedInvocations)],
    ['retried', (f) => String(f.retriedInvocations)],
    ['timeouts', (f) => String(f.timeouts)],
    ['failure q', (f) => String(f.failureQueueMessages)],
    ['wall s', (f) => (f.wallMs / 1000).toFixed(1)],
    ['bound s', (f) => (f.boundMs / 1000).toFixed(1)],
    ['× bound', (f) => f.wallToBound.toFixed(2)],
    [
      'p50/p95 s',
      (f) => (f.latencyMs ? `${(f.latencyMs.p50 / 1000).toFixed(1)}/${(f.latencyMs.p95 / 1000).toFixed(1)}` : '-'),
    ],
    ['mismatches', (f) => String(f.mismatches)],
    ['lost', (f) => String(f.lost)],
  ];
  const cells = rows.map((r) => columns.map(([, get]) => get(r)));
  const widths = columns.map(([h], i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) => c.map((x, i) => x.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`load suite: scale ${scale}, budget ${budget} requests/s, emulator 20 ms latency`);
  console.log(line(columns.map(([h]) => h)));
  for (const c of cells) console.log(line(c));
  for (const r of rows) {
    console.log(`\n${r.scenario}: minimum = ${r.minimumIs}`);
    const operations = Object.entries(r.requestsByOperation).map(([name, count]) => `${name} ${count}`);
    console.log(`  requests: ${operations.join(', ')}`);
    const failures = Object.entries(r.failures).map(([name, count]) => `${count} × ${name}`);
    if (failures.length > 0) console.log(`  failed invocations: ${failures.join(', ')}`);
    for (const s of r.samples) console.log(`  ${s}`);
  }
}
