/**
 * A bot as a containment subject (`bot:<username>`): an account with a static password, which a stolen password
 * keeps open whatever happens to people. Found by its username on every managed network (`ListBots`), each network
 * an account of its own with the same cases and rules as a person's: suspended while any case is open (and moved to
 * the quarantine group where the policy quarantines that source), released exactly — unsuspended only where the
 * containment suspended it, and back to the group it came from.
 */
import type { AccountFact } from '../events/account-events.js';
import { openCases, planContainment } from './account-case.js';
import type { AccountOutcome } from './account-outcome.js';
import type { AccountRecord, ContainmentDeps } from './ports.js';
import { groupOf, quarantines } from './quarantine.js';
import { networksOf, takeOnEach, unresolvedFact } from './subject-fact.js';

const prefix = 'bot:';

/** Whether a fact's subject is a bot (`bot:<username>`). */
export const isBotSubject = (subject: string) => subject.startsWith(prefix);

/** The account id a bot's record has on a network. */
const accountOf = (botId: string) => `${prefix}${botId}`;

/** Takes a fact about a bot: recorded and reconciled on every managed network that has a bot of that username. */
export async function takeBotFact(deps: ContainmentDeps, fact: AccountFact): Promise<AccountOutcome> {
  const username = fact.subject.slice(prefix.length);
  const networks = networksOf(deps, fact);
  if (typeof networks === 'string') return unresolvedFact(deps, fact, networks);
  const found: { networkId: string; botId: string }[] = [];
  for (const networkId of networks) {
    for await (const page of deps.wickr.paginateBots({ networkId, username, maxResults: 100 })) {
      const bot = page.bots.find((b) => b.username === username && b.botId);
      if (bot?.botId) found.push({ networkId, botId: bot.botId });
    }
  }
  if (found.length === 0) return unresolvedFact(deps, fact, 'no managed network has a bot of that username');
  return takeOnEach(
    deps,
    fact,
    found.map(({ networkId, botId }) => ({
      networkId,
      userId: accountOf(botId),
      reconcile: () => reconcileBot(deps, networkId, botId, fact.eventId),
    })),
  );
}

/** Brings one bot on one network to what its cases say. */
export async function reconcileBot(
  deps: ContainmentDeps,
  networkId: string,
  botId: string,
  eventId?: string,
): Promise<AccountOutcome> {
  const userId = accountOf(botId);
  const account = (await deps.accounts.get(networkId, userId)) as AccountRecord;
  const live = await deps.wickr.getBot({ networkId, botId });
  const step = planContainment(account.cases, account.applied, { suspended: live.suspended === true }, { left: false });
  const ids = { networkId, userId, bot: botId, ...(eventId ? { eventId } : {}) };
  const cases = openCases(account.cases);
  if (step.kind === 'contain') {
    if (deps.admit && !cases.some((c) => c.source === 'on-call') && !(await deps.admit())) {
      await deps.publisher.publish('Wickr Account Containment Refused', {
        ...ids,
        caseIds: cases.map((c) => c.caseId),
        reason: 'more accounts this hour than containment.maxPerHour; the on-call suspends a bot by hand if it is real',
      });
      return { result: 'refused', networkId, userId };
    }
    const from = live.groupId;
    const quarantineId = quarantines(deps, cases[0]?.source) && from ? await groupOf(deps, networkId) : undefined;
    const moved = quarantineId && quarantineId !== from ? quarantineId : undefined;
    if (step.suspend || moved) {
      await deps.wickr.updateBot({
        networkId,
        botId,
        ...(step.suspend ? { suspend: true } : {}),
        ...(moved ? { groupId: moved } : {}),
      });
    }
    const applied = {
      containedSince: step.since,
      suspendedByUs: step.suspend,
      ...(moved && from ? { quarantine: { groupId: moved, from: [from] } } : {}),
    };
    if (!(await deps.accounts.putApplied(networkId, userId, applied, account.revision))) {
      return reconcileBot(deps, networkId, botId, eventId);
    }
    deps.logger.info('Bot contained', { networkId, botId, suspended: step.suspend, quarantined: Boolean(moved) });
    deps.metrics?.add('AccountsContained', 1);
    const steps = [step.suspend ? 'suspended' : 'already-suspended', ...(moved ? ['quarantined'] : [])];
    await deps.publisher.publish('Wickr Account Contained', {
      ...ids,
      caseIds: cases.map((c) => c.caseId),
      steps,
      timeToContainMs: Math.max(0, deps.nowMs() - Date.parse(step.openedAt)),
    });
    return { result: 'contained', networkId, userId };
  }
  if (step.kind === 'release') return releaseBot(deps, { account, live, ids, botId }, step.unsuspend);
  await deps.publisher.publish('Wickr Account Unchanged', {
    ...ids,
    contained: Boolean(account.applied.containedSince),
    openCases: cases.map((c) => c.caseId),
  });
  return { result: 'unchanged', networkId, userId };
}

/** The last case cleared: unsuspended if the suspension was the containment's, back to its group if still quarantined. */
async function releaseBot(
  deps: ContainmentDeps,
  v: {
    account: AccountRecord;
    live: { groupId?: string | undefined };
    ids: { networkId: string; userId: string; eventId?: string };
    botId: string;
  },
  unsuspend: boolean,
): Promise<AccountOutcome> {
  const { networkId, userId, eventId } = v.ids;
  const kept = v.account.applied.quarantine;
  // Back to the group it came from only if it is still where containment put it (an admin's move stands).
  const back = kept && v.live.groupId === kept.groupId ? kept.from[0] : undefined;
  if (unsuspend || back) {
    await deps.wickr.updateBot({
      networkId,
      botId: v.botId,
      ...(unsuspend ? { suspend: false } : {}),
      ...(back ? { groupId: back } : {}),
    });
  }
  if (!(await deps.accounts.putApplied(networkId, userId, {}, v.account.revision))) {
    return reconcileBot(deps, networkId, v.botId, eventId);
  }
  deps.logger.info('Bot released', { networkId, botId: v.botId, unsuspended: unsuspend });
  await deps.publisher.publish('Wickr Account Released', {
    ...v.ids,
    caseIds: Object.keys(v.account.cases),
    unsuspended: unsuspend,
    ...(back ? { groupIds: [back] } : {}),
    note: unsuspend ? 'unsuspended' : 'left suspended: the suspension was not this containment’s',
  });
  return { result: 'released', networkId, userId };
}
