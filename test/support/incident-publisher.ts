/** Puts facts on a local stack's bus as the incident tool does (`security.incidents`), and waits for what they do. */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { LocalStack } from '../../infra/local/local-stack.js';

/** A sender of incident-tool facts to `stack`: each put drained, its event id returned. */
export function incidentPublisher(stack: LocalStack) {
  const client = new EventBridgeClient({
    region: 'us-east-1',
    endpoint: stack.eventBridgeEndpoint,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  return async (detailType: string, detail: object, time?: Date): Promise<string> => {
    const answer = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: stack.busName,
            Source: 'security.incidents',
            DetailType: detailType,
            Detail: JSON.stringify(detail),
            ...(time ? { Time: time } : {}),
          },
        ],
      }),
    );
    await stack.bus.drain();
    return answer.Entries?.[0]?.EventId as string;
  };
}
