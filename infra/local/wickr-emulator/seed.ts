import * as z from 'zod/mini';
import { ConsentPopupConfigInput } from '../../../lib/wickr/request-schemas.js';

const SeedGroup = z.object({
  id: z.string().check(z.regex(/^\S+$/)),
  name: z.string(),
  isDefault: z._default(z.boolean(), false),
  activeDirectoryGuid: z.optional(z.string()),
  modified: z.optional(z.number()),
  securityGroupSettings: z._default(z.record(z.string(), z.unknown()), () => ({})),
});

/** A device a user signed in on (`BasicDeviceObject`); `statusText` becomes `Reset` when an admin resets it. */
const SeedDevice = z.object({
  appId: z.string().check(z.minLength(1)),
  type: z._default(z.string(), 'iOS'),
  created: z._default(z.string(), '2026-01-05T09:00:00Z'),
  lastLogin: z.optional(z.string()),
  statusText: z._default(z.enum(['Active', 'Reset']), 'Active'),
  suspend: z._default(z.boolean(), false),
});

const SeedUser = z.object({
  userId: z.string().check(z.regex(/^[0-9]{1,10}$/)),
  username: z.string(),
  firstName: z.optional(z.string()),
  lastName: z.optional(z.string()),
  securityGroupIds: z.array(z.string()),
  suspended: z._default(z.boolean(), false),
  status: z._default(z.number(), 2),
  isAdmin: z._default(z.boolean(), false),
  /** A pending user's invitation has lapsed (`isInviteExpired` in the API's `User`). */
  isInviteExpired: z._default(z.boolean(), false),
  /** Epoch seconds, as GetUser answers them; absent: never signed in. */
  lastLogin: z.optional(z.number().check(z.int(), z.gte(0))),
  lastActivity: z.optional(z.number().check(z.int(), z.gte(0))),
  devices: z._default(z.array(SeedDevice), () => []),
});

/** A guest: a person of another network who talked to this one. */
const SeedGuest = z.object({
  usernameHash: z.string().check(z.minLength(1)),
  username: z.string(),
  billingPeriod: z.string().check(z.regex(/^\d{4}-\d{2}$/)),
  blocked: z._default(z.boolean(), false),
  blockedBy: z.optional(z.string()),
});

/** A bot: an account with a static password, in one security group. */
const SeedBot = z.object({
  botId: z.string().check(z.regex(/^[0-9]{1,10}$/)),
  username: z.string(),
  displayName: z._default(z.string(), 'bot'),
  groupId: z.string(),
  status: z._default(z.number(), 2),
  suspended: z._default(z.boolean(), false),
  hasChallenge: z._default(z.boolean(), true),
  /** When it last signed in (ISO); absent: never. */
  lastLogin: z.optional(z.string()),
});

/** The network's data retention bot; absent: none was created. The service is on when `settings.dataRetention` is. */
export const SeedDataRetentionBot = z.object({
  botName: z._default(z.string(), 'compliance-bot'),
  isBotActive: z._default(z.boolean(), true),
  isDataRetentionBotRegistered: z._default(z.boolean(), true),
  isPubkeyMsgAcked: z._default(z.boolean(), true),
});

/** The network's SSO configuration (GetOidcInfo); absent: none. Its secret is returned as the service returns it. */
export const SeedOidc = z.object({
  companyId: z.string(),
  issuer: z.string(),
  scopes: z._default(z.string(), 'openid profile email'),
  clientId: z.optional(z.string()),
  clientSecret: z.optional(z.string()),
  redirectUrl: z.optional(z.string()),
  applicationName: z.optional(z.string()),
});

