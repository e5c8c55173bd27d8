/**
 * `npm run capacity -- [--measure] [--scenario FILE]… [--json]`: what the deployment costs a month and how far it
 * scales, for each scenario (the three of examples/ by default), from the unit costs measured on the local stack
 * (docs/capacity-units.json; `--measure` refreshes them) at infra/prices.json's list prices.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { type CapacityUnits, measureUnits } from './capacity/measure.js';
import { type FixedResources, type MonthlyCost, monthlyCost, type Prices } from './capacity/model.js';
import { loadScenario, type Scenario } from './capacity/scenario.js';
import { commandLine } from './command-line.js';
import { loadLocalService, loadServerlessConfig } from './local/serverless-config.js';

const help = `npm run capacity -- [options]

Prints, per scenario, a month's AWS charges by service (units and US dollars at infra/prices.json's list prices, no
free tier, Wickr's own charges excluded), the cost of the stack standing idle, the worst hour's Wickr requests
against the budget, and how long the biggest lockdown takes.

  --measure        first run a sample of each kind of fact through the local stack and write the unit costs to
                   docs/capacity-units.json (a few minutes)
  --scenario FILE  a scenario (repeatable)        [examples/org-500.yml, examples/org-5000.yml, examples/org-100000.yml]
  --doc            write docs/capacity.md (the tables, the goals against them, the assumptions)
  --json           print JSON
  --help           this text`;

const unitsFile = 'docs/capacity-units.json';
/** The three organisations the docs show. */
export const defaultScenarios = ['examples/org-500.yml', 'examples/org-5000.yml', 'examples/org-100000.yml'];

/** The measured unit costs (docs/capacity-units.json). */
export const measuredUnits = (): CapacityUnits => JSON.parse(readFileSync(unitsFile, 'utf8')) as CapacityUnits;
// The big lockdown's wall time against its rate bound as npm run test:load measured it (1.135-1.146 × in the runs of
// 2026-12-07, docs/performance-history.md): the model's lockdowns take that much longer than the budget allows.
const lockdownToBound = 1.14;

/**
 * What the template deploys whatever happens, counted from serverless.yml and its resource files at their default
 * parameters: a resource whose condition compares two parameters' values is counted only where it holds, and an
 * alarm is counted once per metric it watches (CloudWatch bills a metric-math alarm per metric).
 */
export function fixedResources(): FixedResources {
  const config = loadServerlessConfig('serverless.yml');
  type Resource = { Type?: string; Condition?: string; Properties?: { Metrics?: { MetricStat?: unknown }[] } };
  const files = (Array.isArray(config.resources) ? config.resources : [config.resources]) as {
    Resources?: Record<string, Resource>;
    Conditions?: Record<string, unknown>;
  }[];
  const conditions = Object.assign({}, ...files.map((f) => f?.Conditions ?? {})) as Record<string, unknown>;
  const deployed = files
    .flatMap((f) => Object.values(f?.Resources ?? {}))
    .filter((r) => !r.Condition || holds(conditions[r.Condition]));
  const count = (type: string) => deployed.filter((r) => r.Type === type).length;
  return {
    kmsKeys: count('AWS::KMS::Key'),
    alarms: deployed
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
      .reduce((n, r) => n + (r.Properties?.Metrics?.filter((m) => m.MetricStat).length || 1), 0),
    dashboards: count('AWS::CloudWatch::Dashboard'),
    polledQueues: loadLocalService('serverless.yml').queueSources.length,
  };
}

/** A condition of resolved values (`Fn::Equals`, `Fn::Not`); one that depends on the deployment counts as holding. */
function holds(condition: unknown): boolean {
  const c = condition as { 'Fn::Equals'?: unknown[]; 'Fn::Not'?: unknown[] } | undefined;
  const [a, b] = c?.['Fn::Equals'] ?? [];
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  if (c?.['Fn::Not']) return !holds(c['Fn::Not'][0]);
  return true;
}

