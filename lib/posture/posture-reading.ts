/**
 * A network's posture as the Wickr Admin API shows it: its data retention, its SSO configuration, its encryption key
 * and its counts of users and bots. The SSO fields are kept as digests, and the secrets (`clientSecret`, `secret`)
 * are dropped the moment the answer is read: they are never stored, logged or published.
 */
import { createHash } from 'node:crypto';
import type { WickrAdminClient } from '../wickr/index.js';

/** The SSO fields watched: a changed issuer is a network-wide takeover. */
export const ssoFields = ['issuer', 'clientId', 'companyId', 'redirectUrl', 'scopes'] as const;
export type SsoField = (typeof ssoFields)[number];

/** What a network's posture is at one moment. */
export interface PostureReading {
  readonly dataRetention: {
    /** The network setting `dataRetention`. */
    readonly setting: boolean;
    readonly botExists: boolean;
    readonly isBotActive: boolean;
    readonly isDataRetentionServiceEnabled: boolean;
    readonly isPubkeyMsgAcked: boolean;
  };
  /** Digests of the SSO fields (absent: not configured). */
  readonly sso: Readonly<Partial<Record<SsoField, string>>>;
  readonly encryptionKeyArn: string | null;
  readonly users: number;
  readonly bots: number;
}

/** A value's digest: enough to tell a change, nothing to read the value back by. */
export const digest = (value: string) => `sha256:${createHash('sha256').update(value).digest('hex').slice(0, 16)}`;

/** The Wickr reads a posture takes: six requests per network. */
export type PostureWickr = Pick<
  WickrAdminClient,
  'getNetwork' | 'getNetworkSettings' | 'getDataRetentionBot' | 'getOidcInfo' | 'getUsersCount' | 'getBotsCount'
>;

/** Reads a network's posture. */
export async function readPosture(wickr: PostureWickr, networkId: string): Promise<PostureReading> {
  const [network, settings, bot, oidc, users, bots] = await Promise.all([
    wickr.getNetwork({ networkId }),
    wickr.getNetworkSettings({ networkId }),
    wickr.getDataRetentionBot({ networkId }),
    wickr.getOidcInfo({ networkId }),
    wickr.getUsersCount({ networkId }),
    wickr.getBotsCount({ networkId }),
  ]);
  const info = (oidc.openidConnectInfo ?? {}) as Partial<Record<SsoField, unknown>>;
  const sso: Partial<Record<SsoField, string>> = {};
  for (const field of ssoFields) {
    const value = info[field];
    if (typeof value === 'string' && value !== '') sso[field] = digest(value);
  }
  return {
    dataRetention: {
      setting: settings.settings.some((s) => s.optionName === 'dataRetention' && s.value === 'true'),
      botExists: bot.botExists === true,
      isBotActive: bot.isBotActive === true,
      isDataRetentionServiceEnabled: bot.isDataRetentionServiceEnabled === true,
      isPubkeyMsgAcked: bot.isPubkeyMsgAcked === true,
    },
    sso,
    encryptionKeyArn: network.encryptionKeyArn ?? null,
    users: users.total,
    bots: bots.total,
  };
}
