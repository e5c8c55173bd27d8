import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { demoSeed } from '../../../infra/local/wickr-emulator/index.js';
import { readConsentPopup } from '../../../lib/wickr/consent-popup.js';
import {
  WickrAbortedError,
  WickrAdminClient,
  WickrBadRequestError,
  WickrError,
  WickrForbiddenError,
  WickrInternalServerError,
  WickrNetworkError,
  WickrRateLimitError,
  WickrRequestValidationError,
  WickrResourceNotFoundError,
  WickrTimeoutError,
  WickrUnauthorizedError,
  WickrValidationError,
} from '../../../lib/wickr/index.js';
import { startEmulatorFixture } from '../../support/wickr-emulator.js';

const fixture = await startEmulatorFixture();
const { emulator } = fixture;
const networkId = '12345678';
afterAll(() => emulator.close());
beforeEach(() => emulator.reset(demoSeed));

const apiCalls = () => emulator.journal().filter((e) => e.operation !== 'Unknown');

describe('WickrAdminClient against the emulator', () => {
  it('lists and reads networks', async () => {
    const client = fixture.client();
    const { networks } = await client.listNetworks();
    expect(networks.map((n) => n.networkId)).toEqual([networkId]);
    const network = await client.getNetwork({ networkId });
    expect(network.networkArn).toBe(`arn:aws:wickr:us-east-1:123456789012:network/${networkId}`);
  });

  it('creates, reads, updates, lists and deletes a security group', async () => {
    const client = fixture.client();
    const { securityGroup } = await client.createSecurityGroup({
      networkId,
      name: 'legal',
      securityGroupSettings: { lockoutThreshold: 7, federationMode: 0 },
    });
    expect(securityGroup).toMatchObject({ name: 'legal', isDefault: false, activeMembers: 0 });
    const updated = await client.updateSecurityGroup({
      networkId,
      groupId: securityGroup.id,
      securityGroupSettings: { maxNonSsoSessionMinutes: 60, calling: { canVideoCall: false } },
    });
    // PATCH merges: what was not sent is kept.
    expect(updated.securityGroup.securityGroupSettings).toMatchObject({
      lockoutThreshold: 7,
      maxNonSsoSessionMinutes: 60,
      calling: { canVideoCall: false },
    });
    const read = await client.getSecurityGroup({ networkId, groupId: securityGroup.id });
    expect(read.securityGroup.securityGroupSettings.maxNonSsoSessionMinutes).toBe(60);
    const deleted = await client.deleteSecurityGroup({ networkId, groupId: securityGroup.id });
    expect(deleted).toEqual({ message: 'success', networkId, groupId: securityGroup.id });
    await expect(client.getSecurityGroup({ networkId, groupId: securityGroup.id })).rejects.toBeInstanceOf(
      WickrResourceNotFoundError,
    );
  });

  it('creates users, lists them, moves, suspends and deletes them', async () => {
    const client = fixture.client();
    const created = await client.batchCreateUser({
      networkId,
      users: [{ username: 'dan@example.com', securityGroupIds: ['sg-finance'] }],
      clientToken: 'hr-join-dan',
    });
    expect(created.failed).toEqual([]);
    const userId = created.successful[0]?.userId ?? '';
    expect(userId).toMatch(/^\d+$/);

    const again = await client.batchCreateUser({
      networkId,
      users: [{ username: 'dan@example.com', securityGroupIds: ['sg-finance'] }],
    });
    expect(again.failed).toEqual([{ userId: '0', field: 'username', reason: 'User already exists' }]);

    const finance = await client.listSecurityGroupUsers({ networkId, groupId: 'sg-finance', sortDirection: 'ASC' });
    expect(finance.users.map((u) => u.username)).toEqual(['bob@example.com', 'dan@example.com']);

    const moved = await client.updateUser({ networkId, userId, userDetails: { securityGroupIds: ['sg-engineering'] } });
    expect(moved.securityGroupIds).toEqual(['sg-engineering']);
    expect((await client.getUser({ networkId, userId })).securityGroupIds).toEqual(['sg-engineering']);

    const suspended = await client.batchToggleUserSuspendStatus({ networkId, suspend: true, userIds: [userId] });
    expect(suspended.successful).toEqual([{ userId }]);
    const listed = await client.listUsers({ networkId, username: 'dan@example.com' });
    expect(listed.users[0]).toMatchObject({ userId, suspended: true, securityGroups: ['sg-engineering'] });

    const removed = await client.batchDeleteUser({ networkId, userIds: [userId, '999999'] });
    expect(removed.successful).toEqual([{ userId }]);
    expect(removed.failed).toEqual([{ userId: '999999', field: 'userId', reason: 'User not found' }]);
    await expect(client.getUser({ networkId, userId })).rejects.toBeInstanceOf(WickrResourceNotFoundError);
  });

  it('reads back the consent popup it set, including when disabled', async () => {
    const client = fixture.client();
    const popup = { enabled: true, header: 'Incident', content: '**Read** me', closeButtonLabel: 'OK' };
    const answer = await client.updateNetworkSettings({ networkId, settings: { consentPopup: popup } });
    expect(answer.settings.map((s) => s.optionName)).toEqual(['consentPopup']);
    const { settings } = await client.getNetworkSettings({ networkId });
    expect(readConsentPopup(settings)).toEqual({ status: 'read', config: popup });
    await client.updateNetworkSettings({ networkId, settings: { consentPopup: { enabled: false } } });
    const after = readConsentPopup((await client.getNetworkSettings({ networkId })).settings);
    expect(after).toEqual({ status: 'read', config: { ...popup, enabled: false } });
  });

  it('pages through many groups in the requested order', async () => {
    const client = fixture.client();
    const groups = Array.from({ length: 25 }, (_, i) => ({ id: `g${String(i).padStart(2, '0')}`, name: `team-${i}` }));
    emulator.reset({ networks: [{ networkId, networkName: 'paging', securityGroups: groups }] });
    const pages: string[][] = [];
    for await (const page of client.paginateSecurityGroups({ networkId, sortFields: 'id', sortDirection: 'ASC' })) {
      pages.push(page.securityGroups.map((g) => g.id));
    }
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(groups.map((g) => g.id));
    const listCalls = apiCalls().filter((e) => e.operation === 'ListSecurityGroups');
    expect(listCalls).toHaveLength(3);
    expect(listCalls[1]?.query.nextToken).toBeDefined();

    const users = [];
    for await (const page of client.paginateUsers({ networkId, maxResults: 1 })) users.push(page.users.length);
    expect(users).toEqual([0]); // one empty page, no nextToken
  });

  it('keeps members a newer API revision adds', async () => {
    emulator.reset({
      networks: [
        {
          networkId,
          networkName: 'future',
          securityGroups: [
            { id: 'g1', name: 'one', securityGroupSettings: { futureSetting: 'on', lockoutThreshold: 3 } },
          ],
        },
      ],
    });
    const { securityGroup } = await fixture.client().getSecurityGroup({ networkId, groupId: 'g1' });
    expect(securityGroup.securityGroupSettings).toEqual({ futureSetting: 'on', lockoutThreshold: 3 });
  });
});