/** The month of one scenario, and of the same deployment idle (no facts, only its schedules). */
export function costOf(scenario: Scenario, units: CapacityUnits): { busy: MonthlyCost; idle: MonthlyCost } {
  const config = loadServerlessConfig('serverless.yml');
  const prices = (JSON.parse(readFileSync('infra/prices.json', 'utf8')) as { prices: Prices }).prices;
  const params = (config.params as { default: Record<string, string> }).default;
  const budget = {
    wickrRequestsPerSecond: Number(params.wickrRequestsPerSecond),
    incidentPool: Number((config.custom as { wickrBudget: { incidentPool: number } }).wickrBudget.incidentPool),
    lockdownToBound,
  };
  const fixed = fixedResources();
  const idle: Scenario = {
    ...scenario,
    name: `${scenario.name} idle`,
    hr: { joinersPerMonth: 0, moversPerMonth: 0, leaversPerMonth: 0 },
    oktaEventsPerPersonPerMonth: 0,
    incidentsPerWeek: {},
    findingsPerDay: 0,
    containmentsPerMonth: 0,
    accessReviewsPerMonth: 0,
    rostersPerMonth: 0,
  };
  return {
    busy: monthlyCost(scenario, units, fixed, prices, budget),
    idle: monthlyCost(idle, units, fixed, prices, budget),
  };
}

/** A scenario's table, as the terminal and docs/performance.md show it. */
export function costTable({ busy, idle }: { busy: MonthlyCost; idle: MonthlyCost }): string {
  const rows = busy.lines.map(
    (l, i) => `| ${l.service} | ${l.quantity} | $${l.usd.toFixed(2)} | $${(idle.lines[i]?.usd ?? 0).toFixed(2)} |`,
  );
  return [
    `**${busy.scenario}**: $${busy.totalUsd.toFixed(2)} a month at list prices ($${idle.totalUsd.toFixed(2)} of it idle); $${busy.withFreeTierUsd.toFixed(2)} with the always-free tier ($${idle.withFreeTierUsd.toFixed(2)} idle); worst hour ${busy.peakHour.requests} Wickr requests, ${(busy.peakHour.ratio * 100).toFixed(1)} % of the hour's budget; biggest lockdown ${busy.biggestLockdown.requests} requests, about ${Math.round(busy.biggestLockdown.seconds / 60)} min`,
    '',
    '| service | a month | US$ | US$ idle |',
    '| --- | --- | --- | --- |',
    ...rows,
    `| **total** | | **$${busy.totalUsd.toFixed(2)}** | **$${idle.totalUsd.toFixed(2)}** |`,
    `| with the always-free tier | | $${busy.withFreeTierUsd.toFixed(2)} | $${idle.withFreeTierUsd.toFixed(2)} |`,
  ].join('\n');
}

const usd = (n: number) => `$${n.toFixed(2)}`;

/** What would cut each standing line further, and what it would give up. */
const cuts: Readonly<Record<string, string>> = {
  'CloudWatch alarms, dashboard':
    "one alarm per failure and dead-letter queue ($0.10 each): one shared failure queue would make it one alarm, at the price of redriving each function's failures apart (the first ten alarms of an account are free)",
  KMS: 'the one key of our own (rosters, reviews, failure queues): AWS-owned keys would save it and leave the bucket and queue policies as the only lock, where the key policy is a second one',
  SQS: "Lambda's pollers on the two polled queues (HR facts, network reconciles), whatever arrives: most of it inside the always-free million requests a month",
  'CloudWatch metrics': "WickrRequests sent by the schedules' ticks: the one metric that tells the budget is used",
};

/** The idle month's lines, largest first, each with what would cut it. */
function idleLines(idle: MonthlyCost): string[] {
  return [...idle.lines]
    .filter((l) => l.usd >= 0.05)
    .sort((a, b) => b.usd - a.usd)
    .map((l) => `- ${l.service}: ${usd(l.usd)} (${l.quantity})${cuts[l.service] ? ` — ${cuts[l.service]}` : ''}.`);
}

