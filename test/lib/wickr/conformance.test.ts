/**
 * Every request the client makes is checked against the route facts of AWS's Smithy model, kept in
 * test/fixtures/wickr-admin-api.routes.json (a copy, so the project never reads outside itself).
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { type OperationInput, type OperationName, routes } from '../../../lib/wickr/index.js';
import { startEmulatorFixture, testCredentials } from '../../support/wickr-emulator.js';

interface RouteFact {
  method: string;
  uri: string;
  labels: string[];
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string[];
  required: string[];
  paginated: { items: string } | null;
}
const facts = JSON.parse(
  readFileSync(new URL('../../fixtures/wickr-admin-api.routes.json', import.meta.url), 'utf8'),
) as Record<string, RouteFact>;

// One input per operation that sets every member the client supports.
const samples: { [O in OperationName]: OperationInput<O> } = {
  ListDevicesForUser: {
    networkId: '12345678',
    userId: '1001',
    maxResults: 2,
    sortFields: 'lastlogin+type',
    sortDirection: 'ASC',
  },
  BatchResetDevicesForUser: {
    networkId: '12345678',
    userId: '1001',
    appIds: ['alice-phone'],
    clientToken: 'conf-reset-1',
  },
  ListNetworks: { maxResults: 5, nextToken: 'eyJvZmZzZXQiOjB9', sortFields: 'networkName', sortDirection: 'ASC' },
  GetNetwork: { networkId: '12345678' },
  GetNetworkSettings: { networkId: '12345678' },
  UpdateNetworkSettings: {
    networkId: '12345678',
    settings: { enableClientMetrics: true, consentPopup: { enabled: true, header: 'h', content: 'c' } },
  },
  CreateSecurityGroup: {
    networkId: '12345678',
    name: 'conformance',
    securityGroupSettings: { lockoutThreshold: 3 },
    clientToken: 'conf-create-1',
  },
  GetSecurityGroup: { networkId: '12345678', groupId: 'sg-finance' },
  ListSecurityGroups: { networkId: '12345678', maxResults: 2, sortFields: 'id+name', sortDirection: 'DESC' },
  UpdateSecurityGroup: {
    networkId: '12345678',
    groupId: 'sg-finance',
    name: 'finance',
    securityGroupSettings: { maxNonSsoSessionMinutes: 60 },
  },
  DeleteSecurityGroup: { networkId: '12345678', groupId: 'sg-contractors' },
  ListSecurityGroupUsers: { networkId: '12345678', groupId: 'sg-finance', maxResults: 1, sortFields: 'username' },
  BatchCreateUser: {
    networkId: '12345678',
    users: [{ username: 'conf@example.com', securityGroupIds: ['sg-finance'], firstName: 'C', lastName: 'F' }],
    clientToken: 'conf-users-1',
  },
  ListUsers: {
    networkId: '12345678',
    maxResults: 3,
    sortFields: 'username',
    sortDirection: 'ASC',
    firstName: 'A',
    lastName: 'B',
    username: 'alice@example.com',
    status: 2,
    groupId: 'sg-engineering',
  },
  GetUser: {
    networkId: '12345678',
    userId: '1001',
    startTime: new Date(1_704_067_200_000),
    endTime: new Date(1_704_153_600_000),
  },
  UpdateUser: { networkId: '12345678', userId: '1001', userDetails: { securityGroupIds: ['sg-finance'] } },
  BatchDeleteUser: { networkId: '12345678', userIds: ['1003'], clientToken: 'conf-delete-1' },
  BatchToggleUserSuspendStatus: {
    networkId: '12345678',
    suspend: true,
    userIds: ['1002'],
    clientToken: 'conf-suspend-1',
  },
  ListGuestUsers: {
    networkId: '12345678',
    maxResults: 5,
    sortFields: 'username+billingPeriod',
    sortDirection: 'ASC',
    username: 'lee@partner.example',
    billingPeriod: '2026-11',
  },
  ListBlockedGuestUsers: {
    networkId: '12345678',
    maxResults: 5,
    sortFields: 'modified',
    sortDirection: 'DESC',
    username: 'vendor@other.example',
    admin: 'admin',
  },
  UpdateGuestUser: { networkId: '12345678', usernameHash: 'g7f3a9c1', block: true },
  GetGuestUserHistoryCount: { networkId: '12345678' },
  ListBots: {
    networkId: '12345678',
    maxResults: 5,
    sortFields: 'username+status',
    sortDirection: 'ASC',
    displayName: 'Alerts',
    username: 'alerts-bot',
    status: 2,
    groupId: 'sg-engineering',
  },
  GetBot: { networkId: '12345678', botId: '7001' },
  UpdateBot: {
    networkId: '12345678',
    botId: '7002',
    displayName: 'Import (old)',
    groupId: 'sg-engineering',
    challenge: 'a-new-password',
    suspend: true,
  },
  GetBotsCount: { networkId: '12345678' },
  GetDataRetentionBot: { networkId: '12345678' },
  GetOidcInfo: { networkId: '12345678' },
  GetUsersCount: { networkId: '12345678' },
};

interface Captured {
  method: string;
  url: URL;
  headers: Headers;
  body: string | undefined;
}
const captured: Captured[] = [];
const fixture = await startEmulatorFixture();
afterAll(() => fixture.emulator.close());
const client = fixture.client({
  credentials: { ...testCredentials, sessionToken: 'session-token-from-lambda' },
  fetch: async (input, init) => {
    captured.push({
      method: init?.method ?? 'GET',
      url: new URL(String(input)),
      headers: new Headers(init?.headers),
      body: init?.body as string | undefined,
    });
    return fetch(input, init);
  },
});

function expectedPath(fact: RouteFact, input: Record<string, unknown>): string {
  return fact.uri.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(input[name])));
}

describe('route table', () => {
  it.each(Object.keys(routes))('%s matches the model', (operation) => {
    const route = routes[operation as OperationName];
    const fact = facts[operation];
    expect(fact).toBeDefined();
    expect({
      method: route.method,
      uri: route.uri,
      query: route.query,
      headers: route.headers,
      body: route.body,
      items: route.paginated?.items ?? null,
    }).toEqual({
      method: fact?.method,
      uri: fact?.uri,
      query: fact?.query,
      headers: fact?.headers,
      body: fact?.body,
      items: fact?.paginated?.items ?? null,
    });
  });
});

describe('requests on the wire', () => {
  it.each(Object.keys(samples))('%s is sent as the model says', async (operation) => {
    fixture.emulator.reset();
    captured.length = 0;
    const op = operation as OperationName;
    const input = samples[op] as Record<string, unknown>;
    const fact = facts[op] as RouteFact;
    for (const member of fact.required) expect(input, `sample sets required ${member}`).toHaveProperty(member);

    await client.send(op, input as never);
    expect(captured).toHaveLength(1);
    const [request] = captured as [Captured];

    expect(request.method).toBe(fact.method);
    expect(request.url.pathname).toBe(expectedPath(fact, input));

    const sentQuery = Object.fromEntries(request.url.searchParams);
    const wantQuery = Object.fromEntries(
      Object.entries(fact.query)
        .filter(([member]) => input[member] !== undefined)
        .map(([member, name]) => {
          const value = input[member];
          return [name, value instanceof Date ? String(value.getTime() / 1000) : String(value)];
        }),
    );
    expect(sentQuery).toEqual(wantQuery);

    const token = fact.headers.clientToken;
    expect(request.headers.get('x-client-token') ?? undefined).toBe(token ? input.clientToken : undefined);

    const bodyMembers = fact.body.filter((m) => input[m] !== undefined);
    if (bodyMembers.length === 0) expect(request.body).toBeUndefined();
    else {
      expect(request.headers.get('content-type')).toBe('application/json');
      expect(JSON.parse(request.body ?? '')).toEqual(Object.fromEntries(bodyMembers.map((m) => [m, input[m]])));
    }

    const authorization = request.headers.get('authorization') ?? '';
    expect(authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTESTEMULATOR\/\d{8}\/us-east-1\/wickr\/aws4_request, SignedHeaders=[^,]*\bhost\b[^,]*, Signature=[0-9a-f]{64}$/,
    );
    expect(authorization).toContain('x-amz-security-token');
    expect(request.headers.get('x-amz-security-token')).toBe('session-token-from-lambda');
    expect(request.headers.get('x-amz-date')).toMatch(/^\d{8}T\d{6}Z$/);
    // The emulator verified the signature: the call succeeded, so it was not refused with 401.
    expect(fixture.emulator.journal().at(-1)?.status).toBe(200);
  });

  it('percent-encodes labels as one path segment', async () => {
    captured.length = 0;
    await client.getSecurityGroup({ networkId: '12345678', groupId: "a/b c'd" }).catch(() => undefined);
    expect(captured[0]?.url.pathname).toBe('/networks/12345678/security-groups/a%2Fb%20c%27d');
    // A signed request with an escaped label is still accepted; only the group is unknown.
    expect(fixture.emulator.journal().at(-1)?.status).toBe(404);
  });
});
