/**
 * `npm run capacity -- --measure`: a fixed sample of each kind of fact run through the metered local stack
 * (rig.ts), and the usage each caused — per fact, per tick, per account reviewed or roster row, incidents and
 * rotation on a network of `measuredGroups` groups — written to docs/capacity-units.json with the date and the
 * commit. Every service but Wickr is local and faster than AWS's, so Lambda time is a floor.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { measuredGroups, startCapacityRig } from './rig.js';
import type { Usage } from './usage.js';

/** The kinds of fact the model prices. */
export const factKinds = {
  incidentDeclared: 'an incident declared',
  incidentUpdated: 'a declared incident raised to a stricter severity',
  incidentResolved: 'an incident resolved',
  hrJoiner: 'an HR joiner (in a batch)',
  hrMover: 'an HR mover (in a batch)',
  hrLeaver: 'an HR leaver (in a batch)',
  oktaEvent: 'an Okta System Log event',
  pagerDutyEvent: 'a PagerDuty webhook that changes nothing (acknowledged)',
  finding: 'a GuardDuty finding below the containment severity',
  containment: 'an account contained and released',
  rotationTick: 'a rotation tick',
  sweepTick: 'the containment sweep (every 15 minutes)',
  postureTick: 'the posture check of a network (hourly)',
  anchorTick: 'the audit anchor (hourly)',
  reviewedAccount: 'an account in an access review',
  rosterRow: 'a row of a roster snapshot',
} as const;
export type FactKind = keyof typeof factKinds;

/** The units file: per kind, the usage of one. */
export interface CapacityUnits {
  readonly measuredAt: string;
  readonly commit: string;
  readonly wickrLatencyMs: number;
  readonly groupsPerNetwork: number;
  readonly units: Record<FactKind, Usage>;
}

/** Divides every count of a usage by `n`. */
function per(usage: Usage, n: number): Usage {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(usage)) out[k] = typeof v === 'number' ? v / n : v;
  return out as unknown as Usage;
}

/** Measures every kind once (a batch of ten where facts come in batches); `log` hears each. */
export async function measureUnits(
  wickrLatencyMs = 60,
  log: (line: string) => void = () => {},
): Promise<CapacityUnits> {
  const rig = await startCapacityRig(wickrLatencyMs);
  const units: Partial<Record<FactKind, Usage>> = {};
  const measure = async (kind: FactKind, n: number, run: () => Promise<void>) => {
    const before = rig.meter.mark();
    await run();
    await rig.settle();
    units[kind] = per(rig.meter.since(before), n);
    log(`${kind}: ${units[kind]?.wickrRequests} Wickr requests, ${units[kind]?.lambdaGbSeconds.toFixed(4)} GB-s`);
  };
  try {
    const incident = `CAP-${randomUUID().slice(0, 8)}`;
    const people = Array.from({ length: 10 }, (_, i) => `C-${1000 + i}`);
    await measure('incidentDeclared', 1, () => rig.incident(incident, 'Incident Declared', 'SEV2'));
    await measure('incidentUpdated', 1, () => rig.incident(incident, 'Incident Declared', 'SEV1'));
    await measure('incidentResolved', 1, () => rig.incident(incident, 'Incident Resolved'));
    await measure('hrJoiner', people.length, () => rig.hr('Employee Onboarded', people));
    await measure('hrMover', people.length, () => rig.hr('Employee Transferred', people));
    await measure('oktaEvent', 5, () => rig.okta(5));
    await measure('pagerDutyEvent', 5, () => rig.pagerDuty(5));
    await measure('finding', 5, () => rig.findings(5));
    await measure('containment', 1, () => rig.containment(people[0] ?? ''));
    await measure('hrLeaver', people.length, () => rig.hr('Employee Offboarded', people));
    await measure('rotationTick', 1, () => rig.fire('rotation-hourly'));
    await measure('sweepTick', 1, () => rig.fire('containment-sweep'));
    await measure('postureTick', 1, () => rig.fire('posture-check'));
    await measure('anchorTick', 1, () => rig.fire('audit-anchor'));
    const accounts = rig.stack.emulator.snapshot().networks[0]?.users.length ?? 1;
    await measure('reviewedAccount', accounts, () => rig.fire('access-review'));
    await measure('rosterRow', 50, () => rig.roster(50));
  } finally {
    await rig.close();
  }
  return {
    measuredAt: new Date().toISOString(),
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(),
    wickrLatencyMs,
    groupsPerNetwork: measuredGroups,
    units: units as Record<FactKind, Usage>,
  };
}
