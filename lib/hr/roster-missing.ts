/**
 * The people a roster snapshot no longer lists: those this deployment provisioned for the HR system (Okta's people
 * are Okta's to say), held as leavers at the snapshot's time for a person to decide — never deprovisioned by a
 * file alone.
 */
import { announceHold } from '../holds/announce-hold.js';
import { type HoldSubject, stemOf } from '../holds/hold.js';
import { factVersion } from './employee-fact.js';
import type { HrDeps } from './ports.js';
import type { SnapshotContext } from './roster-row.js';

export const rosterMissingSafeguard = 'sources.roster.missing';

/** People this deployment provisioned (and our HR system knows) whom the snapshot does not list. */
export async function missingFrom(deps: HrDeps, networkId: string, listed: ReadonlySet<string>): Promise<string[]> {
  const missing: string[] = [];
  for await (const employeeId of deps.records.listProvisioned(networkId)) {
    // Okta's people are Okta's to say: a roster speaks for the HR system's employees only.
    if (!employeeId.startsWith('okta:') && !listed.has(employeeId)) missing.push(employeeId);
  }
  return missing;
}

/** The missing people, held as leavers at the snapshot's time: a person decides, never the file alone. */
export async function holdMissing(
  deps: HrDeps,
  networkId: string,
  snapshot: SnapshotContext,
  missing: readonly string[],
): Promise<string> {
  const version = missingVersion(snapshot);
  const subjects: HoldSubject[] = missing.map((employeeId) => ({
    subject: employeeId,
    version,
    action: deps.hr.leaver,
    changes: [{ field: 'status', from: 'active', to: 'left' }],
  }));
  const now = deps.clock.now();
  const holdMs = deps.safeguards.rules.holdHours * 3_600_000;
  const origin = {
    capability: 'hr' as const,
    networkId,
    safeguard: rosterMissingSafeguard,
    figures: { missing: missing.length },
    stem: `${stemOf('hr', networkId, Date.parse(snapshot.time))}-roster-${snapshot.tag.slice(0, 8).toLowerCase()}`,
    causedBy: deps.safeguards.causedBy,
  };
  const { holdId, created } = await deps.safeguards.holds.hold(origin, subjects, now, holdMs);
  if (created) {
    await deps.publisher.publish('Wickr Roster Missing', {
      networkId,
      holdId,
      missing: missing.length,
      employeeIds: missing.slice(0, 100),
    });
    await announceHold(deps, origin, holdId, new Date(now + holdMs).toISOString());
  }
  deps.logger.warn('Roster misses provisioned people: held', { networkId, holdId, missing: missing.length });
  return holdId;
}

/** The version of the leaver fact a snapshot states about someone it no longer lists. */
export const missingVersion = (snapshot: Pick<SnapshotContext, 'time' | 'tag'>) =>
  factVersion({
    'detail-type': 'Employee Offboarded',
    time: snapshot.time,
    id: `roster-${snapshot.tag}-missing`,
    detail: {},
  });
