/**
 * The accounts of an access review that are not people of ours: the guests a network saw (people of other networks,
 * by username hash: when last seen, whether blocked) and the bots (accounts with a static password), each bot in a
 * class — suspended, inactive (no sign-in for `inactiveDays`, or never), or ok.
 */
import type { ReviewDeps } from './ports.js';

/** A bot's class in the review. */
export type BotClass = 'bot-ok' | 'bot-inactive' | 'bot-suspended';

/** A guest as the report lists it. */
export interface GuestRow {
  readonly usernameHash: string;
  /** The month last seen (`YYYY-MM`). */
  readonly lastSeen: string;
  readonly blocked: boolean;
}

/** A bot as the report lists it (its id and group; its username is the operator's own naming). */
export interface BotRow {
  readonly botId: string;
  readonly username: string;
  readonly groupId: string;
  readonly class: BotClass;
  readonly lastLogin?: string | undefined;
}

const day = 86_400_000;

/** A bot's class, from what GetBot or ListBots says of it. */
export function classifyBot(
  bot: { readonly suspended?: boolean | undefined; readonly lastLogin?: string | undefined },
  rules: { readonly nowMs: number; readonly inactiveDays?: number | undefined },
): BotClass {
  if (bot.suspended) return 'bot-suspended';
  if (rules.inactiveDays === undefined) return 'bot-ok';
  const last = bot.lastLogin ? Date.parse(bot.lastLogin) : Number.NaN;
  if (Number.isNaN(last)) return 'bot-inactive';
  return (rules.nowMs - last) / day >= rules.inactiveDays ? 'bot-inactive' : 'bot-ok';
}

/** The guests (by hash) and bots (by id) of one network. */
export async function guestsAndBots(
  deps: Pick<ReviewDeps, 'wickr' | 'rules' | 'nowMs'>,
  networkId: string,
): Promise<{ guests: GuestRow[]; bots: BotRow[] }> {
  const blocked = new Set<string>();
  for await (const page of deps.wickr.paginateBlockedGuestUsers({ networkId, maxResults: 100 })) {
    for (const g of page.blocklist) blocked.add(g.usernameHash);
  }
  const guests = new Map<string, GuestRow>();
  for await (const page of deps.wickr.paginateGuestUsers({ networkId, maxResults: 100 })) {
    for (const g of page.guestlist) {
      const kept = guests.get(g.usernameHash);
      // One row per guest: the latest month it was seen.
      if (!kept || kept.lastSeen < g.billingPeriod) {
        guests.set(g.usernameHash, {
          usernameHash: g.usernameHash,
          lastSeen: g.billingPeriod,
          blocked: blocked.has(g.usernameHash),
        });
      }
    }
  }
  const rules = { nowMs: deps.nowMs(), inactiveDays: deps.rules.inactiveDays };
  const bots: BotRow[] = [];
  for await (const page of deps.wickr.paginateBots({ networkId, maxResults: 100 })) {
    for (const b of page.bots) {
      if (!b.botId) continue;
      bots.push({
        botId: b.botId,
        username: b.username ?? '',
        groupId: b.groupId ?? '',
        class: classifyBot(b, rules),
        ...(b.lastLogin ? { lastLogin: b.lastLogin } : {}),
      });
    }
  }
  // In a stable order, whatever order the API pages in.
  const byKey =
    <T>(key: (t: T) => string) =>
    (a: T, b: T) =>
      key(a).localeCompare(key(b));
  return {
    guests: [...guests.values()].sort(byKey((g) => g.usernameHash)),
    bots: bots.sort(byKey((b) => b.botId.padStart(10, '0'))),
  };
}
