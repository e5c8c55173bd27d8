import type { EmployeeOffboardedEvent, EmployeeOnboardedEvent, EmployeeTransferredEvent } from '../events/hr-events.js';
import { deterministicToken } from '../store/deterministic-token.js';
import { ensureGroup } from './ensure-group.js';
import { failureCode, HrError, HrInputError } from './errors.js';
import { groupNameFor, normalizeName, templateFor } from './group-template.js';
import type { HrDeps } from './ports.js';

type Detail = { readonly networkId?: string | undefined };

function networkOf(detail: Detail, deps: HrDeps): string {
  const networkId = detail.networkId ?? deps.hr.defaultNetworkId ?? deps.networkIds[0];
  if (!networkId || !deps.networkIds.includes(networkId)) {
    throw new HrInputError(
      detail.networkId ? 'detail.networkId' : 'hr.defaultNetworkId',
      `network ${networkId} is not in the policy file`,
    );
  }
  return networkId;
}

async function findUserIdByUsername(deps: HrDeps, networkId: string, username: string) {
  for await (const page of deps.wickr.paginateUsers({ networkId, username, maxResults: 100 })) {
    const user = page.users.find((u) => u.username?.toLowerCase() === username.toLowerCase());
    if (user?.userId) return user.userId;
  }
  return undefined;
}

/** Where a joiner or mover belongs: the network, and the department group's audience and normalized name. */
function destinationOf(detail: EmployeeOnboardedEvent['detail'] | EmployeeTransferredEvent['detail'], deps: HrDeps) {
  const allowed = deps.hr.allowedDepartments;
  if (allowed && !allowed.some((d) => normalizeName(d) === normalizeName(detail.department))) {
    throw new HrInputError('detail.department', 'is not one of hr.allowedDepartments');
  }
  const audience = { department: detail.department, team: detail.team, employmentType: detail.employmentType };
  return { networkId: networkOf(detail, deps), audience, name: groupNameFor(deps.hr.naming, audience) };
}

/** Logs the decision and publishes the outcome event; both carry ids only. */
async function report<T extends Record<string, unknown>>(deps: HrDeps, detailType: string, outcome: T): Promise<T> {
  deps.logger.info(detailType, outcome);
  await deps.publisher.publish(detailType, outcome);
  return outcome;
}

/**
 * The Wickr user an employee is: our mapping. A username alone never names a user to act on — a forged event
 * could name anyone's — except during a first import (`hr.adoptExistingUsers`).
 */
async function userOf(
  deps: HrDeps,
  networkId: string,
  detail: { readonly employeeId: string; readonly username?: string | undefined },
): Promise<string | undefined> {
  const known = await deps.mappings.getEmployee(networkId, detail.employeeId);
  if (known) return known.userId;
  if (!deps.hr.adoptExistingUsers) {
    throw new HrInputError('detail.employeeId', 'was not provisioned by this deployment; nothing was done');
  }
  if (!detail.username) {
    throw new HrInputError('detail.username', 'is required for an employee this deployment has not provisioned');
  }
  return findUserIdByUsername(deps, networkId, detail.username);
}

/** `Employee Onboarded`: the department's group exists (made from the template once), the user is in it. */
export async function onboardEmployee(event: EmployeeOnboardedEvent, deps: HrDeps) {
  const { detail } = event;
  const { networkId, audience, name } = destinationOf(detail, deps);
  return deps.idempotency.once({ step: 'hr-onboard', networkId, employeeId: detail.employeeId }, async () => {
    const group = await ensureGroup(deps, networkId, name, templateFor(deps.hr.template, audience));
    const created = await deps.wickr.batchCreateUser({
      networkId,
      users: [
        {
          username: detail.username,
          securityGroupIds: [group.groupId],
          ...(detail.firstName ? { firstName: detail.firstName } : {}),
          ...(detail.lastName ? { lastName: detail.lastName } : {}),
        },
      ],
      clientToken: deterministicToken('hr-onboard', networkId, detail.employeeId),
    });
    let userId = created.successful[0]?.userId;
    let result: 'created' | 'converged' = 'created';
    if (!userId) {
      const failure = created.failed[0];
      const code = failureCode(failure?.reason);
      if (code !== 'USER_EXISTS') {
        // Wickr's reason may quote the username: only its code goes into the error, the logs and the queue.
        throw new HrInputError(`detail.${failure?.field ?? 'username'}`, `BatchCreateUser refused the user (${code})`);
      }
      userId = await findUserIdByUsername(deps, networkId, detail.username);
      if (!userId) throw new HrError(`User reported as existing on network ${networkId} was not found`);
      // Only a user we provisioned for this employee (a retry, a rehire) is converged; another is not taken over.
      const known = await deps.mappings.getEmployee(networkId, detail.employeeId);
      const ours = known?.userId === userId;
      if (!ours && !deps.hr.adoptExistingUsers) {
        return report(deps, 'Wickr User Not Adopted', {
          networkId,
          employeeId: detail.employeeId,
          userId,
          reason: 'a Wickr user with this username exists that this deployment did not provision',
        });
      }
      const user = await deps.wickr.getUser({ networkId, userId });
      const groups = user.securityGroupIds ?? [];
      if (groups.length !== 1 || groups[0] !== group.groupId) {
        await deps.wickr.updateUser({ networkId, userId, userDetails: { securityGroupIds: [group.groupId] } });
      }
      // Reactivate only whom we suspended: an admin's suspension of someone else stands.
      if (user.suspended && ours && known?.status === 'suspended') {
        await deps.wickr.batchToggleUserSuspendStatus({
          networkId,
          suspend: false,
          userIds: [userId],
          clientToken: deterministicToken('hr-rejoin', networkId, detail.employeeId, event.time),
        });
      }
      result = 'converged';
    }
    await deps.mappings.putEmployee(networkId, {
      employeeId: detail.employeeId,
      userId,
      groupId: group.groupId,
      status: 'active',
    });
    const outcome = {
      networkId,
      employeeId: detail.employeeId,
      userId,
      groupId: group.groupId,
      result,
      group: group.action,
    };
    return report(deps, 'Wickr User Provisioned', outcome);
  });
}

