/**
 * What a network says of its own posture: its data retention bot as `GetDataRetentionBot` shows it (whether one
 * exists, is active, registered and has acknowledged its public key, and whether the service — the network setting
 * `dataRetention` — is on), its SSO configuration (`GetOidcInfo`, the secret included, as the service returns it) and
 * its users by status (`GetUsersCount`).
 */
import type { OperationName } from '../../../lib/wickr/request-schemas.js';
import type { Handler } from './paging.js';

export const postureHandlers: Readonly<
  Record<Extract<OperationName, 'GetDataRetentionBot' | 'GetOidcInfo' | 'GetUsersCount'>, Handler>
> = {
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
  GetOidcInfo: (s, { networkId }) => {
    const { oidc } = s.network(networkId);
    return oidc ? { openidConnectInfo: { applicationId: 1, ...oidc } } : {};
  },
  GetUsersCount: (s, { networkId }) => {
    const users = [...s.network(networkId).users.values()];
    const count = (status: number) => users.filter((u) => u.status === status).length;
    return { pending: count(1), active: count(2), rejected: 0, remaining: 0, total: users.length };
  },
};
