/** Movers and rehires: placed in their group one UpdateUser each, reactivated 50 to a call. */

import { mapSettled } from '../concurrency.js';
import { deterministicToken } from '../deterministic-token.js';
import { WickrResourceNotFoundError } from '../wickr/index.js';
import type { EmployeeRecord } from './employee-record.js';
import { failureCode, HrUserRefusedError } from './errors.js';
import type { HrDeps } from './ports.js';
import { chunks, type EmployeeOutcome, type Result, remade } from './reconcile-step.js';

/**
 * Movers and rehires: one UpdateUser each (setting exactly one group), then the reactivations 50 to a call. The
 * UpdateUser answer shows an admin's suspension; the policy keeps or corrects it.
 */
export async function placeUsers(
  deps: HrDeps,
  networkId: string,
  steps: readonly {
    record: EmployeeRecord;
    step: { userId: string; groupName: string; move: boolean; reactivate: boolean };
  }[],
  groupOf: (name: string) => string | undefined,
  results: Map<string, Result>,
) {
  const reactivate: { record: EmployeeRecord; userId: string; groupId: string; drift?: EmployeeOutcome['drift'] }[] =
    [];
  // A 404 names neither the user nor the group (its message is free text): Wickr's list of groups says which is
  // gone, read once for the whole batch and only when a 404 came.
  let liveGroups: Promise<ReadonlySet<string>> | undefined;
  const groupGone = async (groupId: string) => {
    liveGroups ??= (async () => {
      const ids = new Set<string>();
      for await (const page of deps.wickr.paginateSecurityGroups({ networkId, maxResults: 100 })) {
        for (const g of page.securityGroups) ids.add(g.id);
      }
      return ids;
    })();
    return !(await liveGroups).has(groupId);
  };
  await mapSettled(steps, deps.requestsInFlight ?? 8, async ({ record, step }) => {
    const applied = record.applied ?? { status: 'absent' as const };
    const groupId = step.move ? (groupOf(step.groupName) as string) : (applied.groupId as string);
    let suspended = applied.status === 'suspended';
    if (step.move && deps.quarantined) {
      let held: boolean;
      try {
        held = await deps.quarantined(networkId, step.userId);
      } catch (error) {
        results.set(record.employeeId, { error: error as Error });
        return;
      }
      if (held) {
        // Quarantined: the move is recorded, not made — containment's release puts the user in this group. A
        // rehire's reactivation waits for the release too (recorded as HR's own suspension).
        results.set(record.employeeId, {
          applied: {
            userId: step.userId,
            groupId,
            groupName: step.groupName,
            status: step.reactivate ? 'suspended' : applied.status === 'suspended' ? 'suspended' : 'active',
            adminSuspended: step.reactivate ? undefined : applied.adminSuspended,
          },
          outcome: { employeeId: record.employeeId, action: 'unchanged', userId: step.userId, groupId },
        });
        return;
      }
    }
    if (step.move) {
      try {
        const user = await deps.wickr.updateUser({
          networkId,
          userId: step.userId,
          userDetails: { securityGroupIds: [groupId] },
        });
        suspended = user.suspended;
      } catch (error) {
        if (!(error instanceof WickrResourceNotFoundError)) {
          results.set(record.employeeId, { error: error as Error });
          return;
        }
        let gone: boolean;
        try {
          gone = await groupGone(groupId);
        } catch (listError) {
          results.set(record.employeeId, { error: listError as Error });
          return;
        }
        if (gone) {
          results.set(record.employeeId, await remade(deps, networkId, record, groupId, applied));
          return;
        }
        results.set(record.employeeId, userGone(deps, record));
        return;
      }
    }
    const converged = applied.converged === true;
    const ourSuspension = step.reactivate;
    const adminSuspended = suspended && !ourSuspension && !converged && applied.status === 'active';
    const base = { userId: step.userId, groupId, groupName: step.groupName };
    let heldByContainment = false;
    if (suspended && (ourSuspension || deps.hr.manualChanges === 'correct') && deps.contained) {
      try {
        heldByContainment = await deps.contained(networkId, step.userId);
      } catch (error) {
        results.set(record.employeeId, { error: error as Error });
        return;
      }
    }
    if (heldByContainment) {
      // A compromised account stays suspended whatever HR says; its placement is done, its reactivation waits.
      results.set(record.employeeId, {
        applied: { ...base, status: 'suspended', adminSuspended: ourSuspension ? undefined : true },
        outcome: {
          employeeId: record.employeeId,
          action: step.move ? 'moved' : 'unchanged',
          userId: step.userId,
          groupId,
        },
      });
      return;
    }
    if (suspended && (ourSuspension || deps.hr.manualChanges === 'correct')) {
      reactivate.push({
        record,
        userId: step.userId,
        groupId,
        ...(adminSuspended ? { drift: { change: 'suspended', decision: 'corrected' } as const } : {}),
      });
      return;
    }
    const action = converged ? 'converged' : step.move ? 'moved' : 'unchanged';
    results.set(record.employeeId, {
      applied: { ...base, status: suspended ? 'suspended' : 'active', adminSuspended: suspended ? true : undefined },
      outcome: {
        employeeId: record.employeeId,
        action,
        userId: step.userId,
        groupId,
        ...(adminSuspended ? { drift: { change: 'suspended', decision: 'kept' } as const } : {}),
      },
    });
  });
  for (const chunk of chunks(reactivate)) {
    const clientToken = deterministicToken(
      'hr-reactivate',
      networkId,
      ...chunk.map(({ record }) => `${record.employeeId}@${record.version}`),
    );
    try {
      const answer = await deps.wickr.batchToggleUserSuspendStatus({
        networkId,
        suspend: false,
        userIds: chunk.map((c) => c.userId),
        clientToken,
      });
      for (const { record, userId, groupId, drift } of chunk) {
        const failure = answer.failed.find((f) => f.userId === userId);
        if (failure && failureCode(failure.reason) === 'NOT_FOUND') {
          results.set(record.employeeId, userGone(deps, record));
        } else if (failure) {
          results.set(record.employeeId, {
            error: new HrUserRefusedError(
              `could not reactivate user ${userId} (${failureCode(failure.reason)})`,
              `REACTIVATE_${failureCode(failure.reason)}`,
            ),
          });
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
    } catch (error) {
      for (const { record } of chunk) results.set(record.employeeId, { error: error as Error });
    }
  }
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
