/**
 * `npm run docs:performance -- BENCH_JSON [LOAD_JSON]`: writes docs/performance.md from the JSON of
 * `npm run bench -- --json` (and of `npm run test:load -- --json`), so the figures in the docs are the ones a run
 * printed, never edited by hand. The narrative of how they came to be is docs/performance-history.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { loadScenario } from '../../infra/capacity/scenario.js';
import { costOf, costTable, defaultScenarios, measuredUnits } from '../../infra/capacity.js';
import type { LoadFigures } from './../load/load-scenarios.js';
import { type BenchFigures, verdicts } from './bench-verdicts.js';

const [benchFile, loadFile] = process.argv.slice(2);
if (!benchFile) {
  console.error('usage: npm run docs:performance -- BENCH_JSON [LOAD_JSON]');
  process.exit(2);
}
const bench = JSON.parse(readFileSync(benchFile, 'utf8')) as BenchFigures;
const load = loadFile
  ? (JSON.parse(readFileSync(loadFile, 'utf8')) as { scale: number; budget: number; scenarios: LoadFigures[] })
  : undefined;
const units = measuredUnits();
const cell = (text: string) => text.replaceAll('|', '\\|');
const rows = verdicts(bench, bench.load.scale).map(
  (v) =>
    `| ${cell(v.check.trim() === v.check ? v.check : `↳ ${v.check.trim()}`)} | ${cell(v.value)} | ${cell(v.target)} | ${v.ok === undefined ? '' : v.ok ? 'pass' : '**OVER**'} |`,
);
const loadTable = (title: string, figures: { scale: number; budget: number; scenarios: readonly LoadFigures[] }) => [
  `### ${title} (scale ${figures.scale}, budget ${figures.budget} requests/s)`,
  '',
  '| scenario | events | Wickr requests (× minimum) | 429s | invocations failed / retried | failure queue | wall (÷ bound) | mismatches | lost |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...figures.scenarios.map(
    (s) =>
      `| ${s.scenario} | ${s.events} | ${s.wickrRequests} (${s.requestsToMinimum} ×) | ${s.throttled429} | ${s.failedInvocations} / ${s.retriedInvocations} | ${s.failureQueueMessages} | ${(s.wallMs / 1000).toFixed(1)} s (${s.wallToBound} ×) | ${s.mismatches} | ${s.lost} |`,
  ),
  '',
];
const doc = [
  '# Performance',
  '',
  `Written by \`npm run docs:performance\` from a run on ${new Date().toISOString().slice(0, 10)}, on this kind of machine: ${cpus().length} cores (${cell(cpus()[0]?.model ?? 'unknown')}). Every figure is a ratio to a bound or a baseline measured in the same run; **OVER** marks one past its target. How the figures came to be, and what changed them: [performance-history.md](performance-history.md).`,
  '',
  '## `npm run bench`',
  '',
  '| check | value | target | verdict |',
  '| --- | --- | --- | --- |',
  ...rows,
  '',
  ...loadTable('The load suite inside the bench', bench.load),
  ...(load ? ['## `npm run test:load`', '', ...loadTable('Full load suite', load)] : []),
  '## What it costs and how far it scales',
  '',
  `A month of three organisations (500, 5,000 and 100,000 people), per AWS service, from the unit costs measured on the local stack ${units.measuredAt.slice(0, 10)} at ${units.commit} (\`npm run capacity\`; the goals, what the model assumes and what would cut each line: [capacity.md](capacity.md)).`,
  '',
  ...defaultScenarios.flatMap((f) => [costTable(costOf(loadScenario(f), units)), '']),
].join('\n');
writeFileSync('docs/performance.md', `${doc}\n`);
console.log('wrote docs/performance.md');
