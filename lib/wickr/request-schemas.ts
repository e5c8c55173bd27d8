/**
 * Request shapes of the Wickr Admin API operations this project uses, with the rules the model and the API
 * documentation state. They are checked before anything is sent; the emulator answers 422 with the same rules.
 */
import * as z from 'zod/mini';
import { lazyRecord } from '../lazy-record.js';
import { lazySchema } from '../lazy-schema.js';
import { securityGroupSettingTable } from '../security-settings/settings-table.js';
import { requestSettingsSchema, sessionMinutes } from './settings-schemas.js';

const networkId = lazySchema(() => z.string().check(z.regex(/^[0-9]{8}$/, 'must be exactly 8 digits')));
const userId = lazySchema(() => z.string().check(z.regex(/^[0-9]{1,10}$/, 'must be 1–10 digits')));
const label = lazySchema(() => z.string().check(z.minLength(1, 'must not be empty')));
const securityGroupId = lazySchema(() => z.string().check(z.regex(/^\S+$/, 'must be non-empty without whitespace')));
// The model's class `[a-zA-Z0-9-_:]` means letters, digits, '-', '_' and ':' (the '-' after a range is literal).
const clientToken = lazySchema(() =>
  z.string().check(z.regex(/^[A-Za-z0-9_:-]{1,64}$/, 'must be 1–64 characters of [a-zA-Z0-9-_:]')),
);
const nonNegativeInt = lazySchema(() => z.int('must be an integer').check(z.gte(0, 'must be 0 or more')));
const intIn = (min: number, max: number) =>
  z.int('must be an integer').check(z.gte(min, `must be ${min}–${max}`), z.lte(max, `must be ${min}–${max}`));
const oneOf = <const T extends readonly number[]>(values: T) =>
  z
    .int('must be an integer')
    .check(z.refine((v) => values.includes(v), `must be one of ${values.join(', ')}`)) as z.ZodMiniNumber<T[number]>;
const batchOf = <T extends z.ZodMiniType>(item: T) =>
  z.array(item).check(z.minLength(1, 'must hold at least 1 item'), z.maxLength(50, 'must hold at most 50 items'));

/** The non-SSO session limit's rule (0 disables it), as the settings table's requests check it. */
export const maxNonSsoSessionMinutes = lazySchema(() => sessionMinutes());

const pagination = (sortable: readonly string[]) => ({
  nextToken: z.optional(z.string().check(z.minLength(1, 'must not be empty; omit it for the first page'))),
  maxResults: z.optional(intIn(1, 100)),
  sortFields: z.optional(
    z
      .string()
      .check(
        z.refine(
          (v) => v.split('+').every((f) => sortable.includes(f)),
          `must be ${sortable.join(', ')} (several joined with +)`,
        ),
      ),
  ),
  sortDirection: z.optional(z.enum(['ASC', 'DESC'], 'must be ASC or DESC')),
});

/** `SecurityGroupSettingsRequest`: the settings CreateSecurityGroup accepts (the table's `create` ones). */
export const CreateSecurityGroupSettingsInput = lazySchema(() =>
  requestSettingsSchema(securityGroupSettingTable, {
    createOnly: true,
    unknownSetting: 'is not accepted by CreateSecurityGroup; set it with UpdateSecurityGroup after creating the group',
  }),
);

/** Every name CreateSecurityGroup accepts in `securityGroupSettings`. */
export const createSecurityGroupSettingNames = Object.entries(securityGroupSettingTable)
  .filter(([, spec]) => 'create' in spec)
  .map(([name]) => name) as readonly string[];

/** `SecurityGroupSettings`: the full shape UpdateSecurityGroup accepts. */
export const SecurityGroupSettingsInput = lazySchema(() => requestSettingsSchema(securityGroupSettingTable));

/** `ConsentPopupConfig`: the login consent popup of a network. */
export const ConsentPopupConfigInput = lazySchema(() =>
  z.strictObject({
    enabled: z.boolean('is required and must be true or false'),
    header: z.optional(z.string().check(z.maxLength(100, 'must be at most 100 characters'))),
    content: z.optional(z.string().check(z.maxLength(5000, 'must be at most 5000 characters'))),
    closeButtonLabel: z.optional(z.string().check(z.maxLength(20, 'must be at most 20 characters'))),
  }),
);

/** `NetworkSettings`: what UpdateNetworkSettings accepts. */
export const NetworkSettingsInput = lazySchema(() =>
  z.strictObject({
    enableClientMetrics: z.optional(z.boolean()),
    readReceiptConfig: z.optional(
      z.strictObject({ status: z.optional(z.enum(['DISABLED', 'ENABLED', 'FORCE_ENABLED'])) }),
    ),
    dataRetention: z.optional(z.boolean()),
    enableTrustedDataFormat: z.optional(z.boolean()),
    consentPopup: z.optional(ConsentPopupConfigInput),
  }),
);

const userDetailsShape = {
  firstName: z.optional(z.string()),
  lastName: z.optional(z.string()),
  inviteCode: z.optional(z.string()),
  inviteCodeTtl: z.optional(nonNegativeInt),
  codeValidation: z.optional(z.boolean()),
};
// The documentation allows one security group per user although the member is a list.
const oneSecurityGroup = lazySchema(() =>
  z
    .array(securityGroupId)
    .check(z.minLength(1, 'must hold exactly 1 group id'), z.maxLength(1, 'must hold exactly 1 group id')),
);

