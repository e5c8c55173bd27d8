/**
 * The containment sweep: every account under containment read back from Wickr on a schedule, and what someone undid
 * by hand — a suspension lifted, the user moved out of quarantine — made true again and reported. A containment is a
 * desired state, not a one-off action: a side door (the console, another tool) must not quietly end it.
 */
import { deterministicToken } from '../deterministic-token.js';
import { openCases } from './account-case.js';
import { isBotSubject } from './contain-bot.js';
import { isGuestSubject } from './contain-guest.js';
import { ContainmentError } from './errors.js';
import type { ContainmentDeps } from './ports.js';

/** What one sweep found and restored. */
export interface SweepReport {
  readonly result: 'swept';
  readonly checked: number;
  readonly restored: readonly { networkId: string; userId: string; drift: readonly string[] }[];
}

/** Sweeps every contained account of every network; `tick` (the schedule's time) keys the restoring requests. */
export async function sweepContainments(deps: ContainmentDeps, tick: string): Promise<SweepReport> {
  let checked = 0;
  const restored: SweepReport['restored'][number][] = [];
  for (const networkId of deps.networkIds) {
    for (const account of await deps.accounts.list(networkId)) {
      const { applied } = account;
      if (!applied.containedSince || openCases(account.cases).length === 0) continue;
      checked++;
      if (isGuestSubject(account.userId) || isBotSubject(account.userId)) {
        const drift = isGuestSubject(account.userId)
          ? await reblockGuest(deps, networkId, account.userId)
          : await resuspendBot(deps, networkId, account.userId);
        if (drift) restored.push({ networkId, userId: account.userId, drift: [drift] });
        continue;
      }
      const live = await deps.wickr.getUser({ networkId, userId: account.userId });
      const drift: string[] = [];
      // Restored with a token of this tick: the containment's own token would be answered with its first answer.
      const token = (what: string) => deterministicToken('sweep', networkId, account.userId, tick, what);
      if (live.suspended !== true) {
        const answer = await deps.wickr.batchToggleUserSuspendStatus({
          networkId,
          suspend: true,
          userIds: [account.userId],
          clientToken: token('suspend'),
        });
        if (answer.failed.length > 0) {
          throw new ContainmentError(`Wickr refused to suspend user ${account.userId} again`, {
            retryable: false,
            code: 'SUSPEND_REFUSED',
          });
        }
        drift.push('unsuspended');
      }
      const quarantineId = applied.quarantine?.groupId;
      const groups = live.securityGroupIds ?? [];
      if (quarantineId && !(groups.length === 1 && groups[0] === quarantineId)) {
        await deps.wickr.updateUser({
          networkId,
          userId: account.userId,
          userDetails: { securityGroupIds: [quarantineId] },
        });
        drift.push('moved-out-of-quarantine');
      }
      if (drift.length === 0) continue;
      restored.push({ networkId, userId: account.userId, drift });
      deps.logger.warn('Containment undone by hand, restored', { networkId, userId: account.userId, drift });
      deps.metrics?.add('ContainmentDrift', 1);
      await deps.publisher.publish('Wickr Account Containment Restored', {
        networkId,
        userId: account.userId,
        employeeId: account.employeeId,
        caseIds: openCases(account.cases).map((c) => c.caseId),
        drift,
      });
    }
  }
  return { result: 'swept', checked, restored };
}

/** A contained guest an admin unblocked by hand is blocked again (`unblocked`), or nothing. */
async function reblockGuest(deps: ContainmentDeps, networkId: string, userId: string) {
  const usernameHash = userId.slice('guest:'.length);
  for await (const page of deps.wickr.paginateBlockedGuestUsers({ networkId, maxResults: 100 })) {
    if (page.blocklist.some((g) => g.usernameHash === usernameHash)) return undefined;
  }
  await deps.wickr.updateGuestUser({ networkId, usernameHash, block: true });
  return restored(deps, { networkId, userId, guest: usernameHash }, 'unblocked');
}

/** A contained bot an admin unsuspended by hand is suspended again (`unsuspended`), or nothing. */
async function resuspendBot(deps: ContainmentDeps, networkId: string, userId: string) {
  const botId = userId.slice('bot:'.length);
  if ((await deps.wickr.getBot({ networkId, botId })).suspended === true) return undefined;
  await deps.wickr.updateBot({ networkId, botId, suspend: true });
  return restored(deps, { networkId, userId, bot: botId }, 'unsuspended');
}

/** Says that a containment undone by hand was restored, and how; the drift. */
async function restored<D extends string>(
  deps: ContainmentDeps,
  ids: { networkId: string; userId: string; guest?: string; bot?: string },
  drift: D,
): Promise<D> {
  deps.logger.warn('Containment undone by hand, restored', { ...ids, drift });
  deps.metrics?.add('ContainmentDrift', 1);
  await deps.publisher.publish('Wickr Account Containment Restored', { ...ids, drift: [drift] });
  return drift;
}
