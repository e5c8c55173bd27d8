/**
 * Joiners: users created 50 to a BatchCreateUser (users of different groups share calls). A user is ours only when
 * an answer of Wickr to our request names them: each request is recorded on its employees before it is sent, and a
 * request whose answer was lost is sent again exactly (same `clientToken`, same body), so Wickr answers with its
 * first answer if it had applied it. "Already exists" always means someone else's user.
 */
import { deterministicToken } from '../deterministic-token.js';
import { isRetryable } from '../failure.js';
import type { Identity } from './employee-fact.js';
import type { AppliedState, EmployeeRecord, PendingCreate } from './employee-record.js';
import { failureCode, HrError } from './errors.js';
import type { HrDeps } from './ports.js';
import { adoptableUser, chunks, type Result, remade } from './reconcile-step.js';

/** A joiner to create in a group. */
export interface Joiner {
  readonly record: EmployeeRecord;
  readonly step: { readonly groupName: string; readonly identity: Identity };
}

/** An employee whose create's answer was lost: the recorded request, to replay. */
export interface Replay {
  readonly record: EmployeeRecord;
  readonly step: { readonly pending: PendingCreate };
}

/** Sends the replays, then the new joiners' requests; every employee's result lands in `results`. */
export async function createUsers(
  deps: HrDeps,
  networkId: string,
  joiners: readonly Joiner[],
  replays: readonly Replay[],
  groupOf: (name: string) => string | undefined,
  results: Map<string, Result>,
): Promise<void> {
  const byToken = Map.groupBy(replays, (r) => r.step.pending.clientToken);
  for (const group of byToken.values()) {
    const pending = (group[0] as Replay).step.pending;
    await send(
      deps,
      networkId,
      pending,
      group.map((r) => ({ record: r.record, pending: r.step.pending })),
      results,
    );
  }
  for (const chunk of chunks(joiners)) {
    const marked = await markBeforeSending(deps, networkId, chunk, groupOf, results);
    if (marked) await send(deps, networkId, marked.request, marked.members, results);
  }
}

type Member = { readonly record: EmployeeRecord; readonly pending: PendingCreate };

/**
 * Records the request on each employee of the chunk before it is sent. One whose record another reconcile took
 * meanwhile is left out, and the request (its token and body) recomputed for the others, so what is sent is
 * exactly what every member recorded.
 */
async function markBeforeSending(
  deps: HrDeps,
  networkId: string,
  chunk: readonly Joiner[],
  groupOf: (name: string) => string | undefined,
  results: Map<string, Result>,
): Promise<{ request: Omit<PendingCreate, 'username' | 'groupName'>; members: Member[] } | undefined> {
  let joiners = [...chunk];
  while (joiners.length > 0) {
    const request = {
      // Who, on which fact, into which group: a group made again (new id) is a new request, not a replay.
      clientToken: deterministicToken(
        'hr-create',
        networkId,
        ...joiners.map(({ record, step }) => `${record.employeeId}@${record.version}>${groupOf(step.groupName)}`),
      ),
      users: joiners.map(({ step }) => ({
        username: step.identity.username,
        securityGroupIds: [groupOf(step.groupName) as string],
        ...(step.identity.firstName ? { firstName: step.identity.firstName } : {}),
        ...(step.identity.lastName ? { lastName: step.identity.lastName } : {}),
      })),
    };
    const members: Member[] = [];
    const lost: Joiner[] = [];
    for (const joiner of joiners) {
      const pending = { ...request, username: joiner.step.identity.username, groupName: joiner.step.groupName };
      const applied = { ...(joiner.record.applied ?? { status: 'absent' as const }), pendingCreate: pending };
      if (await deps.records.noteApplied(networkId, joiner.record.employeeId, deps.holder, applied)) {
        members.push({ record: joiner.record, pending });
      } else lost.push(joiner);
    }
    if (lost.length === 0) return { request, members };
    for (const { record } of lost) {
      results.set(record.employeeId, { error: new HrError('another reconcile took the record before the create') });
    }
    joiners = joiners.filter((j) => !lost.includes(j));
  }
  return undefined;
}

