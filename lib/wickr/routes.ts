import type { OperationName } from './request-schemas.js';

/** How one operation's members travel on the wire (restJson1), copied from the Smithy model. */
export interface OperationRoute {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** URI template; `{label}` segments are filled from members of the same name. */
  readonly uri: string;
  /** Member name → query parameter name. */
  readonly query: Readonly<Record<string, string>>;
  /** Member name → header name. */
  readonly headers: Readonly<Record<string, string>>;
  /** Members sent in the JSON body. */
  readonly body: readonly string[];
  /** Members that are timestamps sent as epoch seconds. */
  readonly timestamps?: readonly string[];
  readonly paginated?: { readonly items: string };
}

const token = { clientToken: 'X-Client-Token' } as const;
const page = {
  nextToken: 'nextToken',
  maxResults: 'maxResults',
  sortFields: 'sortFields',
  sortDirection: 'sortDirection',
};

/** The route of every operation the client implements. */
export const routes: Readonly<Record<OperationName, OperationRoute>> = {
  ListNetworks: {
    method: 'GET',
    uri: '/networks',
    query: page,
    headers: {},
    body: [],
    paginated: { items: 'networks' },
  },
  GetNetwork: { method: 'GET', uri: '/networks/{networkId}', query: {}, headers: {}, body: [] },
  GetNetworkSettings: { method: 'GET', uri: '/networks/{networkId}/settings', query: {}, headers: {}, body: [] },
  UpdateNetworkSettings: {
    method: 'PATCH',
    uri: '/networks/{networkId}/settings',
    query: {},
    headers: {},
    body: ['settings'],
  },
  CreateSecurityGroup: {
    method: 'POST',
    uri: '/networks/{networkId}/security-groups',
    query: {},
    headers: token,
    body: ['name', 'securityGroupSettings'],
  },
  GetSecurityGroup: {
    method: 'GET',
    uri: '/networks/{networkId}/security-groups/{groupId}',
    query: {},
    headers: {},
    body: [],
  },
  ListSecurityGroups: {
    method: 'GET',
    uri: '/networks/{networkId}/security-groups',
    query: page,
    headers: {},
    body: [],
    paginated: { items: 'securityGroups' },
  },
  UpdateSecurityGroup: {
    method: 'PATCH',
    uri: '/networks/{networkId}/security-groups/{groupId}',
    query: {},
    headers: {},
    body: ['name', 'securityGroupSettings'],
  },
  DeleteSecurityGroup: {
    method: 'DELETE',
    uri: '/networks/{networkId}/security-groups/{groupId}',
    query: {},
    headers: {},
    body: [],
  },
  ListSecurityGroupUsers: {
    method: 'GET',
    uri: '/networks/{networkId}/security-groups/{groupId}/users',
    query: page,
    headers: {},
    body: [],
    paginated: { items: 'users' },
  },
  BatchCreateUser: { method: 'POST', uri: '/networks/{networkId}/users', query: {}, headers: token, body: ['users'] },
  ListUsers: {
    method: 'GET',
    uri: '/networks/{networkId}/users',
    query: {
      ...page,
      firstName: 'firstName',
      lastName: 'lastName',
      username: 'username',
      status: 'status',
      groupId: 'groupId',
    },
    headers: {},
    body: [],
    paginated: { items: 'users' },
  },
  GetUser: {
    method: 'GET',
    uri: '/networks/{networkId}/users/{userId}',
    query: { startTime: 'startTime', endTime: 'endTime' },
    headers: {},
    body: [],
    timestamps: ['startTime', 'endTime'],
  },
  UpdateUser: {
    method: 'PATCH',
    uri: '/networks/{networkId}/users',
    query: {},
    headers: {},
    body: ['userId', 'userDetails'],
  },
  BatchDeleteUser: {
    method: 'POST',
    uri: '/networks/{networkId}/users/batch-delete',
    query: {},
    headers: token,
    body: ['userIds'],
  },
  BatchToggleUserSuspendStatus: {
    method: 'PATCH',
    uri: '/networks/{networkId}/users/toggleSuspend',
    query: { suspend: 'suspend' },
    headers: token,
    body: ['userIds'],
  },
  ListDevicesForUser: {
    method: 'GET',
    uri: '/networks/{networkId}/users/{userId}/devices',
    query: page,
    headers: {},
    body: [],
    paginated: { items: 'devices' },
  },
  BatchResetDevicesForUser: {
    method: 'PATCH',
    uri: '/networks/{networkId}/users/{userId}/devices',
    query: {},
    headers: token,
    body: ['appIds'],
  },
  ListGuestUsers: {
    method: 'GET',
    uri: '/networks/{networkId}/guest-users',
    query: { ...page, username: 'username', billingPeriod: 'billingPeriod' },
    headers: {},
    body: [],
    paginated: { items: 'guestlist' },
  },
  ListBlockedGuestUsers: {
    method: 'GET',
    uri: '/networks/{networkId}/guest-users/blocklist',
    query: { ...page, username: 'username', admin: 'admin' },
    headers: {},
    body: [],
    paginated: { items: 'blocklist' },
  },
  UpdateGuestUser: {
    method: 'PATCH',
    uri: '/networks/{networkId}/guest-users/{usernameHash}',
    query: {},
    headers: {},
    body: ['block'],
  },
  ListBots: {
    method: 'GET',
    uri: '/networks/{networkId}/bots',
    query: { ...page, displayName: 'displayName', username: 'username', status: 'status', groupId: 'groupId' },
    headers: {},
    body: [],
    paginated: { items: 'bots' },
  },
  GetBot: { method: 'GET', uri: '/networks/{networkId}/bots/{botId}', query: {}, headers: {}, body: [] },
  UpdateBot: {
    method: 'PATCH',
    uri: '/networks/{networkId}/bots/{botId}',
    query: {},
    headers: {},
    body: ['displayName', 'groupId', 'challenge', 'suspend'],
  },
  GetBotsCount: { method: 'GET', uri: '/networks/{networkId}/bots/count', query: {}, headers: {}, body: [] },
  // The model's token members travel in the query string (a client secret among them): the request schema takes only
  // networkId, so they are never sent — the configuration alone is read.
  GetOidcInfo: {
    method: 'GET',
    uri: '/networks/{networkId}/oidc',
    query: {
      clientId: 'clientId',
      code: 'code',
      grantType: 'grantType',
      redirectUri: 'redirectUri',
      url: 'url',
      clientSecret: 'clientSecret',
      codeVerifier: 'codeVerifier',
      certificate: 'certificate',
    },
    headers: {},
    body: [],
  },
  GetUsersCount: { method: 'GET', uri: '/networks/{networkId}/users/count', query: {}, headers: {}, body: [] },
  GetDataRetentionBot: {
    method: 'GET',
    uri: '/networks/{networkId}/data-retention-bots',
    query: {},
    headers: {},
    body: [],
  },
  GetGuestUserHistoryCount: {
    method: 'GET',
    uri: '/networks/{networkId}/guest-users/count',
    query: {},
    headers: {},
    body: [],
  },
};
