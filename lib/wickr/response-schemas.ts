/**
 * Response shapes, as the model states them. Objects are loose: members a newer API revision adds pass
 * through instead of breaking parsing. Lists the model leaves optional are read as empty when absent.
 */
import * as z from 'zod/mini';
import { lazyRecord } from '../lazy-record.js';
import { lazySchema } from '../lazy-schema.js';
import { securityGroupSettingTable } from '../security-settings/settings-table.js';
import { responseSettingsSchema } from './settings-schemas.js';

const list = <T extends z.ZodMiniType>(item: T) => z._default(z.array(item), () => []);

const SecurityGroupSettings = lazySchema(() => responseSettingsSchema(securityGroupSettingTable));

/** `BasicDeviceObject`: a device where a user signed in to Wickr (every member optional in the model). */
const Device = lazySchema(() =>
  z.looseObject({
    appId: z.optional(z.string()),
    created: z.optional(z.string()),
    lastLogin: z.optional(z.string()),
    statusText: z.optional(z.string()),
    suspend: z.optional(z.boolean()),
    type: z.optional(z.string()),
  }),
);

/** `Bot`: an account with a static password (every member optional in the model). */
const Bot = lazySchema(() =>
  z.looseObject({
    botId: z.optional(z.string()),
    displayName: z.optional(z.string()),
    username: z.optional(z.string()),
    uname: z.optional(z.string()),
    status: z.optional(z.number()),
    groupId: z.optional(z.string()),
    hasChallenge: z.optional(z.boolean()),
    suspended: z.optional(z.boolean()),
    lastLogin: z.optional(z.string()),
  }),
);

const SecurityGroup = lazySchema(() =>
  z.looseObject({
    activeMembers: z.number(),
    botMembers: z.number(),
    activeDirectoryGuid: z.optional(z.string()),
    id: z.string(),
    isDefault: z.boolean(),
    name: z.string(),
    modified: z.number(),
    securityGroupSettings: SecurityGroupSettings,
  }),
);

const Network = lazySchema(() =>
  z.looseObject({
    networkId: z.string(),
    networkName: z.string(),
    accessLevel: z.string(),
    awsAccountId: z.string(),
    networkArn: z.string(),
    standing: z.optional(z.number()),
    freeTrialExpiration: z.optional(z.string()),
    migrationState: z.optional(z.number()),
    encryptionKeyArn: z.optional(z.string()),
  }),
);

const Setting = lazySchema(() => z.looseObject({ optionName: z.string(), value: z.string(), type: z.string() }));

const User = lazySchema(() =>
  z.looseObject({
    userId: z.optional(z.string()),
    firstName: z.optional(z.string()),
    lastName: z.optional(z.string()),
    username: z.optional(z.string()),
    securityGroups: z.optional(z.array(z.string())),
    isAdmin: z.optional(z.boolean()),
    suspended: z.optional(z.boolean()),
    status: z.optional(z.number()),
    otpEnabled: z.optional(z.boolean()),
    scimId: z.optional(z.string()),
    type: z.optional(z.string()),
    cell: z.optional(z.string()),
    countryCode: z.optional(z.string()),
    challengeFailures: z.optional(z.number()),
    isInviteExpired: z.optional(z.boolean()),
    isUser: z.optional(z.boolean()),
    inviteCode: z.optional(z.string()),
    codeValidation: z.optional(z.boolean()),
    uname: z.optional(z.string()),
  }),
);

const BatchUserError = lazySchema(() =>
  z.looseObject({
    field: z.optional(z.string()),
    reason: z.optional(z.string()),
    userId: z.string(),
  }),
);

const BatchUserIdResult = lazySchema(() =>
  z.looseObject({
    message: z.optional(z.string()),
    successful: list(z.looseObject({ userId: z.string() })),
    failed: list(BatchUserError),
  }),
);

const securityGroupOutput = lazySchema(() => z.looseObject({ securityGroup: SecurityGroup }));
const settingsOutput = lazySchema(() => z.looseObject({ settings: z.array(Setting) }));

