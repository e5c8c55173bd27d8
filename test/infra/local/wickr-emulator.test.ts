import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { demoSeed, startWickrEmulator } from '../../../infra/local/wickr-emulator/index.js';
import { createSigV4Signer } from '../../../lib/wickr/index.js';
import { startEmulatorFixture, testCredentials } from '../../support/wickr-emulator.js';

const fixture = await startEmulatorFixture();
const { emulator } = fixture;
afterAll(() => emulator.close());
beforeEach(() => emulator.reset(demoSeed));

/** Sends a signed request exactly as given, bypassing the client's own validation. */
async function raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const url = new URL(path, emulator.endpoint);
  const signer = createSigV4Signer('us-east-1', testCredentials);
  const text = body === undefined ? undefined : JSON.stringify(body);
  const signed = await signer.sign({
    method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host, ...(text ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(text ? { body: text } : {}),
  });
  const { host: _host, ...sent } = signed.headers;
  const response = await fetch(url, { method, headers: sent, body: text });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('Wickr emulator: the API', () => {
  it('holds a demo network when started without a seed', async () => {
    const bare = await startWickrEmulator();
    try {
      const groups = bare.snapshot().networks[0]?.securityGroups ?? [];
      expect(groups.length).toBeGreaterThanOrEqual(3);
      expect(new Set(groups.map((g) => g.securityGroupSettings.maxNonSsoSessionMinutes)).size).toBeGreaterThan(2);
    } finally {
      await bare.close();
    }
  });

  it('answers 422 ValidationError with reasons naming the field', async () => {
    const answer = await raw('PATCH', '/networks/12345678/security-groups/sg-finance', {
      securityGroupSettings: { maxNonSsoSessionMinutes: 30 },
    });
    expect(answer.status).toBe(422);
    expect(answer.headers.get('x-amzn-errortype')).toBe('ValidationError');
    expect(answer.body.reasons).toEqual([
      { field: 'securityGroupSettings.maxNonSsoSessionMinutes', reason: 'must be 0 (disabled) or 60–525600' },
    ]);
    expect(
      emulator.snapshot().networks[0]?.securityGroups.find((g) => g.id === 'sg-finance')?.securityGroupSettings,
    ).toMatchObject({ maxNonSsoSessionMinutes: 480 });
  });

  it('accepts only the 8 create-time settings on CreateSecurityGroup', async () => {
    const answer = await raw('POST', '/networks/12345678/security-groups', {
      name: 'x',
      securityGroupSettings: { lockoutThreshold: 3, maxNonSsoSessionMinutes: 60 },
    });
    expect(answer.status).toBe(422);
    expect(answer.body.reasons).toEqual([
      {
        field: 'securityGroupSettings.maxNonSsoSessionMinutes',
        reason: 'is not accepted by CreateSecurityGroup; set it with UpdateSecurityGroup after creating the group',
      },
    ]);
  });

  it('refuses consent popup text over the documented lengths', async () => {
    const answer = await raw('PATCH', '/networks/12345678/settings', {
      settings: { consentPopup: { enabled: true, header: 'h'.repeat(101), closeButtonLabel: 'c'.repeat(21) } },
    });
    expect(answer.status).toBe(422);
    expect((answer.body.reasons as { field: string }[]).map((r) => r.field).sort()).toEqual([
      'settings.consentPopup.closeButtonLabel',
      'settings.consentPopup.header',
    ]);
  });

  it('answers 404 for unknown networks, groups and users', async () => {
    for (const path of [
      '/networks/99999999',
      '/networks/12345678/security-groups/nope',
      '/networks/12345678/users/424242',
    ]) {
      const answer = await raw('GET', path);
      expect([path, answer.status, answer.headers.get('x-amzn-errortype')]).toEqual([
        path,
        404,
        'ResourceNotFoundError',
      ]);
    }
  });

  it('answers a clear error for a route it does not emulate', async () => {
    const answer = await raw('GET', '/networks/12345678/tdf');
    expect(answer.status).toBe(501);
    expect(answer.body.message).toContain('does not serve GET /networks/12345678/tdf');
  });

  it('refuses a bad maxResults and an unknown nextToken', async () => {
    expect((await raw('GET', '/networks/12345678/security-groups?maxResults=101')).status).toBe(422);
    const bad = await raw('GET', '/networks/12345678/security-groups?nextToken=garbage');
    expect(bad.status).toBe(422);
    expect(bad.body.reasons).toEqual([{ field: 'nextToken', reason: 'is not a token this API issued' }]);
  });

  it('stamps modified on a change', async () => {
    let now = 1_700_000_000_000;
    const clocked = await startWickrEmulator({ nowMs: () => now });
    try {
      now += 60_000;
      const client = fixture.client({ endpoint: clocked.endpoint });
      const { securityGroup } = await client.updateSecurityGroup({
        networkId: '12345678',
        groupId: 'sg-finance',
        securityGroupSettings: { lockoutThreshold: 6 },
      });
      expect(securityGroup.modified).toBe(1_700_000_060);
    } finally {
      await clocked.close();
    }
  });
});

describe('Wickr emulator: SigV4', () => {
  const get = (headers: Record<string, string>) =>
    fetch(new URL('/networks', emulator.endpoint), { headers }).then(async (r) => ({
      status: r.status,
      type: r.headers.get('x-amzn-errortype'),
      message: ((await r.json()) as { message: string }).message,
    }));

  it('answers 401 without an Authorization header', async () => {
    expect(await get({})).toEqual({ status: 401, type: 'UnauthorizedError', message: 'Missing Authorization header' });
  });

  it('answers 401 for a malformed Authorization header', async () => {
    expect((await get({ authorization: 'Bearer abc' })).status).toBe(401);
  });

  it('answers 401 when the scope names another service than wickr', async () => {
    const answer = await get({
      authorization: `AWS4-HMAC-SHA256 Credential=AKID/20261128/us-east-1/admin.wickr/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      'x-amz-date': '20261128T000000Z',
    });
    expect(answer).toMatchObject({ status: 401 });
    expect(answer.message).toContain("expected 'wickr'");
  });

  it('answers 401 for a wrong signature when configured with credentials', async () => {
    const client = fixture.client({ credentials: { ...testCredentials, secretAccessKey: 'not-the-secret' } });
    await expect(client.listNetworks()).rejects.toMatchObject({ status: 401 });
    expect(emulator.journal().at(-1)?.status).toBe(401);
  });
});

describe('Wickr emulator: control plane', () => {
  const control = (method: string, path: string, body?: unknown) =>
    fetch(new URL(path, emulator.endpoint), {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then((r) => r.json() as Promise<Record<string, unknown>>);

  it('seeds, reads state and resets', async () => {
    await control('POST', '/_emulator/reset', {
      networks: [{ networkId: '87654321', networkName: 'seeded', securityGroups: [{ id: 'only', name: 'only' }] }],
    });
    const state = (await control('GET', '/_emulator/state')) as { networks: { networkId: string }[] };
    expect(state.networks.map((n) => n.networkId)).toEqual(['87654321']);
  });

  it('carries sign-ins and lapsed invitations through the seed, the state and GetUser / ListUsers', async () => {
    const user = (userId: string, more: Record<string, unknown>) => ({
      userId,
      username: `u${userId}@example.com`,
      securityGroupIds: ['only'],
      ...more,
    });
    await control('POST', '/_emulator/reset', {
      networks: [
        {
          networkId: '87654321',
          networkName: 'seeded',
          securityGroups: [{ id: 'only', name: 'only' }],
          users: [
            user('1', { lastLogin: 1_764_000_000, lastActivity: 1_764_100_000 }),
            user('2', { status: 1, isInviteExpired: true }),
            user('3', {}),
          ],
        },
      ],
    });
    const state = (await control('GET', '/_emulator/state')) as { networks: { users: Record<string, unknown>[] }[] };
    expect(state.networks[0]?.users.map((u) => [u.userId, u.lastLogin, u.lastActivity, u.isInviteExpired])).toEqual([
      ['1', 1_764_000_000, 1_764_100_000, false],
      ['2', undefined, undefined, true],
      ['3', undefined, undefined, false],
    ]);
    const client = fixture.client();
    // Epoch seconds, as the model types them; absent for a user who never signed in.
    expect(await client.getUser({ networkId: '87654321', userId: '1' })).toMatchObject({
      lastLogin: 1_764_000_000,
      lastActivity: 1_764_100_000,
    });
    expect(await client.getUser({ networkId: '87654321', userId: '3' })).not.toHaveProperty('lastLogin');
    const { users = [] } = await client.listUsers({
      networkId: '87654321',
      sortFields: 'username',
      sortDirection: 'ASC',
    });
    // Only a pending user has an invitation to lapse.
    expect(users.map((u) => [u.userId, u.status, u.isInviteExpired])).toEqual([
      ['1', 2, undefined],
      ['2', 1, true],
      ['3', 2, undefined],
    ]);
  });

  it('keeps a journal of every request with operation, status, token and body', async () => {
    await fixture.client().createSecurityGroup({
      networkId: '12345678',
      name: 'journaled',
      securityGroupSettings: {},
      clientToken: 'journal-1',
    });
    const { entries } = (await control('GET', '/_emulator/journal')) as { entries: Record<string, unknown>[] };
    expect(entries).toEqual([
      expect.objectContaining({
        operation: 'CreateSecurityGroup',
        method: 'POST',
        path: '/networks/12345678/security-groups',
        status: 200,
        clientToken: 'journal-1',
        body: { name: 'journaled', securityGroupSettings: {} },
        applied: true,
      }),
    ]);
    await control('DELETE', '/_emulator/journal');
    expect(((await control('GET', '/_emulator/journal')) as { entries: unknown[] }).entries).toEqual([]);
  });

  it('sets faults: a token-bucket rate limit answers 429 once the burst is spent', async () => {
    await control('PUT', '/_emulator/faults', { rateLimit: { requestsPerSecond: 1, burst: 2 } });
    const client = fixture.client({ retry: { maxAttempts: 1 } });
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map(() => client.getNetwork({ networkId: '12345678' })));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
    expect(emulator.journal().map((e) => e.fault)).toEqual([undefined, undefined, 'rateLimit', 'rateLimit']);
  });

  it('answers bad control input with 400 naming the field, refuses unknown fault keys, and lists its routes', async () => {
    const put = (body: string) =>
      fetch(new URL('/_emulator/faults', emulator.endpoint), { method: 'PUT', body }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { reasons?: { field: string; reason: string }[] },
      }));
    // A typo used to do nothing at all.
    const typo = await put(JSON.stringify({ latencyMS: 50 }));
    expect(typo.status).toBe(400);
    expect(typo.body.reasons?.[0]?.field).toBe('latencyMS');
    expect((await put(JSON.stringify({ errorRates: { '500': 2 } }))).body.reasons?.[0]?.field).toBe('errorRates."500"');
    expect((await put('{not json')).body.reasons).toEqual([{ field: 'body', reason: 'must be JSON' }]);
    expect(((await control('GET', '/_emulator/faults')) as { latencyMs: number }).latencyMs).toBe(0);
    const badSeed = await fetch(new URL('/_emulator/reset', emulator.endpoint), {
      method: 'POST',
      body: JSON.stringify({ networks: [{ networkId: 'abc' }] }),
    });
    expect(badSeed.status).toBe(400);
    const routes = (await control('GET', '/_emulator/')) as { routes: string[] };
    expect(routes.routes).toContain('DELETE /_emulator/faults');
    expect(((await control('GET', '/_emulator/nope')) as { routes: string[] }).routes).toEqual(routes.routes);
  });

  it('refuses a clientToken in the body, where the API would not read it', async () => {
    const answer = await raw('POST', '/networks/12345678/security-groups', {
      name: 'body-token',
      securityGroupSettings: {},
      clientToken: 'misplaced',
    });
    expect(answer.status).toBe(422);
    expect(answer.body.reasons).toEqual([
      { field: 'clientToken', reason: 'belongs in the X-Client-Token header, not the body' },
    ]);
    expect(emulator.snapshot().networks[0]?.securityGroups.map((g) => g.name)).not.toContain('body-token');
  });

  it('injects random faults reproducibly from a seed', async () => {
    const run = async () => {
      emulator.reset();
      emulator.setFaults({ errorRates: { '500': 0.5 }, seed: 42 });
      const client = fixture.client({ retry: { maxAttempts: 1 } });
      for (let i = 0; i < 20; i++) await client.getNetwork({ networkId: '12345678' }).catch(() => undefined);
      return emulator.journal().map((e) => e.status);
    };
    const first = await run();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });
});

describe('Wickr emulator: command line', () => {
  it('prints one JSON ready line with its endpoint and serves on it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/wickr-emulator/cli.ts', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const line = await new Promise<string>((resolve) =>
        createInterface({ input: child.stdout }).once('line', resolve),
      );
      const { wickrEndpoint } = JSON.parse(line) as { wickrEndpoint: string };
      expect(wickrEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const client = fixture.client({ endpoint: wickrEndpoint });
      expect((await client.listNetworks()).networks[0]?.networkName).toBe('Demo Network');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