/** Input schema of every operation, by operation name; each is built on first use. */
export const requestSchemas = lazyRecord({
  ListNetworks: () => z.strictObject({ ...pagination(['networkId', 'networkName']) }),
  GetNetwork: () => z.strictObject({ networkId }),
  GetNetworkSettings: () => z.strictObject({ networkId }),
  UpdateNetworkSettings: () => z.strictObject({ networkId, settings: NetworkSettingsInput }),
  CreateSecurityGroup: () =>
    z.strictObject({
      networkId,
      name: z.string().check(z.minLength(1, 'name is required')),
      securityGroupSettings: CreateSecurityGroupSettingsInput,
      clientToken: z.optional(clientToken),
    }),
  GetSecurityGroup: () => z.strictObject({ networkId, groupId: label }),
  ListSecurityGroups: () => z.strictObject({ networkId, ...pagination(['id', 'name']) }),
  UpdateSecurityGroup: () =>
    z.strictObject({
      networkId,
      groupId: label,
      name: z.optional(z.string().check(z.minLength(1, 'must not be empty'))),
      securityGroupSettings: z.optional(SecurityGroupSettingsInput),
    }),
  DeleteSecurityGroup: () => z.strictObject({ networkId, groupId: label }),
  ListSecurityGroupUsers: () =>
    z.strictObject({
      networkId,
      groupId: label,
      ...pagination(['username', 'firstName', 'lastName']),
    }),
  BatchCreateUser: () =>
    z.strictObject({
      networkId,
      users: batchOf(
        z.strictObject({
          securityGroupIds: oneSecurityGroup,
          username: z.string().check(z.minLength(1, 'username is required')),
          ...userDetailsShape,
        }),
      ),
      clientToken: z.optional(clientToken),
    }),
  ListUsers: () =>
    z.strictObject({
      networkId,
      ...pagination(['username', 'firstName', 'lastName', 'status', 'groupId']),
      firstName: z.optional(z.string()),
      lastName: z.optional(z.string()),
      username: z.optional(z.string()),
      status: z.optional(oneOf([1, 2] as const)),
      groupId: z.optional(z.string()),
    }),
  GetUser: () =>
    z.strictObject({
      networkId,
      userId,
      startTime: z.optional(z.date()),
      endTime: z.optional(z.date()),
    }),
  UpdateUser: () =>
    z.strictObject({
      networkId,
      userId,
      userDetails: z.optional(
        z.strictObject({
          ...userDetailsShape,
          username: z.optional(z.string().check(z.minLength(1, 'must not be empty'))),
          securityGroupIds: z.optional(oneSecurityGroup),
        }),
      ),
    }),
  BatchDeleteUser: () => z.strictObject({ networkId, userIds: batchOf(userId), clientToken: z.optional(clientToken) }),
  BatchToggleUserSuspendStatus: () =>
    z.strictObject({
      networkId,
      suspend: z.boolean('is required and must be true or false'),
      userIds: batchOf(userId),
      clientToken: z.optional(clientToken),
    }),
  ListDevicesForUser: () =>
    z.strictObject({ networkId, userId, ...pagination(['lastlogin', 'type', 'suspend', 'created']) }),
  BatchResetDevicesForUser: () =>
    z.strictObject({ networkId, userId, appIds: batchOf(z.string()), clientToken: z.optional(clientToken) }),
  ListGuestUsers: () =>
    z.strictObject({
      networkId,
      ...pagination(['username', 'billingPeriod']),
      username: z.optional(label),
      billingPeriod: z.optional(z.string().check(z.regex(/^\d{4}-\d{2}$/, 'must be a month, YYYY-MM'))),
    }),
  ListBlockedGuestUsers: () =>
    z.strictObject({
      networkId,
      ...pagination(['username', 'admin', 'modified']),
      username: z.optional(label),
      admin: z.optional(label),
    }),
  UpdateGuestUser: () =>
    z.strictObject({
      networkId,
      usernameHash: z.string().check(z.regex(/^[A-Za-z0-9+/=_-]{1,256}$/, 'must be a username hash')),
      block: z.boolean('is required and must be true or false'),
    }),
  GetGuestUserHistoryCount: () => z.strictObject({ networkId }),
  ListBots: () =>
    z.strictObject({
      networkId,
      ...pagination(['username', 'firstName', 'displayName', 'status', 'groupId']),
      displayName: z.optional(label),
      username: z.optional(label),
      status: z.optional(intIn(1, 2)),
      groupId: z.optional(securityGroupId),
    }),
  GetBot: () => z.strictObject({ networkId, botId: userId }),
  UpdateBot: () =>
    z.strictObject({
      networkId,
      botId: userId,
      displayName: z.optional(label),
      groupId: z.optional(securityGroupId),
      challenge: z.optional(label),
      suspend: z.optional(z.boolean('must be true or false')),
    }),
  GetBotsCount: () => z.strictObject({ networkId }),
  GetDataRetentionBot: () => z.strictObject({ networkId }),
  GetOidcInfo: () => z.strictObject({ networkId }),
  GetUsersCount: () => z.strictObject({ networkId }),
});

/** Names of the operations this client implements. */
export type OperationName = keyof typeof requestSchemas;
/** The input an operation takes, by operation name. */
export type OperationInput<O extends OperationName> = z.input<(typeof requestSchemas)[O]>;
/** `SecurityGroupSettings` as UpdateSecurityGroup accepts it. */
export type SecurityGroupSettingsUpdate = z.input<typeof SecurityGroupSettingsInput>;
/** `ConsentPopupConfig`. */
export type ConsentPopupConfig = z.input<typeof ConsentPopupConfigInput>;
/** `NetworkSettings` as UpdateNetworkSettings accepts it. */
export type NetworkSettings = z.input<typeof NetworkSettingsInput>;