/** Output schema of every operation, by operation name; each is built on first use. */
export const responseSchemas = lazyRecord({
  ListNetworks: () => z.looseObject({ networks: list(Network), nextToken: z.optional(z.string()) }),
  GetNetwork: () => Network,
  GetNetworkSettings: () => settingsOutput,
  UpdateNetworkSettings: () => settingsOutput,
  CreateSecurityGroup: () => securityGroupOutput,
  GetSecurityGroup: () => securityGroupOutput,
  ListSecurityGroups: () => z.looseObject({ securityGroups: list(SecurityGroup), nextToken: z.optional(z.string()) }),
  UpdateSecurityGroup: () => securityGroupOutput,
  DeleteSecurityGroup: () =>
    z.looseObject({
      message: z.optional(z.string()),
      networkId: z.optional(z.string()),
      groupId: z.optional(z.string()),
    }),
  ListSecurityGroupUsers: () => z.looseObject({ users: list(User), nextToken: z.optional(z.string()) }),
  BatchCreateUser: () =>
    z.looseObject({
      message: z.optional(z.string()),
      successful: list(User),
      failed: list(BatchUserError),
    }),
  ListUsers: () => z.looseObject({ users: list(User), nextToken: z.optional(z.string()) }),
  GetUser: () =>
    z.looseObject({
      userId: z.string(),
      firstName: z.optional(z.string()),
      lastName: z.optional(z.string()),
      username: z.optional(z.string()),
      isAdmin: z.optional(z.boolean()),
      suspended: z.optional(z.boolean()),
      status: z.optional(z.number()),
      lastActivity: z.optional(z.number()),
      lastLogin: z.optional(z.number()),
      securityGroupIds: z.optional(z.array(z.string())),
    }),
  UpdateUser: () =>
    z.looseObject({
      userId: z.string(),
      networkId: z.string(),
      suspended: z.boolean(),
      securityGroupIds: z.optional(z.array(z.string())),
      firstName: z.optional(z.string()),
      lastName: z.optional(z.string()),
      middleName: z.optional(z.string()),
      modified: z.optional(z.number()),
      status: z.optional(z.number()),
      inviteCode: z.optional(z.string()),
      inviteExpiration: z.optional(z.number()),
      codeValidation: z.optional(z.boolean()),
    }),
  BatchDeleteUser: () => BatchUserIdResult,
  BatchToggleUserSuspendStatus: () => BatchUserIdResult,
  ListDevicesForUser: () => z.looseObject({ devices: list(Device), nextToken: z.optional(z.string()) }),
  BatchResetDevicesForUser: () =>
    z.looseObject({
      message: z.optional(z.string()),
      successful: list(z.looseObject({ appId: z.string() })),
      failed: list(z.looseObject({ appId: z.string(), field: z.optional(z.string()), reason: z.optional(z.string()) })),
    }),
  ListGuestUsers: () =>
    z.looseObject({
      guestlist: list(z.looseObject({ billingPeriod: z.string(), username: z.string(), usernameHash: z.string() })),
      nextToken: z.optional(z.string()),
    }),
  ListBlockedGuestUsers: () =>
    z.looseObject({
      blocklist: list(
        z.looseObject({ admin: z.string(), modified: z.string(), username: z.string(), usernameHash: z.string() }),
      ),
      nextToken: z.optional(z.string()),
    }),
  UpdateGuestUser: () => z.looseObject({ message: z.optional(z.string()) }),
  ListBots: () => z.looseObject({ bots: list(Bot), nextToken: z.optional(z.string()) }),
  GetBot: () => Bot,
  UpdateBot: () => z.looseObject({ message: z.optional(z.string()) }),
  GetBotsCount: () => z.looseObject({ pending: z.number(), active: z.number(), total: z.number() }),
  // The SSO configuration; `clientSecret` and `secret` are sensitive in the model and must never leave the reader.
  GetOidcInfo: () =>
    z.looseObject({
      openidConnectInfo: z.optional(
        z.looseObject({
          applicationId: z.optional(z.number()),
          applicationName: z.optional(z.string()),
          clientId: z.optional(z.string()),
          companyId: z.optional(z.string()),
          issuer: z.optional(z.string()),
          redirectUrl: z.optional(z.string()),
          scopes: z.optional(z.string()),
          customUsername: z.optional(z.string()),
          caCertificate: z.optional(z.string()),
          clientSecret: z.optional(z.string()),
          secret: z.optional(z.string()),
        }),
      ),
    }),
  GetUsersCount: () =>
    z.looseObject({
      pending: z.optional(z.number()),
      active: z.optional(z.number()),
      rejected: z.optional(z.number()),
      remaining: z.optional(z.number()),
      total: z.number(),
    }),
  // Every member optional in the model: an absent flag reads as "no".
  GetDataRetentionBot: () =>
    z.looseObject({
      botName: z.optional(z.string()),
      botExists: z.optional(z.boolean()),
      isBotActive: z.optional(z.boolean()),
      isDataRetentionBotRegistered: z.optional(z.boolean()),
      isDataRetentionServiceEnabled: z.optional(z.boolean()),
      isPubkeyMsgAcked: z.optional(z.boolean()),
    }),
  GetGuestUserHistoryCount: () =>
    z.looseObject({ history: list(z.looseObject({ month: z.string(), count: z.string() })) }),
});

/** The output of an operation, by operation name. */
export type OperationOutput<O extends keyof typeof responseSchemas> = z.output<(typeof responseSchemas)[O]>;
/** `SecurityGroup` as responses carry it. */
export type SecurityGroup = z.output<typeof SecurityGroup>;
/** `SecurityGroupSettings` as responses carry it. */
export type SecurityGroupSettings = z.output<typeof SecurityGroupSettings>;
/** `Network`. */
export type Network = z.output<typeof Network>;
/** One entry of the flat settings list GetNetworkSettings returns. */
export type Setting = z.output<typeof Setting>;
/** `User` as list and batch responses carry it. */
export type User = z.output<typeof User>;