/** `Employee Transferred`: the new group exists, and the user belongs to it alone. */
export async function transferEmployee(event: EmployeeTransferredEvent, deps: HrDeps) {
  const { detail } = event;
  const { networkId, audience, name } = destinationOf(detail, deps);
  // A person can move back and forth: the step is this move, told apart by when it happened.
  const key = { step: 'hr-transfer', networkId, employeeId: detail.employeeId, group: name, at: event.time };
  return deps.idempotency.once(key, async () => {
    const userId = await userOf(deps, networkId, detail);
    if (!userId) throw new HrInputError('detail.employeeId', 'is not a user of the network');
    const group = await ensureGroup(deps, networkId, name, templateFor(deps.hr.template, audience));
    const user = await deps.wickr.getUser({ networkId, userId });
    const from = user.securityGroupIds ?? [];
    const moved = from.length !== 1 || from[0] !== group.groupId;
    if (moved) await deps.wickr.updateUser({ networkId, userId, userDetails: { securityGroupIds: [group.groupId] } });
    await deps.mappings.putEmployee(networkId, {
      employeeId: detail.employeeId,
      userId,
      groupId: group.groupId,
      status: user.suspended ? 'suspended' : 'active',
    });
    const outcome = {
      networkId,
      employeeId: detail.employeeId,
      userId,
      fromGroupIds: from,
      toGroupId: group.groupId,
      moved,
      group: group.action,
    };
    return report(deps, 'Wickr User Moved', outcome);
  });
}

/** `Employee Offboarded`: the user is suspended, or deleted when the policy says so. */
export async function offboardEmployee(event: EmployeeOffboardedEvent, deps: HrDeps) {
  const { detail } = event;
  const networkId = networkOf(detail, deps);
  const key = { step: 'hr-offboard', networkId, employeeId: detail.employeeId, at: event.time };
  return deps.idempotency.once(key, async () => {
    const userId = await userOf(deps, networkId, detail);
    const action = deps.hr.leaver === 'delete' ? 'deleted' : 'suspended';
    if (userId) {
      const clientToken = deterministicToken('hr-offboard', networkId, detail.employeeId, event.time);
      const answer =
        action === 'deleted'
          ? await deps.wickr.batchDeleteUser({ networkId, userIds: [userId], clientToken })
          : await deps.wickr.batchToggleUserSuspendStatus({ networkId, suspend: true, userIds: [userId], clientToken });
      const failure = answer.failed.find((f) => failureCode(f.reason) !== 'NOT_FOUND');
      if (failure) throw new HrError(`Could not deprovision user ${userId} (${failureCode(failure.reason)})`);
      const known = await deps.mappings.getEmployee(networkId, detail.employeeId);
      await deps.mappings.putEmployee(networkId, {
        employeeId: detail.employeeId,
        userId,
        groupId: known?.groupId ?? '',
        status: action,
      });
    }
    const outcome = {
      networkId,
      employeeId: detail.employeeId,
      userId: userId ?? null,
      action: userId ? action : 'absent',
    };
    return report(deps, 'Wickr User Deprovisioned', outcome);
  });
}
