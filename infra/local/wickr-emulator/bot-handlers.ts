/**
 * Bots as the API shows them: listed with filters (`ListBots`), read (`GetBot`), suspended, moved to another group,
 * renamed or given a new password (`UpdateBot`), and counted (`GetBotsCount`).
 */
import type { OperationName } from '../../../lib/wickr/request-schemas.js';
import { type BotState, EmulatorError, type NetworkState } from './emulator-state.js';
import { type Handler, page } from './paging.js';

const botOf = (network: NetworkState, botId: string): BotState => {
  const bot = network.bots.get(botId);
  if (!bot) throw new EmulatorError(404, 'ResourceNotFoundError', 'Bot not found');
  return bot;
};

const view = (b: BotState) => ({ ...b, uname: `u${b.botId}` });

export const botHandlers: Readonly<
  Record<Extract<OperationName, 'ListBots' | 'GetBot' | 'UpdateBot' | 'GetBotsCount'>, Handler>
> = {
  ListBots: (s, input) => {
    const bots = [...s.network(input.networkId).bots.values()].filter(
      (b) =>
        (!input.username || b.username === input.username) &&
        (!input.displayName || b.displayName === input.displayName) &&
        (input.status === undefined || b.status === input.status) &&
        (!input.groupId || b.groupId === input.groupId),
    );
    const { items, nextToken } = page(bots.map(view), input, 'username');
    return { bots: items, ...(nextToken ? { nextToken } : {}) };
  },
  GetBot: (s, { networkId, botId }) => view(botOf(s.network(networkId), botId)),
  UpdateBot: (s, { networkId, botId, displayName, groupId, challenge, suspend }) => {
    const network = s.network(networkId);
    const bot = botOf(network, botId);
    if (groupId !== undefined) {
      s.group(network, groupId);
      bot.groupId = groupId;
    }
    if (displayName !== undefined) bot.displayName = displayName;
    if (challenge !== undefined) bot.hasChallenge = true;
    if (suspend !== undefined) bot.suspended = suspend;
    return { message: 'Bot updated successfully' };
  },
  GetBotsCount: (s, { networkId }) => {
    const bots = [...s.network(networkId).bots.values()];
    const active = bots.filter((b) => b.status === 2).length;
    return { pending: bots.length - active, active, total: bots.length };
  },
};
