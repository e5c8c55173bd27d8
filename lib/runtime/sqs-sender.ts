import type { SQSClient } from '@aws-sdk/client-sqs';

/**
 * Sends JSON messages to one SQS queue. The SQS client loads on the first send only: a function that never sends
 * (the happy path of most) never pays for it at cold start.
 */
export class SqsJsonSender {
  #client:
    | Promise<{ client: SQSClient; SendMessageCommand: typeof import('@aws-sdk/client-sqs').SendMessageCommand }>
    | undefined;

  constructor(
    private readonly region: string,
    private readonly queueUrl: string,
    private readonly endpoint?: string,
    /** The key local requests are signed with (the local SQS knows the function's role by it). */
    private readonly accessKeyId = 'local',
  ) {}

  /** Sends one message, visible after `delaySeconds` (0–900, SQS's bounds). */
  async send(body: unknown, delaySeconds?: number): Promise<void> {
    this.#client ??= import('@aws-sdk/client-sqs').then(({ SQSClient, SendMessageCommand }) => ({
      SendMessageCommand,
      client: new SQSClient({
        region: this.region,
        ...(this.endpoint
          ? { endpoint: this.endpoint, credentials: { accessKeyId: this.accessKeyId, secretAccessKey: 'local' } }
          : {}),
      }),
    }));
    const { client, SendMessageCommand } = await this.#client;
    await client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(body),
        ...(delaySeconds ? { DelaySeconds: delaySeconds } : {}),
      }),
    );
  }
}
