import type { SQSClient } from '@aws-sdk/client-sqs';

/** What lands in a function's failure queue when its input is refused. */
export interface RefusedEvent {
  readonly functionName: string;
  readonly reason: string;
  readonly errorType: string;
  readonly issues?: readonly { field: string; reason: string }[] | undefined;
  readonly event: unknown;
}

/**
 * Sends refused input to the function's failure queue, where it waits with its reason. The SQS client loads on
 * the first refusal only: the happy path never pays for it at cold start.
 */
export class SqsFailureSink {
  #client:
    | Promise<{ client: SQSClient; SendMessageCommand: typeof import('@aws-sdk/client-sqs').SendMessageCommand }>
    | undefined;

  constructor(
    private readonly region: string,
    private readonly queueUrl: string,
    private readonly endpoint?: string,
  ) {}

  async send(refused: RefusedEvent): Promise<void> {
    this.#client ??= import('@aws-sdk/client-sqs').then(({ SQSClient, SendMessageCommand }) => ({
      SendMessageCommand,
      client: new SQSClient({
        region: this.region,
        ...(this.endpoint
          ? { endpoint: this.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
          : {}),
      }),
    }));
    const { client, SendMessageCommand } = await this.#client;
    await client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(refused) }));
  }
}
