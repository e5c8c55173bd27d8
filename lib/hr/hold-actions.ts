/**
 * HR's safeguards as holds: a burst of leavers past the hour's limit, and joiners or movers whose new group would
 * pass `hr.maxCreatedGroupsPerNetwork`, wait for a person instead of being acted on (or refused).
 */
import { announceHold } from '../holds/announce-hold.js';
import { type HoldOrigin, type HoldSubject, stemOf } from '../holds/hold.js';
import { deprovisionLimit } from '../holds/safeguard-window.js';
import { basisOf, type EmployeeRecord } from './employee-record.js';
import type { HrDeps } from './ports.js';
import type { Result } from './reconcile-step.js';

type Leaver = { readonly record: EmployeeRecord; readonly userId: string };

export const deprovisionSafeguard = 'safeguards.hr.maxDeprovisionsPerHour';
export const groupCapSafeguard = 'hr.maxCreatedGroupsPerNetwork';

/**
 * The leavers that may be deprovisioned now. Those of an approved hold being applied go ahead uncounted; the
 * others pass the network's hourly window, and those it does not admit are held: their records keep the fact
 * (reconciled, with the hold noted), nothing happens in Wickr, and a new hold is announced once.
 */
export async function guardLeavers(
  deps: HrDeps,
  networkId: string,
  leavers: readonly Leaver[],
  results: Map<string, Result>,
): Promise<Leaver[]> {
  const approved = leavers.filter(
    (l) =>
      deps.approvedHold &&
      (l.record.applied?.held === deps.approvedHold || deps.approvedSubjects?.has(l.record.employeeId)),
  );
  const counted = leavers.filter((l) => !approved.includes(l));
  if (counted.length === 0) return approved;
  const rules = deps.safeguards.rules;
  const now = deps.clock.now();
  let provisioned: number | undefined;
  let admission: Awaited<ReturnType<HrDeps['safeguards']['windows']['admit']>>;
  try {
    admission = await deps.safeguards.windows.admit(
      networkId,
      counted.length,
      now,
      rules.hr.maxDeprovisionsPerHour,
      async () => {
        provisioned = await deps.records.countProvisioned(networkId);
        return deprovisionLimit(
          { maxPerHour: rules.hr.maxDeprovisionsPerHour, maxPercent: rules.hr.maxDeprovisionPercent },
          provisioned,
        );
      },
    );
  } catch (error) {
    for (const { record } of counted) results.set(record.employeeId, { error: error as Error });
    return approved;
  }
  const going = counted.slice(0, admission.admitted);
  const held = counted.slice(admission.admitted);
  if (held.length === 0) return [...approved, ...going];
  const figures = {
    limit: admission.limit,
    deprovisionedThisHour: admission.next.count,
    held: held.length,
    ...(provisioned === undefined ? {} : { provisioned }),
  };
  const origin = {
    capability: 'hr' as const,
    networkId,
    safeguard: deprovisionSafeguard,
    figures,
    stem: stemOf('hr', networkId, admission.next.startMs),
  };
  const subjects: HoldSubject[] = held.map(({ record, userId }) => ({
    subject: record.employeeId,
    version: basisOf(record),
    action: deps.hr.leaver,
    userId,
  }));
  await holdSubjects(deps, origin, held, subjects, results);
  return [...approved, ...going];
}

/** Joiners and movers whose new group the cap refused: held for a person, who may approve the group past it. */
export async function holdGroupCreations(
  deps: HrDeps,
  networkId: string,
  capped: readonly { record: EmployeeRecord; groupName: string }[],
  results: Map<string, Result>,
): Promise<void> {
  if (capped.length === 0) return;
  const cap = deps.hr.maxCreatedGroupsPerNetwork;
  const origin = {
    capability: 'hr' as const,
    networkId,
    safeguard: groupCapSafeguard,
    figures: { limit: cap, groups: new Set(capped.map((c) => c.groupName)).size, held: capped.length },
    // One hold per network and hour for the groups past the cap.
    stem: `${stemOf('hr', networkId, Math.floor(deps.clock.now() / 3_600_000) * 3_600_000)}-groups`,
  };
  const subjects: HoldSubject[] = capped.map(({ record, groupName }) => ({
    subject: record.employeeId,
    version: basisOf(record),
    action: 'place-in-new-group',
    userId: record.applied?.userId,
    changes: [{ field: 'securityGroup', from: record.applied?.groupName ?? null, to: groupName }],
  }));
  await holdSubjects(deps, origin, capped, subjects, results);
}

/** Holds the subjects, notes the hold on each employee's result, and announces a new hold once. */
async function holdSubjects(
  deps: HrDeps,
  origin: HoldOrigin,
  employees: readonly { record: EmployeeRecord; userId?: string | undefined }[],
  subjects: readonly HoldSubject[],
  results: Map<string, Result>,
): Promise<void> {
  const now = deps.clock.now();
  const holdMs = deps.safeguards.rules.holdHours * 3_600_000;
  try {
    const causedBy = deps.safeguards.causedBy;
    const { holdId, created } = await deps.safeguards.holds.hold({ ...origin, causedBy }, subjects, now, holdMs);
    for (const { record, userId } of employees) {
      results.set(record.employeeId, {
        applied: { ...(record.applied ?? { status: 'absent' }), held: holdId },
        outcome: { employeeId: record.employeeId, action: 'held', userId: userId ?? record.applied?.userId, holdId },
      });
    }
    const { networkId, safeguard, figures } = origin;
    deps.logger.warn('Held by a safeguard', { networkId, holdId, safeguard, ...figures });
    if (created) await announceHold(deps, origin, holdId, new Date(now + holdMs).toISOString());
  } catch (error) {
    for (const { record } of employees) results.set(record.employeeId, { error: error as Error });
  }
}
