/** Movers and rehires: placed in their group one UpdateUser each, reactivated 50 to a call. */

import { mapSettled } from '../concurrency.js';
import { deterministicToken } from '../deterministic-token.js';
import { WickrResourceNotFoundError } from '../wickr/index.js';
import type { EmployeeRecord } from './employee-record.js';
import { failureCode, HrUserRefusedError } from './errors.js';
import type { HrDeps } from './ports.js';
import { chunks, type EmployeeOutcome, type Result, remade } from './reconcile-step.js';

type PlaceStep = { userId: string; groupName: string; move: boolean; reactivate: boolean };
type Reactivation = {
  record: EmployeeRecord;
  userId: string;
  groupId: string;
  moved: boolean;
  drift?: EmployeeOutcome['drift'];
};

/** What placing one user comes to: a result now, or a reactivation to make with the others. */
type Placed = { result: Result } | { reactivation: Reactivation };

/**
 * Whether a group is gone from Wickr. A 404 names neither the user nor the group (its message is free text):
 * Wickr's list of groups says which is gone, read once for the whole batch and only when a 404 came.
 */
function groupGoneCheck(deps: HrDeps, networkId: string) {
  let liveGroups: Promise<ReadonlySet<string>> | undefined;
  return async (groupId: string) => {
    liveGroups ??= (async () => {
      const ids = new Set<string>();
      for await (const page of deps.wickr.paginateSecurityGroups({ networkId, maxResults: 100 })) {
        for (const g of page.securityGroups) ids.add(g.id);
      }
      return ids;
    })();
    return !(await liveGroups).has(groupId);
  };
}

/**
 * Quarantined: the move is recorded, not made — containment's release puts the user in this group. A rehire's
 * reactivation waits for the release too (recorded as HR's own suspension).
 */
function heldInQuarantine(record: EmployeeRecord, step: PlaceStep, groupId: string): Result {
  const applied = record.applied ?? { status: 'absent' as const };
  return {
    applied: {
      userId: step.userId,
      groupId,
      groupName: step.groupName,
      status: step.reactivate ? 'suspended' : applied.status === 'suspended' ? 'suspended' : 'active',
      adminSuspended: step.reactivate ? undefined : applied.adminSuspended,
    },
    outcome: { employeeId: record.employeeId, action: 'unchanged', userId: step.userId, groupId },
  };
}

/** One user's placement; whether Wickr's answer shows them suspended then (an admin's suspension, say). */
async function placeOne(
  deps: HrDeps,
  networkId: string,
  { record, step }: { record: EmployeeRecord; step: PlaceStep },
  groupId: string,
  groupGone: (groupId: string) => Promise<boolean>,
): Promise<Placed> {
  const applied = record.applied ?? { status: 'absent' as const };
  let suspended = applied.status === 'suspended';
  if (step.move && (await deps.quarantined?.(networkId, step.userId))) {
    return { result: heldInQuarantine(record, step, groupId) };
  }
  if (step.move) {
    try {
      const userDetails = { securityGroupIds: [groupId] };
      suspended = (await deps.wickr.updateUser({ networkId, userId: step.userId, userDetails })).suspended;
    } catch (error) {
      if (!(error instanceof WickrResourceNotFoundError)) throw error;
      if (await groupGone(groupId)) return { result: await remade(deps, networkId, record, groupId, applied) };
      return { result: userGone(deps, record) };
    }
  }
  return afterPlacement(deps, networkId, record, step, groupId, suspended);
}

/** A user in place: kept as Wickr shows them, or due a reactivation (ours, or an admin's suspension corrected). */
async function afterPlacement(
  deps: HrDeps,
  networkId: string,
  record: EmployeeRecord,
  step: PlaceStep,
  groupId: string,
  suspended: boolean,
): Promise<Placed> {
  const applied = record.applied ?? { status: 'absent' as const };
  const converged = applied.converged === true;
  const ourSuspension = step.reactivate;
  const adminSuspended = suspended && !ourSuspension && !converged && applied.status === 'active';
  const base = { userId: step.userId, groupId, groupName: step.groupName };
  const lift = suspended && (ourSuspension || deps.hr.manualChanges === 'correct');
  if (lift && (await deps.contained?.(networkId, step.userId))) {
    // A compromised account stays suspended whatever HR says; its placement is done, its reactivation waits.
    return {
      result: {
        applied: { ...base, status: 'suspended', adminSuspended: ourSuspension ? undefined : true },
        outcome: {
          employeeId: record.employeeId,
          action: step.move ? 'moved' : 'unchanged',
          userId: step.userId,
          groupId,
        },
      },
    };
  }
  if (lift) {
    const drift = adminSuspended ? ({ change: 'suspended', decision: 'corrected' } as const) : undefined;
    return { reactivation: { record, userId: step.userId, groupId, moved: step.move, ...(drift ? { drift } : {}) } };
  }
  const action = converged ? 'converged' : step.move ? 'moved' : 'unchanged';
  return {
    result: {
      applied: { ...base, status: suspended ? 'suspended' : 'active', adminSuspended: suspended ? true : undefined },
      outcome: {
        employeeId: record.employeeId,
        action,
        userId: step.userId,
        groupId,
        ...(adminSuspended ? { drift: { change: 'suspended', decision: 'kept' } as const } : {}),
      },
    },
  };
}