/** One BatchCreateUser, and what its answer says of each member. */
async function send(
  deps: HrDeps,
  networkId: string,
  request: Omit<PendingCreate, 'username' | 'groupName'>,
  members: readonly Member[],
  results: Map<string, Result>,
): Promise<void> {
  let answer: Awaited<ReturnType<HrDeps['wickr']['batchCreateUser']>>;
  try {
    answer = await deps.wickr.batchCreateUser({
      networkId,
      users: request.users.map((u) => ({ ...u, securityGroupIds: [...u.securityGroupIds] })),
      clientToken: request.clientToken,
    });
  } catch (error) {
    // Refused outright (not a fault on the way): nothing was created, so the request is forgotten and no later
    // answer to another request can be taken for it. A transient fault keeps it, to be replayed.
    if (!isRetryable(error)) {
      for (const { record } of members) {
        await deps.records
          .noteApplied(networkId, record.employeeId, deps.holder, forget(record))
          .catch(() => undefined);
      }
    }
    for (const { record } of members) results.set(record.employeeId, { error: error as Error });
    return;
  }
  const created = new Map(answer.successful.map((u) => [u.username?.toLowerCase(), u.userId]));
  // Wickr's failures name no username: they follow the order of the users it did not create.
  const notCreated = request.users.filter((u) => !created.has(u.username.toLowerCase()));
  const failureOf = new Map(notCreated.map((u, i) => [u.username.toLowerCase(), answer.failed[i]]));
  for (const { record, pending } of members) {
    const key = pending.username.toLowerCase();
    const groupId = request.users.find((u) => u.username.toLowerCase() === key)?.securityGroupIds[0];
    const userId = created.get(key);
    if (userId) {
      const applied: AppliedState = { userId, status: 'active', groupId, groupName: pending.groupName };
      const p = record.placement;
      // A replay may answer for a record that wants something else by now: the next pass acts on our user.
      const settled = p.state === 'active' && p.groupName === pending.groupName;
      results.set(
        record.employeeId,
        settled
          ? { applied, outcome: { employeeId: record.employeeId, action: 'created', userId, groupId } }
          : { again: applied },
      );
      continue;
    }
    const failure = failureOf.get(key);
    const code = failureCode(failure?.reason);
    if (code === 'NOT_FOUND' && failure?.field === 'securityGroupIds' && groupId) {
      results.set(record.employeeId, await remade(deps, networkId, record, groupId, forget(record)));
    } else if (code === 'USER_EXISTS') {
      results.set(record.employeeId, await existingUser(deps, networkId, record, pending.username));
    } else {
      deps.logger.warn('Wickr refused a user', { networkId, employeeId: record.employeeId, code });
      results.set(record.employeeId, {
        applied: { ...forget(record), status: 'refused' },
        outcome: { employeeId: record.employeeId, action: 'refused', code },
      });
    }
  }
}

const forget = (record: EmployeeRecord): AppliedState => ({
  ...(record.applied ?? { status: 'absent' }),
  pendingCreate: undefined,
});

/**
 * "Already exists" to our request: someone else's user — an admin's, or one a forged joiner named — never ours.
 * Adopted only where the policy says so (`hr.adoptExistingUsers`, a first import), then placed on the next pass.
 */
async function existingUser(deps: HrDeps, networkId: string, record: EmployeeRecord, username: string) {
  if (!deps.hr.adoptExistingUsers) {
    return {
      applied: { ...forget(record), status: 'refused' as const },
      outcome: { employeeId: record.employeeId, action: 'not-adopted' as const, code: 'USER_EXISTS' },
    };
  }
  try {
    const found = await adoptableUser(deps, networkId, username);
    if (!found) return { error: new HrError('a user reported as existing was not found') };
    if ('refused' in found) {
      return {
        applied: { ...forget(record), status: 'refused' as const },
        outcome: { employeeId: record.employeeId, action: 'not-adopted' as const, code: found.refused },
      };
    }
    return { again: { status: 'active' as const, userId: found.userId, converged: true } };
  } catch (error) {
    return { error: error as Error };
  }
}
