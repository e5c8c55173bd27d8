/**
 * The network's data retention bot as `GetDataRetentionBot` shows it: whether one exists, is active, registered and
 * has acknowledged its public key, and whether the service is enabled (the network setting `dataRetention`).
 */
import type { OperationName } from '../../../lib/wickr/request-schemas.js';
import type { Handler } from './paging.js';

export const dataRetentionHandlers: Readonly<Record<Extract<OperationName, 'GetDataRetentionBot'>, Handler>> = {
  GetDataRetentionBot: (s, { networkId }) => {
    const network = s.network(networkId);
    const bot = network.dataRetentionBot;
    return {
      ...(bot ? { botName: bot.botName } : {}),
      botExists: bot !== undefined,
      isBotActive: bot?.isBotActive ?? false,
      isDataRetentionBotRegistered: bot?.isDataRetentionBotRegistered ?? false,
      isDataRetentionServiceEnabled: network.settings.dataRetention === true,
      isPubkeyMsgAcked: bot?.isPubkeyMsgAcked ?? false,
    };
  },
};
