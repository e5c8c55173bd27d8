import { consentPopupSetting } from '../../../lib/wickr/consent-popup.js';
import type { OperationName } from '../../../lib/wickr/request-schemas.js';
import type { Setting } from '../../../lib/wickr/response-schemas.js';
import { botHandlers } from './bot-handlers.js';
import { EmulatorError, type GroupState, type NetworkState, type UserState } from './emulator-state.js';
import { guestHandlers } from './guest-handlers.js';
import { type Handler, page } from './paging.js';
import { postureHandlers } from './posture-handlers.js';

function networkView(n: NetworkState) {
  return {
    networkId: n.networkId,
    networkName: n.networkName,
    accessLevel: n.accessLevel,
    awsAccountId: n.awsAccountId,
    networkArn: `arn:aws:wickr:${n.region}:${n.awsAccountId}:network/${n.networkId}`,
    standing: 1,
    migrationState: 0,
    ...(n.encryptionKeyArn ? { encryptionKeyArn: n.encryptionKeyArn } : {}),
  };
}

function groupView(n: NetworkState, g: GroupState) {
  const members = [...n.users.values()].filter((u) => u.securityGroupIds.includes(g.id) && !u.suspended);
  return {
    id: g.id,
    name: g.name,
    isDefault: g.isDefault,
    activeMembers: members.length,
    botMembers: 0,
    modified: g.modified,
    ...(g.activeDirectoryGuid ? { activeDirectoryGuid: g.activeDirectoryGuid } : {}),
    securityGroupSettings: structuredClone(g.securityGroupSettings),
  };
}

/** The `User` shape of list and batch responses (note `securityGroups`, not `securityGroupIds`). */
function userView(u: UserState) {
  return {
    userId: u.userId,
    username: u.username,
    ...(u.firstName !== undefined ? { firstName: u.firstName } : {}),
    ...(u.lastName !== undefined ? { lastName: u.lastName } : {}),
    securityGroups: [...u.securityGroupIds],
    isAdmin: u.isAdmin,
    suspended: u.suspended,
    status: u.status,
    // Only a pending user has an invitation to expire.
    ...(u.status === 1 ? { isInviteExpired: u.isInviteExpired } : {}),
    isUser: true,
  };
}

function settingsList(n: NetworkState, only?: readonly string[]): Setting[] {
  const all: Setting[] = [
    { optionName: 'enableClientMetrics', value: String(n.settings.enableClientMetrics), type: 'boolean' },
    { optionName: 'dataRetention', value: String(n.settings.dataRetention), type: 'boolean' },
    { optionName: 'enableTrustedDataFormat', value: String(n.settings.enableTrustedDataFormat), type: 'boolean' },
    { optionName: 'readReceiptConfig', value: n.settings.readReceiptConfig.status, type: 'string' },
    ...(n.consentPopup ? [consentPopupSetting(n.consentPopup)] : []),
  ];
  return only ? all.filter((s) => only.includes(s.optionName)) : all;
}

