/**
 * The capacity and cost model, pure: a scenario's month as counts of each kind of fact, times the usage each caused
 * on the local stack (docs/capacity-units.json), plus what the stack costs standing still (its keys, alarms and
 * dashboard, its schedules' ticks, Lambda's polling of its queues), priced at infra/prices.json's list prices.
 */
import type { CapacityUnits, FactKind } from './measure.js';
import type { Scenario } from './scenario.js';
import type { Usage } from './usage.js';

/** What the deployment holds whatever happens: counted from the template. */
export interface FixedResources {
  readonly kmsKeys: number;
  readonly alarms: number;
  readonly dashboards: number;
  /** SQS queues Lambda polls (event source mappings). */
  readonly polledQueues: number;
}

/** Prices by name, in US dollars (infra/prices.json). */
export type Prices = Readonly<Record<string, { readonly usd: number }>>;

/** One line of the monthly table. */
export interface CostLine {
  readonly service: string;
  readonly quantity: string;
  readonly usd: number;
}

export interface MonthlyCost {
  readonly scenario: string;
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
  /** The total with AWS's always-free allowances (Lambda, SQS, Scheduler, CloudWatch) applied to this stack alone. */
  readonly withFreeTierUsd: number;
  readonly wickrRequests: number;
  /** The worst hour's Wickr requests against the deployment's budget for an hour. */
  readonly peakHour: { readonly requests: number; readonly budget: number; readonly ratio: number };
  /** The biggest lockdown: every group of every network, at the incident pool's share of the budget. */
  readonly biggestLockdown: { readonly requests: number; readonly seconds: number };
}

const hoursPerMonth = 730;
const weeksPerMonth = hoursPerMonth / 168;
const daysPerMonth = hoursPerMonth / 24;
/** Lambda long-polls each SQS event source; AWS does not say with how many pollers: assumed 5, one poll each 20 s. */
export const pollersPerQueue = 5;
const pollsPerMonth = pollersPerQueue * 3 * 60 * hoursPerMonth;

/** How many of each kind a month of the scenario holds (ticks included). */
export function monthlyCounts(s: Scenario): Record<FactKind, number> {
  const incidents = Object.values(s.incidentsPerWeek).reduce((n, x) => n + x, 0) * weeksPerMonth;
  return {
    incidentDeclared: incidents,
    incidentUpdated: incidents * s.updatesPerIncident,
    incidentResolved: incidents,
    pagerDutyEvent: incidents * s.pagerDutyEventsPerIncident,
    hrJoiner: s.hr.joinersPerMonth,
    hrMover: s.hr.moversPerMonth,
    hrLeaver: s.hr.leaversPerMonth,
    oktaEvent: s.people * s.oktaEventsPerPersonPerMonth,
    finding: s.findingsPerDay * daysPerMonth,
    containment: s.containmentsPerMonth,
    rotationTick: s.rotationTicksPerMonth,
    sweepTick: 4 * hoursPerMonth,
    postureTick: hoursPerMonth,
    anchorTick: hoursPerMonth,
    reviewedAccount: s.people * s.accessReviewsPerMonth,
    rosterRow: s.people * s.rostersPerMonth,
  };
}

const networkSized = new Set<FactKind>(['incidentDeclared', 'incidentUpdated', 'incidentResolved', 'rotationTick']);

/** A kind's usage scaled to the scenario: per group of every network, or per network. */
function scaled(kind: FactKind, usage: Usage, s: Scenario, measuredGroups: number): Usage {
  const groups = networkSized.has(kind) ? (s.networks * s.groupsPerNetwork) / measuredGroups : 1;
  const networks = networkSized.has(kind) || kind === 'postureTick' ? s.networks : 1;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(usage)) {
    if (typeof v !== 'number') out[k] = v;
    else if (['lambdaRequests', 'eventBridgeEvents', 'schedulerInvocations', 'sqsRequests'].includes(k)) {
      out[k] = k === 'schedulerInvocations' ? v : v * networks;
    } else out[k] = v * (kind === 'postureTick' ? networks : groups);
  }
  return out as unknown as Usage;
}

