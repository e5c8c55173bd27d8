/**
 * A compromise or clearance of one account, taken: the subject resolved to a Wickr user this deployment manages
 * (never searched for across networks, never a user we did not provision unless `anyUser`), the case recorded, and
 * the account brought to what its cases say — contained (suspended, every device signed out) or released (our
 * suspension lifted, unless HR now wants the user gone). Retries are safe: the Wickr calls carry tokens derived from
 * the account and its containment, and a step applied is recorded before it is announced.
 */
import { deterministicToken } from '../deterministic-token.js';
import type { AccountFact } from '../events/account-events.js';
import { announceHold } from '../holds/announce-hold.js';
import { stemOf } from '../holds/hold.js';
import { type ContainmentStep, openCases, planContainment } from './account-case.js';
import type { AccountOutcome } from './account-outcome.js';
import { isBotSubject, takeBotFact } from './contain-bot.js';
import { isGuestSubject, takeGuestFact } from './contain-guest.js';
import { ContainmentError } from './errors.js';
import type { AccountRecord, ContainmentDeps } from './ports.js';
import { quarantine, quarantines, unquarantine } from './quarantine.js';
import { recordCase } from './record-case.js';

export type { AccountFact, AccountOutcome };

async function resolve(
  deps: ContainmentDeps,
  fact: AccountFact,
): Promise<{ networkId: string; userId: string; employeeId?: string | undefined } | string> {
  const networks = fact.networkId ? [fact.networkId] : deps.networkIds;
  if (fact.networkId && !deps.networkIds.includes(fact.networkId)) return 'the network is not in the policy file';
  const byUsername = fact.subject.includes('@');
  for (const networkId of networks) {
    if (!byUsername) {
      const provisioned = await deps.provisioned.byEmployeeId(networkId, fact.subject);
      if (provisioned) return { networkId, userId: provisioned.userId, employeeId: fact.subject };
      continue;
    }
    for await (const page of deps.wickr.paginateUsers({ networkId, username: fact.subject, maxResults: 10 })) {
      const user = page.users.find((u) => u.username === fact.subject);
      if (!user?.userId) continue;
      const provisioned = await deps.provisioned.byUserId(networkId, user.userId);
      if (provisioned || deps.anyUser) return { networkId, userId: user.userId, employeeId: provisioned?.employeeId };
      return 'the user was not provisioned by this deployment (containment.anyUser is off)';
    }
  }
  return byUsername ? 'no user of the managed networks has that username' : 'no employee of that id was provisioned';
}

/** Takes one fact: resolve, record, reconcile (a guest's: `contain-guest.ts`; a bot's: `contain-bot.ts`). */
export async function takeAccountFact(deps: ContainmentDeps, fact: AccountFact): Promise<AccountOutcome> {
  if (isGuestSubject(fact.subject)) return takeGuestFact(deps, fact);
  if (isBotSubject(fact.subject)) return takeBotFact(deps, fact);
  const at = await resolve(deps, fact);
  if (typeof at === 'string') {
    deps.logger.warn('Account fact for no account we manage', { caseId: fact.caseId, reason: at });
    await deps.publisher.publish('Wickr Account Unresolved', {
      caseId: fact.caseId,
      source: fact.source,
      reason: at,
      eventId: fact.eventId,
    });
    return { result: 'unresolved', reason: at };
  }
  await recordCase(deps, at, fact);
  return reconcileAccount(deps, at.networkId, at.userId, fact.eventId);
}

/** The account as one reconcile round sees it: its record, Wickr's user, HR's record and the ids it reports by. */
interface AccountView {
  readonly account: AccountRecord;
  readonly live: Awaited<ReturnType<ContainmentDeps['wickr']['getUser']>>;
  readonly hr: Awaited<ReturnType<ContainmentDeps['provisioned']['byUserId']>>;
  readonly ids: { networkId: string; userId: string; employeeId?: string | undefined; eventId?: string };
}

/** Brings one account to what its cases say. */
export async function reconcileAccount(
  deps: ContainmentDeps,
  networkId: string,
  userId: string,
  /** The fact that asked, named in the outcome (the cockpit waits for it). */
  eventId?: string,
): Promise<AccountOutcome> {
  const account = (await deps.accounts.get(networkId, userId)) as AccountRecord;
  const live = await deps.wickr.getUser({ networkId, userId });
  const hr = await deps.provisioned.byUserId(networkId, userId);
  const step = planContainment(
    account.cases,
    account.applied,
    { suspended: live.suspended === true },
    { left: hr?.left === true, reactivationHeld: hr?.reactivationHeld === true },
  );
  const ids = { networkId, userId, employeeId: account.employeeId, ...(eventId ? { eventId } : {}) };
  const view = { account, live, hr, ids };
  if (step.kind === 'contain') return contain(deps, view, step);
  if (step.kind === 'release') return release(deps, view, step);
  await deps.publisher.publish('Wickr Account Unchanged', {
    ...ids,
    contained: Boolean(account.applied.containedSince),
    openCases: openCases(account.cases).map((c) => c.caseId),
  });
  return { result: 'unchanged', networkId, userId };
}

