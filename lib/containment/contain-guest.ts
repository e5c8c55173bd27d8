/**
 * A guest as a containment subject (`guest:<usernameHash>`): a person of another Wickr network who talks to ours.
 * Suspending reaches only our own users; a guest is blocked instead, on every managed network that has seen them
 * (`ListGuestUsers`, the last 90 days), each network an account of its own with the same cases and the same rules:
 * contained while any case is open, released exactly — unblocked only where this containment blocked (a guest an
 * admin blocked stays blocked).
 */
import type { AccountFact } from '../events/account-events.js';
import { openCases, planContainment } from './account-case.js';
import type { AccountOutcome } from './account-outcome.js';
import type { AccountRecord, ContainmentDeps } from './ports.js';
import { networksOf, takeOnEach, unresolvedFact } from './subject-fact.js';

const prefix = 'guest:';

/** Whether a fact's subject is a guest (`guest:<usernameHash>`). */
export const isGuestSubject = (subject: string) => subject.startsWith(prefix);

/** The account id a guest's record has on a network: its subject. */
const accountOf = (usernameHash: string) => `${prefix}${usernameHash}`;

async function seenOn(deps: ContainmentDeps, networkId: string, usernameHash: string): Promise<boolean> {
  for await (const page of deps.wickr.paginateGuestUsers({ networkId, maxResults: 100 })) {
    if (page.guestlist.some((g) => g.usernameHash === usernameHash)) return true;
  }
  return blockedOn(deps, networkId, usernameHash);
}

async function blockedOn(deps: ContainmentDeps, networkId: string, usernameHash: string): Promise<boolean> {
  for await (const page of deps.wickr.paginateBlockedGuestUsers({ networkId, maxResults: 100 })) {
    if (page.blocklist.some((g) => g.usernameHash === usernameHash)) return true;
  }
  return false;
}

/** Takes a fact about a guest: recorded and reconciled on every managed network that has seen them. */
export async function takeGuestFact(deps: ContainmentDeps, fact: AccountFact): Promise<AccountOutcome> {
  const usernameHash = fact.subject.slice(prefix.length);
  if (!/^[A-Za-z0-9+/=_-]{1,256}$/.test(usernameHash)) {
    return unresolvedFact(deps, fact, 'the guest is named by its username hash');
  }
  const networks = networksOf(deps, fact);
  if (typeof networks === 'string') return unresolvedFact(deps, fact, networks);
  const seen: string[] = [];
  for (const networkId of networks) if (await seenOn(deps, networkId, usernameHash)) seen.push(networkId);
  if (seen.length === 0)
    return unresolvedFact(deps, fact, 'no managed network has seen that guest in the last 90 days');
  const userId = accountOf(usernameHash);
  return takeOnEach(
    deps,
    fact,
    seen.map((networkId) => ({
      networkId,
      userId,
      reconcile: () => reconcileGuest(deps, networkId, usernameHash, fact.eventId),
    })),
  );
}

/** Brings one guest on one network to what its cases say: blocked while any is open, released exactly. */
export async function reconcileGuest(
  deps: ContainmentDeps,
  networkId: string,
  usernameHash: string,
  eventId?: string,
): Promise<AccountOutcome> {
  const userId = accountOf(usernameHash);
  const account = (await deps.accounts.get(networkId, userId)) as AccountRecord;
  const blocked = await blockedOn(deps, networkId, usernameHash);
  const step = planContainment(account.cases, account.applied, { suspended: blocked }, { left: false });
  const ids = { networkId, userId, guest: usernameHash, ...(eventId ? { eventId } : {}) };
  const cases = openCases(account.cases).map((c) => c.caseId);
  if (step.kind === 'contain') {
    if (deps.admit && !openCases(account.cases).some((c) => c.source === 'on-call') && !(await deps.admit())) {
      await deps.publisher.publish('Wickr Account Containment Refused', {
        ...ids,
        caseIds: cases,
        reason: 'more accounts this hour than containment.maxPerHour; the on-call blocks a guest by hand if it is real',
      });
      return { result: 'refused', networkId, userId };
    }
    if (step.suspend) await deps.wickr.updateGuestUser({ networkId, usernameHash, block: true });
    const applied = { containedSince: step.since, suspendedByUs: step.suspend };
    if (!(await deps.accounts.putApplied(networkId, userId, applied, account.revision))) {
      return reconcileGuest(deps, networkId, usernameHash, eventId);
    }
    deps.logger.info('Guest contained', { networkId, usernameHash, blocked: step.suspend });
    deps.metrics?.add('AccountsContained', 1);
    await deps.publisher.publish('Wickr Account Contained', {
      ...ids,
      caseIds: cases,
      steps: [step.suspend ? 'blocked' : 'already-blocked'],
      timeToContainMs: Math.max(0, deps.nowMs() - Date.parse(step.openedAt)),
    });
    return { result: 'contained', networkId, userId };
  }
  if (step.kind === 'release') {
    const toLockdown = step.unsuspend && ((await deps.guestToLockdown?.(networkId, usernameHash)) ?? false);
    if (step.unsuspend && !toLockdown) await deps.wickr.updateGuestUser({ networkId, usernameHash, block: false });
    if (!(await deps.accounts.putApplied(networkId, userId, {}, account.revision))) {
      return reconcileGuest(deps, networkId, usernameHash, eventId);
    }
    deps.logger.info('Guest released', { networkId, usernameHash, unblocked: step.unsuspend });
    await deps.publisher.publish('Wickr Account Released', {
      ...ids,
      caseIds: Object.keys(account.cases),
      unsuspended: step.unsuspend && !toLockdown,
      note: toLockdown
        ? 'left blocked: a lockdown blocks every guest of the network; its lift unblocks them'
        : step.unsuspend
          ? 'unblocked'
          : 'left blocked: the block was not this containment’s',
    });
    return { result: 'released', networkId, userId };
  }
  await deps.publisher.publish('Wickr Account Unchanged', {
    ...ids,
    contained: Boolean(account.applied.containedSince),
    openCases: cases,
  });
  return { result: 'unchanged', networkId, userId };
}
