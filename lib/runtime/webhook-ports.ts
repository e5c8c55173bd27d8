/**
 * The webhook's ports: its secrets, read from SSM Parameter Store (SecureStrings, decrypted) once per execution
 * environment and kept in memory — never in environment variables or logs — and the bus it puts verified events on.
 */
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { pagerDutyWebhookSource } from '../events/pagerduty-events.js';
import type { WebhookDeps } from '../webhooks/handle-webhook.js';
import type { RuntimeConfig } from './config.js';
import { logger } from './logger.js';
import { createEventBridgeClient } from './outcome-publisher.js';

/**
 * A secret parameter's values: one per line, so a rotation can hold the old and the new secret together. Read once;
 * a failed read is not kept (the next request tries again). No name: the route is closed.
 */
function secretReader(ssm: () => SSMClient, name: string) {
  let cached: Promise<readonly string[]> | undefined;
  return async (): Promise<readonly string[] | undefined> => {
    if (!name) return undefined;
    cached ??= ssm()
      .send(new GetParameterCommand({ Name: name, WithDecryption: true }))
      .then((answer) =>
        (answer.Parameter?.Value ?? '')
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean),
      );
    try {
      return await cached;
    } catch (error) {
      cached = undefined;
      throw error;
    }
  };
}

/** The webhook's dependencies for this execution environment. */
export function webhookDeps(c: RuntimeConfig): WebhookDeps {
  let client: SSMClient | undefined;
  const ssm = () => {
    client ??= new SSMClient({
      region: c.region,
      ...(c.ssmEndpoint
        ? { endpoint: c.ssmEndpoint, credentials: { accessKeyId: c.localAccessKeyId, secretAccessKey: 'local' } }
        : {}),
    });
    return client;
  };
  const bus = createEventBridgeClient(c.region, c.eventBridgeEndpoint, c.localAccessKeyId);
  return {
    secrets: {
      pagerDuty: secretReader(ssm, c.pagerDutyWebhookSecretParameter),
      events: secretReader(ssm, c.webhookSecretParameter),
    },
    putEvent: async ({ source, detailType, detail }) => {
      const answer = await bus.send(
        new PutEventsCommand({
          Entries: [
            { EventBusName: c.eventBusName, Source: source, DetailType: detailType, Detail: JSON.stringify(detail) },
          ],
        }),
      );
      return (answer.FailedEntryCount ?? 0) === 0;
    },
    sources: { incident: c.incidentSource, hr: c.hrSource, pagerDutyWebhook: pagerDutyWebhookSource },
    nowMs: Date.now,
    logger,
  };
}
