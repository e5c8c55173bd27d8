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
  --json           print JSON
  --help           this text`;

const unitsFile = 'docs/capacity-units.json';
// The big lockdown's wall time against its rate bound, as npm run test:load measures it (docs/performance.md).
const lockdownToBound = 1.15;

/** What the template deploys whatever happens, counted from serverless.yml and its resource files. */
export function fixedResources(): FixedResources {
  const config = loadServerlessConfig('serverless.yml');
  const files = (Array.isArray(config.resources) ? config.resources : [config.resources]) as {
    Resources?: Record<string, { Type?: string }>;
  }[];
  const types = files.flatMap((f) => Object.values(f?.Resources ?? {}).map((r) => r.Type));
  const count = (type: string) => types.filter((t) => t === type).length;
  return {
    kmsKeys: count('AWS::KMS::Key'),
    alarms: count('AWS::CloudWatch::Alarm'),
    dashboards: count('AWS::CloudWatch::Dashboard'),
    polledQueues: loadLocalService('serverless.yml').queueSources.length,
  };
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = commandLine('capacity', help, {
    measure: { type: 'boolean' },
    scenario: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  if (values.measure) {
    const units = await measureUnits(60, (line) => console.error(line));
    writeFileSync(unitsFile, `${JSON.stringify(units, null, 2)}\n`);
    console.error(`wrote ${unitsFile}`);
  }
  const units = JSON.parse(readFileSync(unitsFile, 'utf8')) as CapacityUnits;
  const files = (values.scenario as string[] | undefined) ?? [
    'examples/org-500.yml',
    'examples/org-5000.yml',
    'examples/org-100000.yml',
  ];
  const costs = files.map((f) => costOf(loadScenario(f), units));
  if (values.json)
    console.log(JSON.stringify({ units: { measuredAt: units.measuredAt, commit: units.commit }, costs }, null, 2));
  else
    console.log(
      [`unit costs measured ${units.measuredAt} at ${units.commit} (${unitsFile})`, '', ...costs.map(costTable)].join(
        '\n\n',
      ),
    );
}
