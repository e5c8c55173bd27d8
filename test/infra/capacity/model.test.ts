/**
 * The capacity model on made-up unit costs: a month's counts from a scenario, incidents scaled by groups and
 * networks, a metric billed per hour it is sent (a review's once a run, never past the month's hours), list prices
 * and the always-free tier, and the worst hour and the biggest lockdown against the budget.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CapacityUnits, FactKind } from '../../../infra/capacity/measure.js';
import { monthlyCost, monthlyCounts, monthlyUsage } from '../../../infra/capacity/model.js';
import { Scenario } from '../../../infra/capacity/scenario.js';
import type { Usage } from '../../../infra/capacity/usage.js';

const none: Usage = {
  lambdaRequests: 0,
  lambdaGbSeconds: 0,
  dynamodbReadUnits: 0,
  dynamodbWriteUnits: 0,
  sqsRequests: 0,
  eventBridgeEvents: 0,
  schedulerInvocations: 0,
  logBytes: 0,
  metrics: [],
  s3PutRequests: 0,
  s3GetRequests: 0,
  wickrRequests: 0,
};
const kinds: FactKind[] = [
  'incidentDeclared',
  'incidentUpdated',
  'incidentResolved',
  'hrJoiner',
  'hrMover',
  'hrLeaver',
  'oktaEvent',
  'pagerDutyEvent',
  'finding',
  'containment',
  'rotationTick',
  'sweepTick',
  'postureTick',
  'anchorTick',
  'reviewedAccount',
  'rosterRow',
];
const units: CapacityUnits = {
  measuredAt: '2026-12-07T00:00:00Z',
  commit: 'test',
  wickrLatencyMs: 60,
  groupsPerNetwork: 20,
  units: {
    ...(Object.fromEntries(kinds.map((k) => [k, none])) as Record<FactKind, Usage>),
    incidentDeclared: {
      ...none,
      lambdaRequests: 1,
      wickrRequests: 20,
      dynamodbWriteUnits: 10,
      metrics: ['GroupsLocked{}'],
    },
    incidentResolved: { ...none, lambdaRequests: 1, wickrRequests: 20 },
    reviewedAccount: { ...none, wickrRequests: 1, metrics: ['ReviewAccounts{}'] },
    sweepTick: { ...none, lambdaRequests: 1, schedulerInvocations: 1, metrics: ['HoldsOpen{}'] },
  },
};
const scenario = Scenario.parse({
  name: 'test',
  people: 1000,
  networks: 2,
  groupsPerNetwork: 40,
  incidentsPerWeek: { SEV2: 168 / 730 }, // one a month
  accessReviewsPerMonth: 2,
});
// Every price 0 but those the test reads.
const prices = {
  ...Object.fromEntries(
    Object.keys((JSON.parse(readFileSync('infra/prices.json', 'utf8')) as { prices: object }).prices).map((k) => [
      k,
      { usd: 0 },
    ]),
  ),
  ...Object.fromEntries(
    ['dynamodbWriteRequestUnitsPerMillion', 'alarmMonth', 'dashboardMonth', 'kmsKeyMonth', 'customMetricMonth'].map(
      (k) => [k, { usd: 1 }],
    ),
  ),
};

describe('the capacity model', () => {
  it('counts a month: incidents from the weekly rate, ticks at their cadence, reviews per account', () => {
    const counts = monthlyCounts(scenario);
    expect(counts.incidentDeclared).toBeCloseTo(1);
    expect(counts.sweepTick).toBe(2920);
    expect(counts.reviewedAccount).toBe(2000);
  });

  it('scales an incident by the groups of every network, and bills a metric per hour sent, at most the month', () => {
    const { total, metricHours } = monthlyUsage(scenario, units);
    // 2 networks × 40 groups = 4 × the measured 20: (20 + 20) × 4 Wickr requests, plus 2,000 reviewed accounts.
    expect(total.wickrRequests).toBeCloseTo(160 + 2000);
    expect(total.lambdaRequests).toBeCloseTo(2 * 2 + 2920);
    // GroupsLocked one hour, ReviewAccounts once a review (2), HoldsOpen every hour of the month (capped).
    expect(metricHours).toBeCloseTo(1 + 2 + 730);
  });

  it('prices the month, the free tier apart, and measures the worst hour and the biggest lockdown', () => {
    const cost = monthlyCost(scenario, units, { kmsKeys: 2, alarms: 12, dashboards: 1, polledQueues: 0 }, prices, {
      wickrRequestsPerSecond: 20,
      incidentPool: 0.5,
      lockdownToBound: 1,
    });
    const line = (service: string) => cost.lines.find((l) => l.service === service)?.usd;
    expect(line('KMS')).toBe(2);
    expect(line('CloudWatch alarms, dashboard')).toBe(13);
    expect(line('DynamoDB')).toBe(0); // 40 WRU at $1 a million rounds to nothing
    // 733 metric-hours ≈ 1 metric-month at $1; free: 10 alarms, 3 dashboards, 10 metrics; keys are never free.
    expect(line('CloudWatch metrics')).toBeCloseTo(733 / 730, 2);
    expect(cost.withFreeTierUsd).toBe(2 + 2);
    expect(cost.biggestLockdown).toEqual({ requests: 80, seconds: 8 });
    expect(cost.peakHour.requests).toBe(160);
    expect(cost.peakHour.budget).toBe(72_000);
  });
});
