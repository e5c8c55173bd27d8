/** Leavers: suspended (or deleted, per policy) 50 to a call; those a first import adopts are found by username first. */
import { mapSettled } from '../concurrency.js';
import { deterministicToken } from '../deterministic-token.js';
import type { Identity } from './employee-fact.js';
import type { EmployeeRecord } from './employee-record.js';
import { failureCode, HrUserRefusedError } from './errors.js';
import type { HrDeps } from './ports.js';
import { adoptableUser, chunks, type Result } from './reconcile-step.js';

/** Leavers who may be adopted (`hr.adoptExistingUsers`): looked up by username, then left. */
export async function findLeavers(
  deps: HrDeps,
  networkId: string,
  steps: readonly { record: EmployeeRecord; step: { identity: Identity } }[],
  leavers: { record: EmployeeRecord; userId: string }[],
  results: Map<string, Result>,
) {
  await mapSettled(steps, deps.requestsInFlight ?? 8, async ({ record, step }) => {
    try {
      const found = await adoptableUser(deps, networkId, step.identity.username);
      if (found && 'userId' in found) leavers.push({ record, userId: found.userId });
      else if (found)
        results.set(record.employeeId, {
          applied: { status: 'refused' },
          outcome: { employeeId: record.employeeId, action: 'not-adopted', code: found.refused },
        });
      else
        results.set(record.employeeId, {
          applied: { status: 'absent' },
          outcome: { employeeId: record.employeeId, action: 'absent' },
        });
    } catch (error) {
      results.set(record.employeeId, { error: error as Error });
    }
  });
}

/** Leavers, 50 to a call, suspended or deleted per policy. */
export async function leave(
  deps: HrDeps,
  networkId: string,
  leavers: readonly { record: EmployeeRecord; userId: string }[],
  results: Map<string, Result>,
) {
  const action = deps.hr.leaver === 'delete' ? 'deleted' : 'suspended';
  for (const chunk of chunks(leavers)) {
    const clientToken = deterministicToken(
      'hr-leave',
      networkId,
      action,
      ...chunk.map(({ record }) => `${record.employeeId}@${record.version}`),
    );
    const userIds = chunk.map((l) => l.userId);
    let answer: { failed: readonly { userId?: string; reason?: string }[] };
    try {
      answer =
        action === 'deleted'
          ? await deps.wickr.batchDeleteUser({ networkId, userIds, clientToken })
          : await deps.wickr.batchToggleUserSuspendStatus({ networkId, suspend: true, userIds, clientToken });
    } catch (error) {
      for (const { record } of chunk) results.set(record.employeeId, { error: error as Error });
      continue;
    }
    for (const { record, userId } of chunk) {
      const failure = answer.failed.find((f) => f.userId === userId);
      const code = failure && failureCode(failure.reason);
      if (code && code !== 'NOT_FOUND') {
        // Refused outright: the same request would be refused again — to the failure queue, not five retries.
        results.set(record.employeeId, {
          error: new HrUserRefusedError(`could not deprovision user ${userId} (${code})`, `DEPROVISION_${code}`),
        });
        continue;
      }
      const gone = code === 'NOT_FOUND';
      results.set(record.employeeId, {
        applied: {
          ...record.applied,
          userId,
          status: gone ? 'deleted' : action,
          adminSuspended: undefined,
        },
        outcome: {
          employeeId: record.employeeId,
          action: gone ? 'already-gone' : action,
          userId,
          ...(gone ? { drift: { change: 'deleted', decision: 'kept' } } : {}),
        },
      });
    }
  }
}