// PATCH semantics: members sent replace, structures merge one level down, lists replace.
function merge(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    const current = target[key];
    if (isPlainObject(value) && isPlainObject(current)) target[key] = { ...current, ...structuredClone(value) };
    else target[key] = structuredClone(value);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function batchIds(
  n: NetworkState,
  userIds: string[],
  act: (u: UserState) => void,
): { message: string; successful: { userId: string }[]; failed: { userId: string; field: string; reason: string }[] } {
  const successful: { userId: string }[] = [];
  const failed: { userId: string; field: string; reason: string }[] = [];
  for (const userId of userIds) {
    const user = n.users.get(userId);
    if (!user) failed.push({ userId, field: 'userId', reason: 'User not found' });
    else {
      act(user);
      successful.push({ userId });
    }
  }
  return { message: 'success', successful, failed };
}

/** What each emulated operation does to the state, and answers. */
export const operationHandlers: Readonly<Record<OperationName, Handler>> = {
  ListNetworks: (s, input) => {
    const { items, nextToken } = page([...s.networks.values()].map(networkView), input, 'networkId');
    return { networks: items, ...(nextToken ? { nextToken } : {}) };
  },
  GetNetwork: (s, { networkId }) => networkView(s.network(networkId)),
  GetNetworkSettings: (s, { networkId }) => ({ settings: settingsList(s.network(networkId)) }),
  UpdateNetworkSettings: (s, { networkId, settings }) => {
    const n = s.network(networkId);
    const { consentPopup, ...rest } = settings;
    merge(n.settings, rest);
    if (consentPopup) n.consentPopup = { ...(n.consentPopup ?? {}), ...consentPopup };
    return { settings: settingsList(n, Object.keys(settings)) };
  },
  CreateSecurityGroup: (s, { networkId, name, securityGroupSettings }) => {
    const n = s.network(networkId);
    const group: GroupState = {
      id: s.newGroupId(n),
      name,
      isDefault: false,
      modified: s.nowSeconds(),
      securityGroupSettings: structuredClone(securityGroupSettings),
    };
    n.groups.set(group.id, group);
    return { securityGroup: groupView(n, group) };
  },
  GetSecurityGroup: (s, { networkId, groupId }) => {
    const n = s.network(networkId);
    return { securityGroup: groupView(n, s.group(n, groupId)) };
  },
  ListSecurityGroups: (s, input) => {
    const n = s.network(input.networkId);
    const { items, nextToken } = page([...n.groups.values()], input, 'id');
    return { securityGroups: items.map((g) => groupView(n, g)), ...(nextToken ? { nextToken } : {}) };
  },
  UpdateSecurityGroup: (s, { networkId, groupId, name, securityGroupSettings }) => {
    const n = s.network(networkId);
    const group = s.group(n, groupId);
    if (name !== undefined) group.name = name;
    if (securityGroupSettings) merge(group.securityGroupSettings, securityGroupSettings);
    group.modified = s.nowSeconds();
    return { securityGroup: groupView(n, group) };
  },
  DeleteSecurityGroup: (s, { networkId, groupId }) => {
    const n = s.network(networkId);
    const group = s.group(n, groupId);
    if (group.isDefault)
      throw new EmulatorError(400, 'BadRequestError', 'The default security group cannot be deleted');
    n.groups.delete(groupId);
    return { message: 'success', networkId, groupId };
  },
  ListSecurityGroupUsers: (s, input) => {
    const n = s.network(input.networkId);
    s.group(n, input.groupId);
    const members = [...n.users.values()].filter((u) => u.securityGroupIds.includes(input.groupId));
    const { items, nextToken } = page(members, input, 'username');
    return { users: items.map(userView), ...(nextToken ? { nextToken } : {}) };
  },
  BatchCreateUser: (s, { networkId, users }) => {
    const n = s.network(networkId);
    const successful: ReturnType<typeof userView>[] = [];
    const failed: { userId: string; field: string; reason: string }[] = [];
    for (const item of users as {
      username: string;
      securityGroupIds: string[];
      firstName?: string;
      lastName?: string;
    }[]) {
      const taken = [...n.users.values()].some((u) => u.username.toLowerCase() === item.username.toLowerCase());
      if (taken) {
        failed.push({ userId: '0', field: 'username', reason: 'User already exists' });
        continue;
      }
      const missing = item.securityGroupIds.find((id) => !n.groups.has(id));
      if (missing !== undefined) {
        failed.push({ userId: '0', field: 'securityGroupIds', reason: `Security group not found: ${missing}` });
        continue;
      }
      const user: UserState = {
        userId: s.newUserId(n),
        username: item.username,
        firstName: item.firstName,
        lastName: item.lastName,
        securityGroupIds: [...item.securityGroupIds],
        suspended: false,
        status: 1,
        isAdmin: false,
        isInviteExpired: false,
        modified: s.nowSeconds(),
        devices: [],
      };
      n.users.set(user.userId, user);
      successful.push(userView(user));
    }
    return { message: 'success', successful, failed };
  },
  ListUsers: (s, input) => {
    const n = s.network(input.networkId);
    const matches = [...n.users.values()].filter(
      (u) =>
        (input.username === undefined || u.username === input.username) &&
        (input.firstName === undefined || u.firstName === input.firstName) &&
        (input.lastName === undefined || u.lastName === input.lastName) &&
        (input.status === undefined || u.status === input.status) &&
        (input.groupId === undefined || u.securityGroupIds.includes(input.groupId)),
    );
    const { items, nextToken } = page(matches, input, 'username');
    return { users: items.map(userView), ...(nextToken ? { nextToken } : {}) };
  },
  GetUser: (s, { networkId, userId }) => {
    const u = s.user(s.network(networkId), userId);
    return {
      userId: u.userId,
      username: u.username,
      ...(u.firstName !== undefined ? { firstName: u.firstName } : {}),
      ...(u.lastName !== undefined ? { lastName: u.lastName } : {}),
      isAdmin: u.isAdmin,
      suspended: u.suspended,
      status: u.status,
      ...(u.lastActivity !== undefined ? { lastActivity: u.lastActivity } : {}),
      ...(u.lastLogin !== undefined ? { lastLogin: u.lastLogin } : {}),
      securityGroupIds: [...u.securityGroupIds],
    };
  },
  UpdateUser: (s, { networkId, userId, userDetails = {} }) => {
    const n = s.network(networkId);
    const u = s.user(n, userId);
    const missing = (userDetails.securityGroupIds as string[] | undefined)?.find((id) => !n.groups.has(id));
    if (missing !== undefined) throw new EmulatorError(404, 'ResourceNotFoundError', 'Security group not found');
    if (userDetails.firstName !== undefined) u.firstName = userDetails.firstName;
    if (userDetails.lastName !== undefined) u.lastName = userDetails.lastName;
    if (userDetails.username !== undefined) u.username = userDetails.username;
    if (userDetails.securityGroupIds !== undefined) u.securityGroupIds = [...userDetails.securityGroupIds];
    u.modified = s.nowSeconds();
    return {
      userId: u.userId,
      networkId,
      suspended: u.suspended,
      securityGroupIds: [...u.securityGroupIds],
      ...(u.firstName !== undefined ? { firstName: u.firstName } : {}),
      ...(u.lastName !== undefined ? { lastName: u.lastName } : {}),
      modified: u.modified,
      status: u.status,
    };
  },
  BatchDeleteUser: (s, { networkId, userIds }) => {
    const n = s.network(networkId);
    return batchIds(n, userIds, (u) => n.users.delete(u.userId));
  },
  BatchToggleUserSuspendStatus: (s, { networkId, suspend, userIds }) =>
    batchIds(s.network(networkId), userIds, (u) => {
      u.suspended = suspend;
      u.modified = s.nowSeconds();
    }),
  ListDevicesForUser: (s, input) => {
    const user = s.user(s.network(input.networkId), input.userId);
    // The sort fields are the documented lower-case names (`lastlogin`), the members camel-case (`lastLogin`).
    const sortable = user.devices.map((d) => ({ ...d, lastlogin: d.lastLogin }));
    const { items, nextToken } = page(sortable, input, 'lastlogin');
    return { devices: items.map(({ lastlogin: _l, ...d }) => d), ...(nextToken ? { nextToken } : {}) };
  },
  ...guestHandlers,
  ...botHandlers,
  ...postureHandlers,
  BatchResetDevicesForUser: (s, { networkId, userId, appIds }) => {
    const user = s.user(s.network(networkId), userId);
    const successful: { appId: string }[] = [];
    const failed: { appId: string; field: string; reason: string }[] = [];
    for (const appId of appIds as string[]) {
      const device = user.devices.find((d) => d.appId === appId);
      if (!device) failed.push({ appId, field: 'appIds', reason: 'Device not found' });
      else {
        device.statusText = 'Reset';
        successful.push({ appId });
      }
    }
    return { message: `${successful.length} device(s) reset`, successful, failed };
  },
};
