/**
 * The model's check: a simulated organisation's day, scaled down (examples/simulated-day.yml: about 1/20 of
 * org-5000 — HR churn, Okta, a SEV2 declared and resolved, findings with two containments, rotation ticks, an access
 * review), run through the metered local stack; its measured usage per service must match what the model predicts
 * from the unit costs for the same counts within `tolerance`. A miss names the service and both figures.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { CapacityUnits, FactKind } from './measure.js';
import { startCapacityRig } from './rig.js';
import type { Usage } from './usage.js';

/** One service's measured and predicted usage. */
export interface ServiceCheck {
  readonly service: string;
  readonly measured: number;
  readonly predicted: number;
  readonly ratio: number;
  readonly ok: boolean;
}

const services: Record<string, (u: Usage) => number> = {
  'Lambda GB-s': (u) => u.lambdaGbSeconds,
  'Lambda requests': (u) => u.lambdaRequests,
  'DynamoDB request units': (u) => u.dynamodbReadUnits + u.dynamodbWriteUnits,
  'SQS requests': (u) => u.sqsRequests,
  'EventBridge events': (u) => u.eventBridgeEvents,
  'log bytes': (u) => u.logBytes,
  'S3 requests': (u) => u.s3PutRequests + u.s3GetRequests,
  'Wickr requests': (u) => u.wickrRequests,
};

/** The model's prediction for these counts (on the measured network). */
export function predicted(units: CapacityUnits, counts: Partial<Record<FactKind, number>>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(services).map(([name, of]) => [
      name,
      Object.entries(counts).reduce((n, [kind, c]) => n + of(units.units[kind as FactKind]) * (c ?? 0), 0),
    ]),
  );
}

/** Runs the simulated day and compares it with the model. */
export async function simulationCheck(units: CapacityUnits, file = 'examples/simulated-day.yml', tolerance = 0.15) {
  const day = parse(readFileSync(file, 'utf8')) as {
    hr: { joiners: number; movers: number; leavers: number };
    oktaEvents: number;
    findings: number;
    containments: number;
    rotationTicks: number;
  };
  const rig = await startCapacityRig(units.wickrLatencyMs);
  const counts: Partial<Record<FactKind, number>> = {};
  let measured: Usage;
  try {
    const start = rig.meter.mark();
    const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
    await rig.hr('Employee Onboarded', ids('S', day.hr.joiners));
    await rig.okta(day.oktaEvents);
    await rig.incident('SIM-1', 'Incident Declared', 'SEV2');
    await rig.findings(day.findings);
    for (const id of ids('S', day.containments)) await rig.containment(id);
    await rig.incident('SIM-1', 'Incident Resolved');
    await rig.hr('Employee Transferred', ids('S', day.hr.movers));
    for (let t = 0; t < day.rotationTicks; t++) await rig.fire('rotation-hourly');
    const accounts = rig.stack.emulator.snapshot().networks[0]?.users.length ?? 0;
    await rig.fire('access-review');
    await rig.hr('Employee Offboarded', ids('S', day.hr.leavers));
    await rig.settle();
    measured = rig.meter.since(start);
    Object.assign(counts, {
      hrJoiner: day.hr.joiners,
      hrMover: day.hr.movers,
      hrLeaver: day.hr.leavers,
      oktaEvent: day.oktaEvents,
      incidentDeclared: 1,
      incidentResolved: 1,
      finding: day.findings,
      containment: day.containments,
      rotationTick: day.rotationTicks,
      reviewedAccount: accounts,
    });
  } finally {
    await rig.close();
  }
  const expected = predicted(units, counts);
  return Object.entries(services).map(([service, of]): ServiceCheck => {
    const m = of(measured);
    const p = expected[service] ?? 0;
    const ratio = p === 0 ? (m === 0 ? 1 : Number.POSITIVE_INFINITY) : m / p;
    return {
      service,
      measured: m,
      predicted: p,
      ratio: Math.round(ratio * 1000) / 1000,
      ok: Math.abs(ratio - 1) <= tolerance,
    };
  });
}
