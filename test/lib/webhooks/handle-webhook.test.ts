/** The signed webhook's contract, with its ports in memory: what is accepted, what is refused and how, and what is logged. */
import { describe, expect, it } from 'vitest';
import { secretReader } from '../../../lib/runtime/secret-reader.js';
import { handleWebhook, type WebhookDeps, type WebhookRequest } from '../../../lib/webhooks/handle-webhook.js';
import { signAutopilot, signPagerDuty } from '../../../lib/webhooks/signature.js';

const secret = 'pd-secret-value-0123456789-abcdefgh';
const eventsSecret = 'generic-secret-value-9876543210-xyz';
const now = Date.parse('2026-11-30T12:00:00Z');

function setup(putOk = true) {
  const put: { source: string; detailType: string; detail: unknown; time?: Date }[] = [];
  const logs: unknown[] = [];
  const deps: WebhookDeps = {
    secrets: {
      pagerDuty: secretReader(
        '/pd',
        async () => secret,
        () => now,
      ),
      events: secretReader(
        '/events',
        async () => eventsSecret,
        () => now,
      ),
    },
    putEvent: async (entry) => {
      if (putOk) put.push(entry);
      return putOk;
    },
    sources: { incident: 'security.incidents', hr: 'hr.system', pagerDutyWebhook: 'wickr.autopilot.webhook.pagerduty' },
    nowMs: () => now,
    logger: { info: (m, e) => void logs.push([m, e]), warn: (m, e) => void logs.push([m, e]) },
  };
  return { deps, put, logs };
}

/** A parameter's reads, counted: what a secret reader asks of SSM. */
function countingReads(value: () => string) {
  const counter = {
    reads: 0,
    read: async () => {
      counter.reads++;
      return value();
    },
  };
  return counter;
}

const pdBody = JSON.stringify({
  event: {
    id: '01DEN2HNQPQ5ZRLS6B7VXVTX0E',
    event_type: 'incident.triggered',
    resource_type: 'incident',
    occurred_at: '2026-11-30T11:59:00Z',
    data: { id: 'PT4KHLK', title: 'VPN', urgency: 'high', priority: { summary: 'P1' }, service: { id: 'PSEC001' } },
  },
});
const request = (path: string, body: string | Buffer, headers: Record<string, string>): WebhookRequest => ({
  method: 'POST',
  path,
  headers: { 'content-type': 'application/json', ...headers },
  body: Buffer.isBuffer(body) ? body : Buffer.from(body),
  sourceIp: '198.51.100.7',
});
const pd = (body: string | Buffer, signature: string | undefined, headers: Record<string, string> = {}) =>
  request('/pagerduty', body, { ...(signature ? { 'x-pagerduty-signature': signature } : {}), ...headers });

describe('the PagerDuty webhook', () => {
  it('accepts a valid signature and puts the event on the bus as PagerDuty Webhook', async () => {
    const { deps, put } = setup();
    const answer = await handleWebhook(pd(pdBody, signPagerDuty(pdBody, secret)), deps);
    expect(answer.statusCode).toBe(202);
    expect(put).toEqual([
      { source: 'wickr.autopilot.webhook.pagerduty', detailType: 'PagerDuty Webhook', detail: JSON.parse(pdBody) },
    ]);
  });

  it.each([
    ['a wrong secret', pd(pdBody, signPagerDuty(pdBody, 'another-secret'))],
    ['a body altered by one byte', pd(`${pdBody.slice(0, -2)} }`, signPagerDuty(pdBody, secret))],
    ['a missing header', pd(pdBody, undefined)],
    ['a malformed header', pd(pdBody, 'sha256=abc')],
  ])('refuses %s with a bare 401, nothing on the bus, the reason only in the log', async (_what, req) => {
    const { deps, put, logs } = setup();
    const answer = await handleWebhook(req, deps);
    expect(answer).toMatchObject({ statusCode: 401, body: '{"message":"unauthorized"}' });
    expect(put).toEqual([]);
    expect(JSON.stringify(logs)).toContain('198.51.100.7');
  });

  it('accepts during a secret rotation: two v1 values, either valid', async () => {
    const { deps, put } = setup();
    const header = `${signPagerDuty(pdBody, 'old-secret')}, ${signPagerDuty(pdBody, secret)}`;
    expect((await handleWebhook(pd(pdBody, header), deps)).statusCode).toBe(202);
    expect(put).toHaveLength(1);
  });

  it('refuses a body over 256 KB (413) and a wrong content type (415) before reading it', async () => {
    const { deps, put } = setup();
    const big = Buffer.alloc(300 * 1024, 'a');
    expect((await handleWebhook(pd(big, signPagerDuty(big, secret)), deps)).statusCode).toBe(413);
    const wrongType = pd(pdBody, signPagerDuty(pdBody, secret), { 'content-type': 'text/plain' });
    expect((await handleWebhook(wrongType, deps)).statusCode).toBe(415);
    expect(put).toEqual([]);
  });

  it('answers 503 when the bus does not take the event, so PagerDuty retries', async () => {
    const { deps } = setup(false);
    expect((await handleWebhook(pd(pdBody, signPagerDuty(pdBody, secret)), deps)).statusCode).toBe(503);
  });

  it('never writes the secret or the expected signature in a log line', async () => {
    const { deps, logs } = setup();
    await handleWebhook(pd(pdBody, signPagerDuty(pdBody, 'wrong')), deps);
    await handleWebhook(pd(pdBody, signPagerDuty(pdBody, secret)), deps);
    const text = JSON.stringify(logs);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(signPagerDuty(pdBody, secret).slice(3));
  });
});