const SeedNetwork = z.object({
  networkId: z.string().check(z.regex(/^[0-9]{8}$/)),
  networkName: z.string(),
  accessLevel: z._default(z.enum(['STANDARD', 'PREMIUM']), 'PREMIUM'),
  awsAccountId: z._default(z.string(), '123456789012'),
  region: z._default(z.string(), 'us-east-1'),
  settings: z._default(
    z.object({
      enableClientMetrics: z._default(z.boolean(), false),
      dataRetention: z._default(z.boolean(), false),
      enableTrustedDataFormat: z._default(z.boolean(), false),
      readReceiptConfig: z._default(z.object({ status: z.enum(['DISABLED', 'ENABLED', 'FORCE_ENABLED']) }), {
        status: 'ENABLED',
      }),
    }),
    () => ({
      enableClientMetrics: false,
      dataRetention: false,
      enableTrustedDataFormat: false,
      readReceiptConfig: { status: 'ENABLED' as const },
    }),
  ),
  consentPopup: z.optional(ConsentPopupConfigInput),
  securityGroups: z._default(z.array(SeedGroup), () => []),
  users: z._default(z.array(SeedUser), () => []),
  guests: z._default(z.array(SeedGuest), () => []),
  bots: z._default(z.array(SeedBot), () => []),
  dataRetentionBot: z.optional(SeedDataRetentionBot),
  oidc: z.optional(SeedOidc),
  encryptionKeyArn: z.optional(z.string()),
});

/** The emulator's whole state as JSON: what `--seed FILE`, `POST /_emulator/reset` and `GET /_emulator/state` use. */
export const EmulatorSeed = z.object({ networks: z.array(SeedNetwork) });
export type EmulatorSeed = z.input<typeof EmulatorSeed>;
export type ParsedSeed = z.output<typeof EmulatorSeed>;
export type SeedNetwork = z.output<typeof SeedNetwork>;
export type SeedGroup = z.output<typeof SeedGroup>;
export type SeedUser = z.output<typeof SeedUser>;

/** A small network with varied settings, so a newcomer can try the emulator at once. */
export const demoSeed: EmulatorSeed = {
  networks: [
    {
      networkId: '12345678',
      networkName: 'Demo Network',
      consentPopup: { enabled: false, header: '', content: '', closeButtonLabel: 'Acknowledge' },
      securityGroups: [
        {
          id: 'sg-default',
          name: 'default',
          isDefault: true,
          securityGroupSettings: {
            lockoutThreshold: 10,
            federationMode: 1,
            maxNonSsoSessionMinutes: 0,
            alwaysReauthenticate: false,
          },
        },
        {
          id: 'sg-engineering',
          name: 'engineering',
          securityGroupSettings: {
            lockoutThreshold: 15,
            federationMode: 1,
            maxNonSsoSessionMinutes: 1440,
            alwaysReauthenticate: false,
          },
        },
        {
          id: 'sg-finance',
          name: 'finance',
          securityGroupSettings: {
            lockoutThreshold: 5,
            federationMode: 0,
            maxNonSsoSessionMinutes: 480,
            alwaysReauthenticate: true,
          },
        },
        {
          id: 'sg-contractors',
          name: 'contractors',
          securityGroupSettings: {
            lockoutThreshold: 5,
            federationMode: 0,
            maxNonSsoSessionMinutes: 120,
            alwaysReauthenticate: false,
          },
        },
      ],
      users: [
        {
          userId: '1001',
          username: 'alice@example.com',
          securityGroupIds: ['sg-engineering'],
          devices: [
            { appId: 'alice-phone', type: 'iOS', lastLogin: '2026-11-29T18:02:11Z' },
            { appId: 'alice-laptop', type: 'MacOSX', lastLogin: '2026-11-30T08:15:40Z' },
            { appId: 'alice-tablet', type: 'Android', lastLogin: '2026-10-02T07:00:00Z' },
          ],
        },
        { userId: '1002', username: 'bob@example.com', securityGroupIds: ['sg-finance'] },
        { userId: '1003', username: 'carol@example.com', securityGroupIds: ['sg-contractors'], status: 1 },
      ],
      // People of other networks who talked to this one; one an admin blocked.
      guests: [
        { usernameHash: 'g7f3a9c1', username: 'lee@partner.example', billingPeriod: '2026-11' },
        {
          usernameHash: 'g91c2b07',
          username: 'vendor@other.example',
          billingPeriod: '2026-12',
          blocked: true,
          blockedBy: 'admin',
        },
      ],
      // Accounts with a static password: one in use, one idle since spring.
      bots: [
        {
          botId: '7001',
          username: 'alerts-bot',
          displayName: 'Alerts',
          groupId: 'sg-engineering',
          lastLogin: '2026-11-30T06:00:00Z',
        },
        {
          botId: '7002',
          username: 'old-import-bot',
          displayName: 'Import',
          groupId: 'sg-finance',
          lastLogin: '2026-04-01T00:00:00Z',
        },
      ],
    },
  ],
};