/** Suspends (unless already), signs every device out and, for a chosen source, quarantines; past the rail, holds. */
async function contain(
  deps: ContainmentDeps,
  { account, live, ids }: AccountView,
  step: Extract<ContainmentStep, { kind: 'contain' }>,
): Promise<AccountOutcome> {
  const { networkId, userId, eventId } = ids;
  const cases = openCases(account.cases);
  if (deps.admit && !cases.some((c) => c.source === 'on-call') && !(await deps.admit())) {
    if (deps.holds) return holdContainment(deps, { ...ids, since: step.since, caseIds: cases.map((c) => c.caseId) });
    deps.logger.warn('Containment refused by the safety rail', { networkId, userId });
    await deps.publisher.publish('Wickr Account Containment Refused', {
      ...ids,
      caseIds: cases.map((c) => c.caseId),
      reason:
        'more accounts this hour than containment.maxPerHour: a burst is more likely a misfire than that many ' +
        'compromised people; the on-call contains by hand if it is real (ops accounts contain)',
    });
    return { result: 'refused', networkId, userId };
  }
  // About to suspend: recorded first, so a crash before the end leaves the suspension (and quarantine) known as ours.
  let revision = account.revision;
  if (step.suspend && account.applied.begun === undefined) {
    if (!(await deps.accounts.putApplied(networkId, userId, { ...account.applied, begun: step.since }, revision))) {
      return reconcileAccount(deps, networkId, userId, eventId);
    }
    revision += 1;
  }
  // One token per containment (its first open case's time): a retry replays it, a later containment is new.
  const token = (what: string) => deterministicToken('contain', networkId, userId, step.since, what);
  if (step.suspend) await suspend(deps, networkId, userId, true, token('suspend'));
  const signedOut = await signOutDevices(deps, networkId, userId, token);
  const quarantined = quarantines(deps, cases[0]?.source)
    ? await quarantine(deps, networkId, userId, live.securityGroupIds ?? [])
    : undefined;
  const applied = {
    containedSince: step.since,
    suspendedByUs: step.suspend,
    devicesSignedOut: signedOut,
    ...(quarantined ? { quarantine: quarantined } : {}),
  };
  if (!(await deps.accounts.putApplied(networkId, userId, applied, revision))) {
    return reconcileAccount(deps, networkId, userId, eventId);
  }
  // Found suspended by someone else (HR's leave), we wrote nothing before now: HR may have reactivated the user
  // between our read and our record (a rehire that checked before we recorded). Read back after recording, as HR
  // reads our record back after reactivating; suspended again, and ours, if so. (A containment that suspends wrote
  // `begun` first, which HR's read-back sees.)
  if (!step.suspend && (await deps.wickr.getUser({ networkId, userId })).suspended !== true) {
    await suspend(deps, networkId, userId, true, token('read-back'));
    if (!(await deps.accounts.putApplied(networkId, userId, { ...applied, suspendedByUs: true }, revision + 1))) {
      return reconcileAccount(deps, networkId, userId, eventId);
    }
  }
  const timeToContainMs = Math.max(0, deps.nowMs() - Date.parse(step.openedAt));
  deps.metrics?.add('AccountsContained', 1);
  deps.metrics?.add('DevicesSignedOut', signedOut.length);
  deps.metrics?.add('AccountTimeToContain', timeToContainMs);
  deps.logger.info('Account contained', { networkId, userId, devices: signedOut.length });
  const steps = [step.suspend ? 'suspended' : 'already-suspended', 'devices-signed-out'];
  await deps.publisher.publish('Wickr Account Contained', {
    ...ids,
    caseIds: cases.map((c) => c.caseId),
    steps: quarantined ? [...steps, 'quarantined'] : steps,
    devicesSignedOut: signedOut.length,
    timeToContainMs,
  });
  return { result: 'contained', networkId, userId };
}

