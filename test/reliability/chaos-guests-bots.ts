/**
 * Guests and bots in the chaos history, and the channels a SEV1 closes besides settings: each incident network starts
 * with four guests (some blocked by an admin) and two bots (some suspended by an admin); some get containment cases
 * like the employees' (`guest:<hash>`, `bot:<username>`), and the SEV1 playbook blocks every guest for its life
 * (`guests: block-all`). The oracle: a guest ends blocked when an admin blocked it, a case of it is still open, or an
 * active incident's playbook blocks every guest of its network; a bot ends suspended (in the quarantine group) when a
 * case is open, else as the admin left it, in its own group.
 */
import type { EmulatorSeed } from '../../infra/local/wickr-emulator/index.js';

type SeedNetwork = EmulatorSeed['networks'][number];

/** A network's guests and bots as they start. */
export interface GuestsAndBots {
  readonly guests: readonly { readonly usernameHash: string; readonly adminBlocked: boolean }[];
  readonly bots: readonly {
    readonly botId: string;
    readonly username: string;
    readonly groupId: string;
    readonly adminSuspended: boolean;
  }[];
}

/** The guests and bots of one network, for its seed and the oracle. */
export function guestsAndBots(networkId: string, random: () => number): GuestsAndBots {
  return {
    guests: Array.from({ length: 4 }, (_, i) => ({
      usernameHash: `cg${networkId}x${i}`,
      adminBlocked: random() < 0.25,
    })),
    bots: Array.from({ length: 2 }, (_, i) => ({
      botId: `${networkId.slice(0, 2)}0${i}`,
      username: `chaos-bot-${networkId}-${i}`,
      groupId: `${networkId}-g${i + 1}`,
      adminSuspended: random() < 0.2,
    })),
  };
}

/** The seed's guests and bots. */
export function seedOf(start: GuestsAndBots): Pick<SeedNetwork, 'guests' | 'bots'> {
  return {
    guests: start.guests.map((g) => ({
      usernameHash: g.usernameHash,
      username: `${g.usernameHash}@partner.example`,
      billingPeriod: '2026-11',
      blocked: g.adminBlocked,
      ...(g.adminBlocked ? { blockedBy: 'admin' } : {}),
    })),
    bots: start.bots.map((b) => ({
      botId: b.botId,
      username: b.username,
      displayName: 'Chaos',
      groupId: b.groupId,
      suspended: b.adminSuspended,
    })),
  };
}

/** The containment subjects of a network's guests and bots, as the account lives name them. */
export const subjectsOf = (networkId: string, start: GuestsAndBots) => [
  ...start.guests.map((g) => ({ employeeId: `guest:${g.usernameHash}`, networkId })),
  ...start.bots.map((b) => ({ employeeId: `bot:${b.username}`, networkId })),
];

/** What the oracle states of a network's guests and bots at the end. */
export function guestBotExpectations(
  networkId: string,
  start: GuestsAndBots,
  end: {
    readonly contained: ReadonlySet<string>;
    readonly blockAll: boolean;
    readonly quarantineGroupId: string | undefined;
  },
) {
  return [
    ...start.guests.map((g) => ({
      what: `${networkId} guest ${g.usernameHash} blocked`,
      usernameHash: g.usernameHash,
      blocked: g.adminBlocked || end.contained.has(`guest:${g.usernameHash}`) || end.blockAll,
    })),
    ...start.bots.map((b) => {
      const contained = end.contained.has(`bot:${b.username}`);
      return {
        what: `${networkId} bot ${b.username}`,
        botId: b.botId,
        state: { suspended: contained || b.adminSuspended, groupId: contained ? end.quarantineGroupId : b.groupId },
      };
    }),
  ];
}
