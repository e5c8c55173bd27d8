/** The deprovisioning safeguard: a burst of leavers past the hour's limit waits in a hold for a person. */
import { type HoldSubject, holdSummary, stemOf } from '../holds/hold.js';
import { deprovisionLimit } from '../holds/safeguard-window.js';
import { basisOf, type EmployeeRecord } from './employee-record.js';
import type { HrDeps } from './ports.js';
import type { Result } from './reconcile-step.js';

type Leaver = { readonly record: EmployeeRecord; readonly userId: string };

export const deprovisionSafeguard = 'safeguards.hr.maxDeprovisionsPerHour';

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
  const approved = leavers.filter((l) => deps.approvedHold && l.record.applied?.held === deps.approvedHold);
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
  try {
    const { holdId, created } = await deps.safeguards.holds.hold(origin, subjects, now, rules.holdHours * 3_600_000);
    for (const { record, userId } of held) {
      results.set(record.employeeId, {
        applied: { ...(record.applied ?? { status: 'absent' }), held: holdId },
        outcome: { employeeId: record.employeeId, action: 'held', userId, holdId },
      });
    }
    deps.logger.warn('Deprovisioning held by a safeguard', { networkId, holdId, ...figures });
    if (created) {
      const hold = await deps.safeguards.holds.get(holdId);
      const expiresAt = hold?.expiresAt ?? new Date(now + rules.holdHours * 3_600_000).toISOString();
      await deps.publisher.publish('Wickr Hold Created', {
        holdId,
        capability: 'hr',
        networkId,
        safeguard: deprovisionSafeguard,
        figures,
        expiresAt,
        summary: holdSummary({ holdId, networkId, safeguard: deprovisionSafeguard, figures, expiresAt }),
      });
      deps.metrics?.add('HoldsCreated', 1);
    }
  } catch (error) {
    for (const { record } of held) results.set(record.employeeId, { error: error as Error });
  }
  return [...approved, ...going];
}