/** The quarantine a begun, unrecorded containment may have made: the network's quarantine group, if the user is in it. */
async function begunQuarantine(deps: ContainmentDeps, account: AccountRecord, groups: readonly string[]) {
  if (account.applied.begun === undefined || account.applied.containedSince) return undefined;
  const groupId = await deps.accounts.quarantineGroup(account.networkId);
  return groupId && groups.includes(groupId) ? { groupId, from: [] } : undefined;
}

/** Out of quarantine into the group HR says now, and unsuspended when the suspension was this containment's. */
async function release(
  deps: ContainmentDeps,
  { account, hr, ids, live }: AccountView,
  step: Extract<ContainmentStep, { kind: 'release' }>,
): Promise<AccountOutcome> {
  const { networkId, userId, eventId } = ids;
  // Out of quarantine first, into the group HR says now (a move HR recorded meanwhile lands here); a containment
  // cleared before it was recorded may have moved the user there too.
  const kept = account.applied.quarantine ?? (await begunQuarantine(deps, account, live.securityGroupIds ?? []));
  const movedTo = kept ? await unquarantine(deps, networkId, userId, kept, hr?.groupId) : undefined;
  if (step.unsuspend) {
    const since = account.applied.containedSince ?? account.applied.begun ?? '';
    await suspend(deps, networkId, userId, false, deterministicToken('release', networkId, userId, since));
  }
  if (!(await deps.accounts.putApplied(networkId, userId, {}, account.revision))) {
    return reconcileAccount(deps, networkId, userId, eventId);
  }
  deps.logger.info('Account released', { networkId, userId, unsuspended: step.unsuspend });
  await deps.publisher.publish('Wickr Account Released', {
    ...ids,
    caseIds: Object.keys(account.cases),
    unsuspended: step.unsuspend,
    ...(movedTo ? { groupIds: movedTo } : {}),
    note: step.unsuspend
      ? 'devices signed out are not signed back in: the person signs in again'
      : 'left suspended: the suspension was not this containment’s, or HR says the person left',
  });
  return { result: 'released', networkId, userId };
}

/** A containment past the safety rail, held for a person (one hold per hour of the rail's window). */
async function holdContainment(
  deps: ContainmentDeps,
  at: { networkId: string; userId: string; eventId?: string; since: string; caseIds: string[] },
): Promise<AccountOutcome> {
  const holds = deps.holds as NonNullable<ContainmentDeps['holds']>;
  const now = deps.nowMs();
  const holdMs = deps.holdMs ?? 86_400_000;
  const origin = {
    capability: 'containment' as const,
    networkId: at.networkId,
    safeguard: 'containment.maxPerHour',
    figures: { limit: deps.maxPerHour ?? 0 },
    stem: stemOf('containment', at.networkId, Math.floor(now / 3_600_000) * 3_600_000),
  };
  const subject = { subject: at.userId, version: at.since, action: 'contain' };
  const { holdId, created } = await holds.hold(origin, [subject], now, holdMs);
  deps.logger.warn('Containment held by the safety rail', { networkId: at.networkId, userId: at.userId, holdId });
  if (created) await announceHold(deps, origin, holdId, new Date(now + holdMs).toISOString());
  await deps.publisher.publish('Wickr Account Containment Held', {
    networkId: at.networkId,
    userId: at.userId,
    caseIds: at.caseIds,
    holdId,
    ...(at.eventId ? { eventId: at.eventId } : {}),
  });
  return { result: 'held', networkId: at.networkId, userId: at.userId };
}

async function suspend(deps: ContainmentDeps, networkId: string, userId: string, on: boolean, clientToken: string) {
  const answer = await deps.wickr.batchToggleUserSuspendStatus({
    networkId,
    suspend: on,
    userIds: [userId],
    clientToken,
  });
  if (answer.failed.length > 0) {
    throw new ContainmentError(`Wickr refused to ${on ? 'suspend' : 'unsuspend'} user ${userId}`, {
      retryable: false,
      code: on ? 'SUSPEND_REFUSED' : 'UNSUSPEND_REFUSED',
    });
  }
}

/** Every device still active, reset 50 to a call. */
async function signOutDevices(
  deps: ContainmentDeps,
  networkId: string,
  userId: string,
  token: (what: string) => string,
): Promise<string[]> {
  const active: string[] = [];
  for await (const page of deps.wickr.paginateDevicesForUser({ networkId, userId, maxResults: 100 })) {
    for (const d of page.devices) if (d.appId && d.statusText !== 'Reset') active.push(d.appId);
  }
  for (let i = 0; i < active.length; i += 50) {
    const appIds = active.slice(i, i + 50);
    await deps.wickr.batchResetDevicesForUser({ networkId, userId, appIds, clientToken: token(`devices-${i / 50}`) });
  }
  return active;
}