describe('the generic webhook', () => {
  const declared = JSON.stringify({
    'detail-type': 'Incident Declared',
    detail: { incidentId: 'INC-9', severity: 'SEV2', title: 'From another tool' },
  });
  const generic = (body: string, signature?: string) =>
    request('/events', body, signature ? { 'x-autopilot-signature': signature } : {});

  it('puts a signed contract event on the bus with its contract source', async () => {
    const { deps, put } = setup();
    expect((await handleWebhook(generic(declared, signAutopilot(declared, eventsSecret, now)), deps)).statusCode).toBe(
      202,
    );
    expect(put[0]).toMatchObject({ source: 'security.incidents', detailType: 'Incident Declared' });
  });

  it('refuses an old timestamp (a replay) with 401', async () => {
    const { deps, put } = setup();
    const old = signAutopilot(declared, eventsSecret, now - 301_000);
    expect((await handleWebhook(generic(declared, old), deps)).statusCode).toBe(401);
    expect(put).toEqual([]);
  });

  it('refuses, once authenticated, a body that breaks the contract, naming the field', async () => {
    const { deps, put } = setup();
    const bad = JSON.stringify({
      'detail-type': 'Incident Declared',
      detail: { incidentId: 'INC-9', severity: 'SEV9' },
    });
    const answer = await handleWebhook(generic(bad, signAutopilot(bad, eventsSecret, now)), deps);
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('detail.severity');
    expect(put).toEqual([]);
  });

  it('is closed (404) when no secret is configured', async () => {
    const { deps } = setup();
    const closed = {
      ...deps,
      secrets: {
        ...deps.secrets,
        events: secretReader(
          '',
          async () => eventsSecret,
          () => now,
        ),
      },
    };
    expect(
      (await handleWebhook(generic(declared, signAutopilot(declared, eventsSecret, now)), closed)).statusCode,
    ).toBe(404);
    // A secret shorter than 32 characters is no secret: the route answers as unconfigured, even to its own signature.
    const short = 'only-31-characters-long-secret!';
    const weak = {
      ...deps,
      secrets: {
        ...deps.secrets,
        events: secretReader(
          '/events',
          async () => short,
          () => now,
        ),
      },
    };
    expect((await handleWebhook(generic(declared, signAutopilot(declared, short, now)), weak)).statusCode).toBe(404);
  });

  it('a rotated secret works at once, the old one until its 5 minutes are up; a flood of bad signatures reads once', async () => {
    const { deps } = setup();
    let clock = now;
    let stored = eventsSecret;
    const counted = countingReads(() => stored);
    const events = secretReader('/events', counted.read, () => clock);
    const rotating = { ...deps, nowMs: () => clock, secrets: { ...deps.secrets, events } };
    const send = (key: string) => handleWebhook(generic(declared, signAutopilot(declared, key, clock)), rotating);
    expect((await send(eventsSecret)).statusCode).toBe(202);
    const rotated = 'the-new-secret-after-rotation-0123456789';
    stored = rotated;
    clock += 60_000;
    // The new secret fails against the held one, so the parameter is read again before a refusal: accepted now.
    expect((await send(rotated)).statusCode).toBe(202);
    expect(counted.reads).toBe(2);
    // A thousand bad signatures in the next seconds: refused, with at most one more read between them.
    for (let i = 0; i < 1000; i++) expect((await send('guessed-secret-guessed-secret-guessed')).statusCode).toBe(401);
    expect(counted.reads).toBe(2);
    // The old secret is gone from the parameter: refused once the held copy is read again.
    clock += 300_000;
    expect((await send(eventsSecret)).statusCode).toBe(401);
    expect(counted.reads).toBe(3);
  });

  it('answers an unsigned or malformed request before any I/O: the secrets are not even read', async () => {
    const { deps, logs } = setup();
    const reader = countingReads(() => eventsSecret);
    const counted = secretReader('/events', reader.read, () => now);
    const guarded = { ...deps, secrets: { pagerDuty: counted, events: counted } };
    const attempts: Record<string, string>[] = [
      {},
      { 'x-autopilot-signature': 'nonsense' },
      { 'x-autopilot-signature': signAutopilot(declared, eventsSecret, now - 3_600_000) },
    ];
    for (const headers of attempts) {
      expect((await handleWebhook(request('/events', declared, headers), guarded)).statusCode).toBe(401);
    }
    expect(
      (await handleWebhook(request('/pagerduty', pdBody, { 'x-pagerduty-signature': 'v1=xyz' }), guarded)).statusCode,
    ).toBe(401);
    expect(reader.reads).toBe(0);
    expect(logs.map((l) => (l as [string, { reason: string }])[1].reason)).toEqual([
      'missing',
      'malformed',
      'stale',
      'malformed',
    ]);
  });

  it('dates a generic event by its signed time, not by when it arrived', async () => {
    const { deps, put } = setup();
    const signedAt = now - 120_000;
    await handleWebhook(generic(declared, signAutopilot(declared, eventsSecret, signedAt)), deps);
    expect(put.at(-1)?.time?.toISOString()).toBe(new Date(Math.floor(signedAt / 1000) * 1000).toISOString());
  });
});