describe('request validation', () => {
  it('refuses a maxNonSsoSessionMinutes the documentation forbids, naming the member, and sends nothing', async () => {
    const client = fixture.client();
    const error = await client
      .updateSecurityGroup({ networkId, groupId: 'sg-finance', securityGroupSettings: { maxNonSsoSessionMinutes: 30 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WickrRequestValidationError);
    expect((error as WickrRequestValidationError).issues).toEqual([
      { field: 'securityGroupSettings.maxNonSsoSessionMinutes', reason: 'must be 0 (disabled) or 60–525600' },
    ]);
    expect(apiCalls()).toEqual([]);
  });

  it.each([
    ['a network id that is not 8 digits', { networkId: '1234', groupId: 'g' }, 'networkId'],
    ['an empty group id', { networkId, groupId: '' }, 'groupId'],
  ])('refuses %s', async (_, input, field) => {
    const error = await fixture
      .client()
      .getSecurityGroup(input)
      .catch((e: unknown) => e);
    expect((error as WickrRequestValidationError).issues.map((i) => i.field)).toEqual([field]);
    expect(apiCalls()).toEqual([]);
  });
});

describe('service errors', () => {
  it('maps 404 to WickrResourceNotFoundError with status, message and request id', async () => {
    const error = (await fixture
      .client()
      .getNetwork({ networkId: '99999999' })
      .catch((e: unknown) => e)) as WickrResourceNotFoundError;
    expect(error).toBeInstanceOf(WickrResourceNotFoundError);
    expect(error).toMatchObject({ status: 404, errorType: 'ResourceNotFoundError', message: 'Network not found' });
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never follows a redirect: a 307 to another host is a non-retryable error, and that host receives nothing', async () => {
    const { createServer } = await import('node:http');
    const received: string[] = [];
    const foreign = createServer((req, res) => {
      received.push(`${req.method} ${req.url} ${req.headers['x-amz-security-token'] ?? ''}`);
      res.end('{}');
    });
    await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', r));
    const target = `http://127.0.0.1:${(foreign.address() as { port: number }).port}`;
    const redirecting = createServer((req, res) => {
      res.writeHead(307, { location: `${target}${req.url}` });
      res.end();
    });
    await new Promise<void>((r) => redirecting.listen(0, '127.0.0.1', r));
    try {
      const client = new WickrAdminClient({
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${(redirecting.address() as { port: number }).port}`,
        credentials: { accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 'secret-session' },
      });
      const error = (await client.getNetwork({ networkId }).catch((e: unknown) => e)) as WickrError;
      expect(error).toBeInstanceOf(WickrError);
      expect(error).toMatchObject({ status: 307, retryable: false });
      expect(received).toEqual([]);
    } finally {
      redirecting.close();
      foreign.close();
    }
  });

  it('maps 400 (deleting the default group) to WickrBadRequestError', async () => {
    await expect(fixture.client().deleteSecurityGroup({ networkId, groupId: 'sg-default' })).rejects.toBeInstanceOf(
      WickrBadRequestError,
    );
  });

  it('maps 401 (wrong secret) to WickrUnauthorizedError and does not retry it', async () => {
    const client = fixture.client({ credentials: { accessKeyId: 'AKIDTESTEMULATOR', secretAccessKey: 'wrong' } });
    await expect(client.listNetworks()).rejects.toBeInstanceOf(WickrUnauthorizedError);
    expect(emulator.journal()).toHaveLength(1);
  });

  it.each([
    [403, WickrForbiddenError],
    [422, WickrValidationError],
  ])('maps an injected %i to its typed error without retrying', async (status, ErrorClass) => {
    emulator.setFaults({ next: [{ status }] });
    await expect(fixture.client().listNetworks()).rejects.toBeInstanceOf(ErrorClass);
    expect(apiCalls()).toHaveLength(1);
  });

  it('carries the service reasons of a 422', async () => {
    emulator.setFaults({ next: [{ status: 422 }] });
    const error = (await fixture
      .client()
      .listNetworks()
      .catch((e: unknown) => e)) as WickrValidationError;
    expect(error.status).toBe(422);
    expect(error.reasons).toEqual([]);
  });
});

describe('retries', () => {
  it('retries a 429 and succeeds', async () => {
    emulator.setFaults({ next: [{ status: 429, operation: 'ListNetworks' }] });
    const { networks } = await fixture.client().listNetworks();
    expect(networks).toHaveLength(1);
    expect(apiCalls().map((e) => e.status)).toEqual([429, 200]);
  });

  it('retries 500 and a dropped connection', async () => {
    emulator.setFaults({ next: [{ status: 500 }, { reset: true }] });
    await fixture.client().getNetwork({ networkId });
    expect(apiCalls().map((e) => e.status)).toEqual([500, 0, 200]);
  });

  it('gives up after the attempt limit with the last error', async () => {
    emulator.setFaults({ errorRates: { '429': 1 } });
    const error = await fixture
      .client({ retry: { maxAttempts: 3, baseDelayMs: 1 } })
      .listNetworks()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WickrRateLimitError);
    expect(apiCalls()).toHaveLength(3);
  });

  it('gives up on repeated resets with WickrNetworkError', async () => {
    emulator.setFaults({ resetRate: 1 });
    const error = await fixture
      .client({ retry: { maxAttempts: 2, baseDelayMs: 1 } })
      .listNetworks()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WickrNetworkError);
    expect((error as Error).cause).toBeDefined();
    expect(apiCalls()).toHaveLength(2);
  });

  it('retries 5xx as WickrInternalServerError until exhausted', async () => {
    emulator.setFaults({ errorRates: { '503': 1 } });
    const error = await fixture
      .client({ retry: { maxAttempts: 2, baseDelayMs: 1 } })
      .listNetworks()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WickrInternalServerError);
    expect((error as WickrInternalServerError).status).toBe(503);
  });

  it('times out a slow attempt and retries it', async () => {
    emulator.setFaults({ latencyMs: 300 });
    const error = await fixture
      .client({ retry: { maxAttempts: 2, baseDelayMs: 1, requestTimeoutMs: 50 } })
      .listNetworks()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WickrTimeoutError);
    await new Promise((r) => setTimeout(r, 400));
    expect(apiCalls()).toHaveLength(2);
  });

  it('honours Retry-After, capped by the largest wait', async () => {
    emulator.setFaults({ next: [{ status: 429, retryAfterSeconds: 2 }] });
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    await fixture.client({ sleep, retry: { maxDelayMs: 1_500 } }).listNetworks();
    expect(waits).toEqual([1_500]);
  });

  it('stops at once when the caller aborts during a backoff', async () => {
    emulator.setFaults({ errorRates: { '500': 1 } });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const error = await fixture
      .client({ retry: { maxAttempts: 10, baseDelayMs: 10_000, maxDelayMs: 10_000 }, random: () => 1 })
      .listNetworks({}, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WickrAbortedError);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(apiCalls()).toHaveLength(1);
  });

  it('does not start when the signal has already fired', async () => {
    const error = await fixture
      .client()
      .listNetworks({}, { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WickrAbortedError);
    expect(apiCalls()).toEqual([]);
  });

  it('stops retrying when the time budget would be overrun', async () => {
    emulator.setFaults({ errorRates: { '500': 1 } });
    let now = 0;
    const client = fixture.client({
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
      random: () => 0.99,
      retry: { maxAttempts: 10, baseDelayMs: 1_000, maxDelayMs: 4_000, budgetMs: 5_000 },
    });
    await expect(client.listNetworks()).rejects.toBeInstanceOf(WickrInternalServerError);
    // Waits of 990 + 1980 fit in 5 s; the next (3960) would not.
    expect(apiCalls()).toHaveLength(3);
  });
});

describe('clientToken', () => {
  const create = {
    networkId,
    name: 'ops',
    securityGroupSettings: { lockoutThreshold: 4 },
    clientToken: 'create-ops-1',
  };

  it('replays the first response and creates nothing more', async () => {
    const client = fixture.client();
    const first = await client.createSecurityGroup(create);
    const second = await client.createSecurityGroup(create);
    expect(second.securityGroup.id).toBe(first.securityGroup.id);
    expect(emulator.snapshot().networks[0]?.securityGroups.filter((g) => g.name === 'ops')).toHaveLength(1);
    expect(apiCalls().map((e) => [e.clientToken, e.replayed, e.applied])).toEqual([
      ['create-ops-1', false, true],
      ['create-ops-1', true, false],
    ]);
  });

  it('refuses the same token with a different request', async () => {
    const client = fixture.client();
    await client.createSecurityGroup(create);
    await expect(client.createSecurityGroup({ ...create, name: 'ops-2' })).rejects.toBeInstanceOf(WickrBadRequestError);
  });

  it('makes "apply then fail" safe: the retry gets the first response, one group exists', async () => {
    emulator.setFaults({ next: [{ applyThenFail: true, operation: 'CreateSecurityGroup' }] });
    const { securityGroup } = await fixture.client().createSecurityGroup(create);
    const ops = emulator.snapshot().networks[0]?.securityGroups.filter((g) => g.name === 'ops') ?? [];
    expect(ops.map((g) => g.id)).toEqual([securityGroup.id]);
    expect(apiCalls().map((e) => [e.status, e.fault, e.replayed])).toEqual([
      [0, 'applyThenFail', false],
      [200, undefined, true],
    ]);
  });
});
