/**
 * An operator's decision on a review hold, carried out: the proposed suspensions re-checked against the accounts as
 * they stand now and applied — or nothing, when rejected or expired.
 */
import { deterministicToken } from '../deterministic-token.js';
import { compileGlob } from '../glob.js';
import { holdToApply, settleApproved } from '../holds/hold-verdict.js';
import { WickrResourceNotFoundError } from '../wickr/index.js';
import { AccessReviewError } from './errors.js';
import type { ReviewDeps } from './ports.js';
import { classifyAccount } from './review-class.js';
import { classifyBot } from './review-guests-bots.js';

/** BatchToggleUserSuspendStatus's documented largest batch. */
const suspendBatch = 50;

/**
 * Carries out the decision on a review hold (read from where only the operators may write it — the nudge carries no
 * authority). Approval suspends each proposed account (or bot) that still falls in the class it was proposed for (a
 * leaver suspended by hand meanwhile, an orphan HR has since provisioned, a bot that signed in since, is left alone);
 * rejection or expiry settles the hold and suspends no one.
 */
export async function applyReviewHold(deps: ReviewDeps, holdId: string) {
  const holds = deps.holds;
  if (!holds) return { holdId, status: 'unknown' as const };
  const toApply = await holdToApply({ ...deps, holds }, holdId, 'review', deps.nowMs());
  if (!toApply.apply) return { holdId, status: toApply.status };
  const { hold, decision, nowMs: now } = toApply;
  const provisioned = await deps.accounts.ofNetwork(hold.networkId);
  const rules = { nowMs: now, inactiveDays: deps.rules.inactiveDays, exempt: deps.rules.exempt.map(compileGlob) };
  const still: string[] = [];
  const bots: string[] = [];
  for (const subject of hold.subjects) {
    if (subject.action === 'suspend-bot') {
      const botId = subject.subject.slice('bot:'.length);
      if (await botStillIn(deps, hold.networkId, botId, subject.version, now)) bots.push(botId);
      continue;
    }
    const userId = subject.userId ?? subject.subject;
    try {
      const user = await deps.wickr.getUser({ networkId: hold.networkId, userId });
      const verdictNow = classifyAccount(
        {
          userId,
          username: user.username ?? '',
          status: user.status,
          suspended: user.suspended,
          isAdmin: user.isAdmin,
          securityGroups: user.securityGroupIds ?? [],
          lastLogin: user.lastLogin,
          lastActivity: user.lastActivity,
        },
        provisioned.get(userId),
        rules,
      );
      if (verdictNow.class === subject.version) still.push(userId);
    } catch (error) {
      if (!(error instanceof WickrResourceNotFoundError)) throw error;
    }
  }
  for (let i = 0; i < still.length; i += suspendBatch) {
    const userIds = still.slice(i, i + suspendBatch);
    const answer = await deps.wickr.batchToggleUserSuspendStatus({
      networkId: hold.networkId,
      suspend: true,
      userIds,
      clientToken: deterministicToken('review-hold', holdId, String(i)),
    });
    if (answer.failed.length > 0) {
      throw new AccessReviewError(`Wickr refused to suspend ${answer.failed.length} of ${userIds.length} users`, {
        retryable: false,
        code: 'SUSPEND_REFUSED',
      });
    }
  }
  for (const botId of bots) await deps.wickr.updateBot({ networkId: hold.networkId, botId, suspend: true });
  const applied = still.length + bots.length;
  const result = { held: hold.subjects.length, applied, skipped: hold.subjects.length - applied };
  await settleApproved({ ...deps, holds }, hold, decision, now, result);
  deps.logger.info('Review hold carried out', { holdId, ...result });
  return { holdId, status: 'approved' as const, result };
}

/** Whether a bot proposed for `version` (its class then) is in that class still; a bot gone since is not. */
async function botStillIn(deps: ReviewDeps, networkId: string, botId: string, version: string, nowMs: number) {
  try {
    const bot = await deps.wickr.getBot({ networkId, botId });
    return classifyBot(bot, { nowMs, inactiveDays: deps.rules.inactiveDays }) === version;
  } catch (error) {
    if (error instanceof WickrResourceNotFoundError) return false;
    throw error;
  }
}
