import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

/** What lands in a function's failure queue when its input is refused. */
export interface RefusedEvent {
  readonly functionName: string;
  readonly reason: string;
  readonly errorType: string;
  readonly issues?: readonly { field: string; reason: string }[] | undefined;
  readonly event: unknown;
}

/** Sends refused input to the function's failure queue, where it waits with its reason. */
export class SqsFailureSink {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(refused: RefusedEvent): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(refused) }));
  }
}

/** An SQS client, pointed at the local stack when an endpoint is given. */
export function createSqsClient(region: string, endpoint?: string): SQSClient {
  return new SQSClient({
    region,
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
}