/** The month's usage summed over every kind, and each metric's hours. */
export function monthlyUsage(s: Scenario, units: CapacityUnits) {
  const counts = monthlyCounts(s);
  const total: Record<string, number> = {};
  const metricHours = new Map<string, number>();
  for (const [kind, n] of Object.entries(counts) as [FactKind, number][]) {
    const usage = scaled(kind, units.units[kind], s, units.groupsPerNetwork);
    for (const [k, v] of Object.entries(usage)) if (typeof v === 'number') total[k] = (total[k] ?? 0) + v * n;
    // A metric is billed for each hour it is sent in, at most every hour of the month; a review or a roster sends
    // its metrics once a run, not once an account or a row.
    const sends = kind === 'reviewedAccount' ? s.accessReviewsPerMonth : kind === 'rosterRow' ? s.rostersPerMonth : n;
    for (const metric of usage.metrics) metricHours.set(metric, (metricHours.get(metric) ?? 0) + sends);
  }
  const hours = [...metricHours.values()].reduce((h, n) => h + Math.min(hoursPerMonth, n), 0);
  return { total, metricHours: hours, counts };
}

const money = (usd: number) => Math.round(usd * 100) / 100;

/** The month's cost of the scenario, line by line. */
export function monthlyCost(
  s: Scenario,
  units: CapacityUnits,
  fixed: FixedResources,
  prices: Prices,
  budget: { readonly wickrRequestsPerSecond: number; readonly incidentPool: number; readonly lockdownToBound: number },
): MonthlyCost {
  const { total, metricHours } = monthlyUsage(s, units);
  const p = (name: string) => prices[name]?.usd ?? Number.NaN;
  const sqs = (total.sqsRequests ?? 0) + fixed.polledQueues * pollsPerMonth;
  const logGb = (total.logBytes ?? 0) / 1024 ** 3;
  const lines: CostLine[] = [
    {
      service: 'Lambda',
      quantity: `${Math.round(total.lambdaRequests ?? 0)} requests, ${Math.round(total.lambdaGbSeconds ?? 0)} GB-s`,
      usd:
        ((total.lambdaRequests ?? 0) / 1e6) * p('lambdaRequestsPerMillion') +
        (total.lambdaGbSeconds ?? 0) * p('lambdaArmGbSecond'),
    },
    {
      service: 'DynamoDB',
      quantity: `${Math.round(total.dynamodbReadUnits ?? 0)} RRU, ${Math.round(total.dynamodbWriteUnits ?? 0)} WRU`,
      usd:
        ((total.dynamodbReadUnits ?? 0) / 1e6) * p('dynamodbReadRequestUnitsPerMillion') +
        ((total.dynamodbWriteUnits ?? 0) / 1e6) * p('dynamodbWriteRequestUnitsPerMillion'),
    },
    {
      service: 'SQS',
      quantity: `${Math.round(sqs)} requests (${fixed.polledQueues} polled queues)`,
      usd: (sqs / 1e6) * p('sqsRequestsPerMillion'),
    },
    {
      service: 'EventBridge',
      quantity: `${Math.round(total.eventBridgeEvents ?? 0)} events, ${Math.round(total.schedulerInvocations ?? 0)} Scheduler invocations`,
      usd:
        ((total.eventBridgeEvents ?? 0) / 1e6) * p('eventBridgeEventsPerMillion') +
        ((total.schedulerInvocations ?? 0) / 1e6) * p('schedulerInvocationsPerMillion'),
    },
    {
      service: 'CloudWatch Logs',
      quantity: `${logGb.toFixed(3)} GB ingested`,
      usd: logGb * p('logsIngestionGb') + logGb * 3 * p('logsStorageGbMonth'),
    },
    {
      service: 'CloudWatch metrics',
      quantity: `${Math.round(metricHours)} metric-hours (${(metricHours / hoursPerMonth).toFixed(1)} metrics)`,
      usd: (metricHours / hoursPerMonth) * p('customMetricMonth'),
    },
    {
      service: 'CloudWatch alarms, dashboard',
      quantity: `${fixed.alarms} alarms, ${fixed.dashboards} dashboard(s)`,
      usd: fixed.alarms * p('alarmMonth') + fixed.dashboards * p('dashboardMonth'),
    },
    {
      service: 'S3',
      quantity: `${Math.round(total.s3PutRequests ?? 0)} PUT, ${Math.round(total.s3GetRequests ?? 0)} GET`,
      usd:
        ((total.s3PutRequests ?? 0) / 1e3) * p('s3PutRequestsPerThousand') +
        ((total.s3GetRequests ?? 0) / 1e3) * p('s3GetRequestsPerThousand'),
    },
    { service: 'KMS', quantity: `${fixed.kmsKeys} customer managed keys`, usd: fixed.kmsKeys * p('kmsKeyMonth') },
  ].map((l) => ({ ...l, usd: money(l.usd) }));
  const over = (n: number, free: number) => Math.max(0, n - free);
  const withFreeTier =
    (over(total.lambdaRequests ?? 0, 1e6) / 1e6) * p('lambdaRequestsPerMillion') +
    over(total.lambdaGbSeconds ?? 0, 400_000) * p('lambdaArmGbSecond') +
    (lines[1]?.usd ?? 0) +
    (over(sqs, 1e6) / 1e6) * p('sqsRequestsPerMillion') +
    ((total.eventBridgeEvents ?? 0) / 1e6) * p('eventBridgeEventsPerMillion') +
    (over(total.schedulerInvocations ?? 0, 14e6) / 1e6) * p('schedulerInvocationsPerMillion') +
    over(logGb, 5) * p('logsIngestionGb') +
    logGb * 3 * p('logsStorageGbMonth') +
    over(metricHours / hoursPerMonth, 10) * p('customMetricMonth') +
    over(fixed.alarms, 10) * p('alarmMonth') +
    over(fixed.dashboards, 3) * p('dashboardMonth') +
    (lines[7]?.usd ?? 0) +
    (lines[8]?.usd ?? 0);
  const perRequest = (kind: FactKind) => scaled(kind, units.units[kind], s, units.groupsPerNetwork).wickrRequests;
  const lockdown = perRequest('incidentDeclared');
  const counts = monthlyCounts(s);
  // The worst hour: a lockdown applied and lifted, a working hour's HR, the hour's ticks.
  const hrHour =
    (s.hr.joinersPerMonth * perRequest('hrJoiner') +
      s.hr.moversPerMonth * perRequest('hrMover') +
      s.hr.leaversPerMonth * perRequest('hrLeaver')) /
    (22 * 8);
  const ticks =
    (counts.rotationTick / hoursPerMonth) * perRequest('rotationTick') +
    perRequest('postureTick') +
    4 * perRequest('sweepTick');
  const peak = lockdown + perRequest('incidentResolved') + hrHour + ticks;
  const hourBudget = budget.wickrRequestsPerSecond * 3600;
  return {
    scenario: s.name,
    lines,
    totalUsd: money(lines.reduce((n, l) => n + l.usd, 0)),
    withFreeTierUsd: money(withFreeTier),
    wickrRequests: Math.round(total.wickrRequests ?? 0),
    peakHour: { requests: Math.round(peak), budget: hourBudget, ratio: Math.round((peak / hourBudget) * 1000) / 1000 },
    biggestLockdown: {
      requests: Math.round(lockdown),
      seconds: Math.round((lockdown / (budget.wickrRequestsPerSecond * budget.incidentPool)) * budget.lockdownToBound),
    },
  };
}
