import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';

/** A failure to publish an outcome event. */
export class OutcomePublishError extends Error {
  override name = 'OutcomePublishError';
}

/** Publishes outcome events (`Wickr Lockdown Applied`, …) to the project's bus. */
export class EventBridgeOutcomePublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
    private readonly source: string,
  ) {}

  async publish(detailType: string, detail: Readonly<Record<string, unknown>>): Promise<void> {
    const answer = await this.client.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: this.busName, Source: this.source, DetailType: detailType, Detail: JSON.stringify(detail) },
        ],
      }),
    );
    const failed = answer.Entries?.[0];
    if ((answer.FailedEntryCount ?? 0) > 0) {
      throw new OutcomePublishError(`Could not publish ${detailType}: ${failed?.ErrorCode} ${failed?.ErrorMessage}`);
    }
  }
}

/** An EventBridge client, pointed at the local bus when an endpoint is given. */
export function createEventBridgeClient(region: string, endpoint?: string): EventBridgeClient {
  return new EventBridgeClient({
    region,
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
}
