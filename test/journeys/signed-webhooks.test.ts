/**
 * The signed webhook end to end on the local stack: its function URL (payload format 2.0, as AWS sends it), its
 * secrets from the SSM stand-in, the bus (whose policy lets only the webhook's role put PagerDuty's webhook source),
 * and the lockdown that follows on the Wickr emulator — or, refused, nothing at all.
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../infra/local/local-stack.js';
import { signAutopilot, signPagerDuty } from '../../lib/webhooks/signature.js';
import { dynamoKind } from '../support/local-dynamodb.js';

const pdSecret = 'pd-local-secret-5f1c-0123456789abcdef';
const eventsSecret = 'events-local-secret-77a2-0123456789ab';
const stack = await startLocalStack({
  dynamodb: dynamoKind,
  retryDelaysMs: [50, 100],
  logLevel: 'DEBUG',
  params: {
    pagerDutyWebhookSecretParameter: '/wickr-autopilot/test/pd',
    webhookSecretParameter: '/wickr-autopilot/test/events',
  },
  ssmParameters: new Map([
    ['/wickr-autopilot/test/pd', pdSecret],
    ['/wickr-autopilot/test/events', eventsSecret],
  ]),
});
afterAll(() => stack.close());

const url = stack.functionUrls.get('webhooks') as string;
const post = (path: string, body: string, headers: Record<string, string>) =>
  fetch(new URL(path, url), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const session = () =>
  stack.emulator.snapshot().networks[0]?.securityGroups.find((g) => g.id === 'sg-engineering')?.securityGroupSettings
    .maxNonSsoSessionMinutes;
const incident = `Q${randomUUID().slice(0, 8).toUpperCase()}`;
const pdEvent = (type: string, seconds: number) =>
  JSON.stringify({
    event: {
      id: randomUUID(),
      event_type: type,
      resource_type: 'incident',
      occurred_at: new Date(Date.now() - 60_000 + seconds * 1000).toISOString(),
      data: {
        id: incident,
        title: 'Credential stuffing',
        urgency: 'high',
        priority: { summary: 'P1' },
        service: { id: 'PSEC001' },
      },
    },
  });

describe('signed webhooks on the local stack', () => {
  it('a PagerDuty V3 webhook, signed, locks Wickr down and its resolution restores; a forged one does nothing', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const before = session();
    const forged = pdEvent('incident.triggered', 1);
    const refused = await post('/pagerduty', forged, { 'x-pagerduty-signature': signPagerDuty(forged, 'guess') });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ message: 'unauthorized' });
    // Visible locally as any invocation is: the function, and what it answered.
    expect(stack.bus.invocations.filter((i) => i.functionName === 'webhooks').at(-1)).toMatchObject({
      trigger: 'url',
      detailType: 'POST /pagerduty → 401',
      outcome: 'succeeded',
    });
    await stack.bus.drain();
    expect(session()).toBe(before);

    const triggered = pdEvent('incident.triggered', 2);
    expect(
      (await post('/pagerduty', triggered, { 'x-pagerduty-signature': signPagerDuty(triggered, pdSecret) })).status,
    ).toBe(202);
    await stack.bus.drain();
    expect(session()).toBe(60);
    const resolved = pdEvent('incident.resolved', 3);
    expect(
      (await post('/pagerduty', resolved, { 'x-pagerduty-signature': signPagerDuty(resolved, pdSecret) })).status,
    ).toBe(202);
    await stack.bus.drain();
    expect(session()).toBe(before);
  });

  it('the generic webhook puts a signed contract event on the bus; PagerDuty’s webhook source is the webhook’s alone', async () => {
    const body = JSON.stringify({
      'detail-type': 'Incident Declared',
      detail: { incidentId: `WH-${incident}`, severity: 'SEV2', title: 'From another tool' },
    });
    const answer = await post('/events', body, {
      'x-autopilot-signature': signAutopilot(body, eventsSecret, Date.now()),
    });
    expect(answer.status).toBe(202);
    await stack.bus.drain();
    expect(session()).toBe(240);
    // Anyone else putting the webhook's PagerDuty source straight on the bus is denied by its policy.
    const bus = new EventBridgeClient({
      region: stack.region,
      endpoint: stack.eventBridgeEndpoint,
      credentials: { accessKeyId: 'someone', secretAccessKey: 'x' },
    });
    const direct = bus.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: stack.busName,
            Source: 'wickr.autopilot.webhook.pagerduty',
            DetailType: 'PagerDuty Webhook',
            Detail: pdEvent('incident.triggered', 9),
          },
        ],
      }),
    );
    await expect(direct).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('a rotated secret works within seconds (PutParameter on the SSM stand-in), without recycling an environment', async () => {
    const ssm = new SSMClient({
      region: stack.region,
      endpoint: stack.eventBridgeEndpoint,
      credentials: { accessKeyId: 'operator', secretAccessKey: 'x' },
    });
    const rotated = 'events-rotated-secret-9d3e-0123456789';
    // A rotation: the parameter holds the new secret beside the old until every sender has the new one.
    const value = `${eventsSecret}\n${rotated}`;
    await ssm.send(
      new PutParameterCommand({
        Name: '/wickr-autopilot/test/events',
        Value: value,
        Type: 'SecureString',
        Overwrite: true,
      }),
    );
    // The environment read the old secret moments ago: it reads again before a refusal, once per 5 s at most.
    await new Promise((r) => setTimeout(r, 5_100));
    const body = JSON.stringify({ 'detail-type': 'Incident Resolved', detail: { incidentId: `WH-${incident}` } });
    const answer = await post('/events', body, { 'x-autopilot-signature': signAutopilot(body, rotated, Date.now()) });
    expect(answer.status).toBe(202);
    await stack.bus.drain();
    expect(session()).toBe(1440);
    const read = await ssm.send(
      new GetParameterCommand({ Name: '/wickr-autopilot/test/events', WithDecryption: true }),
    );
    expect(read.Parameter).toMatchObject({ Value: value, Version: 1 });
  });

  it('does not drown: 1,000 unsigned or forged requests interleaved with 10 signed ones, all 10 accepted', async () => {
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 1010; i++) {
      const signed = i % 101 === 100;
      const body = JSON.stringify({
        'detail-type': 'Incident Declared',
        detail: { incidentId: `FLOOD-${i}`, severity: 'SEV4', dryRun: true },
      });
      const headers: Record<string, string> = signed
        ? { 'x-autopilot-signature': signAutopilot(body, eventsSecret, Date.now()) }
        : i % 2 === 0
          ? {}
          : { 'x-autopilot-signature': signAutopilot(body, 'forged-secret-forged-secret-forged-00', Date.now()) };
      const answer = await post('/events', body, headers);
      if (answer.status === 202) accepted++;
      else if (answer.status === 401) refused++;
    }
    expect({ accepted, refused }).toEqual({ accepted: 10, refused: 1000 });
    await stack.bus.drain();
  }, 120_000);
});
