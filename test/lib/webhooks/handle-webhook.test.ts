/** The signed webhook's contract, with its ports in memory: what is accepted, what is refused and how, and what is logged. */
import { describe, expect, it } from 'vitest';
import { handleWebhook, type WebhookDeps, type WebhookRequest } from '../../../lib/webhooks/handle-webhook.js';
import { signAutopilot, signPagerDuty } from '../../../lib/webhooks/signature.js';

const secret = 'pd-secret-value-0123456789';
const eventsSecret = 'generic-secret-value-9876543210';
const now = Date.parse('2026-11-30T12:00:00Z');

function setup(putOk = true) {
  const put: { source: string; detailType: string; detail: unknown }[] = [];
  const logs: unknown[] = [];
  const deps: WebhookDeps = {
    secrets: { pagerDuty: async () => [secret], events: async () => [eventsSecret] },
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
    const closed = { ...deps, secrets: { ...deps.secrets, events: async () => undefined } };
    expect(
      (await handleWebhook(generic(declared, signAutopilot(declared, eventsSecret, now)), closed)).statusCode,
    ).toBe(404);
  });
});