/** docs/capacity.md: generated, like docs/performance.md, never edited by hand. */
function capacityDoc(units: CapacityUnits, costs: { busy: MonthlyCost; idle: MonthlyCost }[]): string {
  const named = (name: string) => costs.find((c) => c.busy.scenario === name);
  const mid = named('org-5000');
  const big = named('org-100000');
  const verdict = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? 'met' : '**missed**');
  const goals = [
    [
      'org-5000 a month, at most $5',
      mid ? `${usd(mid.busy.totalUsd)} at list prices; ${usd(mid.busy.withFreeTierUsd)} with the always-free tier` : '',
      verdict(mid && mid.busy.totalUsd <= 5),
    ],
    [
      'idle a month, at most $1',
      mid ? `${usd(mid.idle.totalUsd)} at list prices; ${usd(mid.idle.withFreeTierUsd)} with the always-free tier` : '',
      verdict(mid && mid.idle.totalUsd <= 1),
    ],
    [
      'org-100000 worst hour under the Wickr budget',
      big
        ? `${big.busy.peakHour.requests} requests, ${(big.busy.peakHour.ratio * 100).toFixed(1)} % of the hour's`
        : '',
      verdict(big && big.busy.peakHour.ratio < 1),
    ],
    [
      'org-100000 biggest lockdown within 1.15 × its rate bound',
      big
        ? `${big.busy.biggestLockdown.requests} requests, about ${Math.round(big.busy.biggestLockdown.seconds / 60)} min at the measured ${lockdownToBound} ×`
        : '',
      verdict(big && lockdownToBound <= 1.15),
    ],
  ];
  return `${[
    '# Capacity and cost',
    '',
    `Written by \`npm run capacity -- --doc\` from the unit costs measured ${units.measuredAt.slice(0, 10)} at ${units.commit} (\`docs/capacity-units.json\`, \`npm run capacity -- --measure\`), at the list prices of \`infra/prices.json\` (${'us-east-1'}), without Wickr's own charges. The model's check — a simulated day through the metered local stack against the model, within 15 % per service — is \`npm run test:load -- --only capacity\`.`,
    '',
    '## Goals',
    '',
    '| goal | figure | verdict |',
    '| --- | --- | --- |',
    ...goals.map((g) => `| ${g.join(' | ')} |`),
    '',
    '## Where idle money goes, and what would cut it',
    '',
    ...(mid ? idleLines(mid.idle) : []),
    '',
    '## Scenarios',
    '',
    ...costs.map(costTable).flatMap((t) => [t, '']),
    '## What the model assumes',
    '',
    `- Unit costs are what each fact caused on the local stack: Lambda time with the Wickr emulator answering after ${units.wickrLatencyMs} ms and every other service local (faster than AWS's), so GB-s is a floor; incidents and rotation measured on a network of ${units.groupsPerNetwork} groups and scaled by groups and networks.`,
    '- Lambda polls each SQS event source continuously; AWS does not say with how many pollers: 5 each, one long poll every 20 s, is assumed — check it against a bill.',
    '- Logs: what the functions print at INFO (EMF metrics included), 330 bytes of START/END/REPORT a invocation, each outcome once more in the audit log group; stored three months on average.',
    '- A custom metric is billed for each hour it is sent; zeros are not sent. Alarms (each metric an alarm watches), the dashboard (only with `--param dashboard=true`) and the key are billed whatever happens.',
    '',
    '## Cut so far',
    '',
    "- 2026-12-07: the org-5000 month went from $9.03 to the figure above at list prices ($3.93 to the free-tier one), idle from $8.68: the dashboard made optional (`--param dashboard=true`, $3.00), the ten per-function `Errors` alarms removed as the failure queues' alarms say the same ($1.00), the two keys made one whose policy keeps each use to its service ($1.00); the model now also counts a metric-math alarm once per metric it watches (two alarms, +$0.20).",
  ].join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = commandLine('capacity', help, {
    measure: { type: 'boolean' },
    doc: { type: 'boolean' },
    scenario: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  if (values.measure) {
    const units = await measureUnits(60, (line) => console.error(line));
    writeFileSync(unitsFile, `${JSON.stringify(units, null, 2)}\n`);
    console.error(`wrote ${unitsFile}`);
  }
  const units = measuredUnits();
  const files = (values.scenario as string[] | undefined) ?? defaultScenarios;
  const costs = files.map((f) => costOf(loadScenario(f), units));
  if (values.doc) writeFileSync('docs/capacity.md', capacityDoc(units, costs));
  if (values.json)
    console.log(JSON.stringify({ units: { measuredAt: units.measuredAt, commit: units.commit }, costs }, null, 2));
  else
    console.log(
      [`unit costs measured ${units.measuredAt} at ${units.commit} (${unitsFile})`, '', ...costs.map(costTable)].join(
        '\n\n',
      ),
    );
}