/** Reactivations 50 to a call; each user's entry in Wickr's answer handled on its own. */
async function reactivateUsers(
  deps: HrDeps,
  networkId: string,
  reactivate: readonly Reactivation[],
  results: Map<string, Result>,
) {
  for (const chunk of chunks(reactivate)) {
    const clientToken = deterministicToken(
      'hr-reactivate',
      networkId,
      ...chunk.map(({ record }) => `${record.employeeId}@${record.version}`),
    );
    let answer: Awaited<ReturnType<HrDeps['wickr']['batchToggleUserSuspendStatus']>>;
    try {
      const userIds = chunk.map((c) => c.userId);
      answer = await deps.wickr.batchToggleUserSuspendStatus({ networkId, suspend: false, userIds, clientToken });
    } catch (error) {
      for (const { record } of chunk) results.set(record.employeeId, { error: error as Error });
      continue;
    }
    let held: Set<string>;
    try {
      const reactivated = chunk.filter((c) => !answer.failed.some((f) => f.userId === c.userId));
      held = await suspendedAgainIfContained(deps, networkId, reactivated);
    } catch (error) {
      for (const { record } of chunk) results.set(record.employeeId, { error: error as Error });
      continue;
    }
    for (const { record, userId, groupId, moved, drift } of chunk) {
      const failure = answer.failed.find((f) => f.userId === userId);
      if (held.has(userId)) {
        const groupName = record.placement.state === 'active' ? record.placement.groupName : undefined;
        results.set(record.employeeId, {
          applied: { userId, groupId, groupName, status: 'suspended' },
          outcome: { employeeId: record.employeeId, action: moved ? 'moved' : 'unchanged', userId, groupId },
        });
      } else if (failure && failureCode(failure.reason) === 'NOT_FOUND') {
        results.set(record.employeeId, userGone(deps, record));
      } else if (failure) {
        const code = failureCode(failure.reason);
        const error = new HrUserRefusedError(`could not reactivate user ${userId} (${code})`, `REACTIVATE_${code}`);
        results.set(record.employeeId, { error });
      } else {
        const groupName = record.placement.state === 'active' ? record.placement.groupName : undefined;
        results.set(record.employeeId, {
          applied: { userId, groupId, groupName, status: 'active' },
          outcome: {
            employeeId: record.employeeId,
            action: 'reactivated',
            userId,
            groupId,
            ...(drift ? { drift } : {}),
          },
        });
      }
    }
  }
}

/**
 * The reactivated users a containment holds now, suspended again: the check before reactivating cannot see a
 * containment recorded after it whose own read found the user still suspended (ours, from the leave) — one of the two
 * reads back what the other wrote after its own write, so the account ends suspended either way. Held like a
 * reactivation the containment was already holding: its release lifts it.
 */
async function suspendedAgainIfContained(
  deps: HrDeps,
  networkId: string,
  reactivated: readonly Reactivation[],
): Promise<Set<string>> {
  const contained = deps.contained;
  if (!contained) return new Set();
  const held: Reactivation[] = [];
  for (const r of reactivated) if (await contained(networkId, r.userId)) held.push(r);
  if (held.length === 0) return new Set();
  const clientToken = deterministicToken(
    'hr-contained',
    networkId,
    ...held.map(({ record }) => `${record.employeeId}@${record.version}`),
  );
  const userIds = held.map((r) => r.userId);
  const answer = await deps.wickr.batchToggleUserSuspendStatus({ networkId, suspend: true, userIds, clientToken });
  if (answer.failed.length > 0) {
    throw new HrUserRefusedError(
      `could not suspend contained user(s) ${answer.failed.map((f) => f.userId)}`,
      'SUSPEND_CONTAINED',
    );
  }
  deps.logger.warn('Reactivation met a containment: suspended again', { networkId, users: userIds.length });
  return new Set(userIds);
}

/**
 * Movers and rehires: one UpdateUser each (setting exactly one group), then the reactivations 50 to a call. The
 * UpdateUser answer shows an admin's suspension; the policy keeps or corrects it. A failure is its user's alone.
 */
export async function placeUsers(
  deps: HrDeps,
  networkId: string,
  steps: readonly { record: EmployeeRecord; step: PlaceStep }[],
  groupOf: (name: string) => string | undefined,
  results: Map<string, Result>,
) {
  const reactivate: Reactivation[] = [];
  const groupGone = groupGoneCheck(deps, networkId);
  await mapSettled(steps, deps.requestsInFlight ?? 8, async (item) => {
    const { record, step } = item;
    const groupId = step.move ? (groupOf(step.groupName) as string) : (record.applied?.groupId as string);
    try {
      const placed = await placeOne(deps, networkId, item, groupId, groupGone);
      if ('reactivation' in placed) reactivate.push(placed.reactivation);
      else results.set(record.employeeId, placed.result);
    } catch (error) {
      results.set(record.employeeId, { error: error as Error });
    }
  });
  await reactivateUsers(deps, networkId, reactivate, results);
}

/** Our user was deleted by someone else: kept so, or made again on the next pass, per policy. */
function userGone(deps: HrDeps, record: EmployeeRecord): Result {
  if (deps.hr.manualChanges === 'correct' && record.identity) {
    return { again: { status: 'absent' }, drift: { change: 'deleted', decision: 'corrected' } };
  }
  return {
    applied: { status: 'deleted', adminDeleted: true },
    outcome: { employeeId: record.employeeId, action: 'already-gone', drift: { change: 'deleted', decision: 'kept' } },
  };
}
