/**
 * The webhook's ports: its secrets, read from SSM Parameter Store (SecureStrings, decrypted) and kept in memory at
 * most 5 minutes (secret-reader.ts) — never in environment variables or logs — and the bus it puts verified events on.
 */
import { pagerDutyWebhookSource } from '../events/pagerduty-events.js';
import type { WebhookDeps } from '../webhooks/handle-webhook.js';
import { awsJson } from './aws-json.js';
import type { RuntimeConfig } from './config.js';
import { logger } from './logger.js';
import { eventBridgePutEvents } from './outcome-publisher.js';
import { secretReader } from './secret-reader.js';

/** The webhook's dependencies for this execution environment. */
export function webhookDeps(c: RuntimeConfig): WebhookDeps {
  const ssm = awsJson('ssm', {
    region: c.region,
    endpoint: c.ssmEndpoint,
    ...(c.ssmEndpoint ? { credentials: { accessKeyId: c.localAccessKeyId, secretAccessKey: 'local' } } : {}),
  });
  const putEvents = eventBridgePutEvents(c.region, c.eventBridgeEndpoint, c.localAccessKeyId);
  const read = async (name: string) =>
    (await ssm<{ Parameter?: { Value?: string } }>('GetParameter', { Name: name, WithDecryption: true })).Parameter
      ?.Value;
  return {
    secrets: {
      pagerDuty: secretReader(c.pagerDutyWebhookSecretParameter, read, Date.now),
      events: secretReader(c.webhookSecretParameter, read, Date.now),
    },
    putEvent: async ({ source, detailType, detail, time }) => {
      const entry = {
        EventBusName: c.eventBusName,
        Source: source,
        DetailType: detailType,
        Detail: JSON.stringify(detail),
      };
      const answer = await putEvents([{ ...entry, ...(time ? { Time: time } : {}) }]);
      return (answer.FailedEntryCount ?? 0) === 0;
    },
    sources: { incident: c.incidentSource, hr: c.hrSource, pagerDutyWebhook: pagerDutyWebhookSource },
    nowMs: Date.now,
    logger,
  };
}
