import { type AwsJsonCall, awsJson } from './aws-json.js';

/** Sends JSON messages to one SQS queue (SendMessage over the JSON protocol, lib/runtime/aws-json.ts). */
export class SqsJsonSender {
  readonly #call: AwsJsonCall;

  constructor(
    region: string,
    private readonly queueUrl: string,
    endpoint?: string,
    /** The key local requests are signed with (the local SQS knows the function's role by it). */
    accessKeyId = 'local',
  ) {
    this.#call = awsJson('sqs', {
      region,
      endpoint,
      ...(endpoint ? { credentials: { accessKeyId, secretAccessKey: 'local' } } : {}),
    });
  }

  /** Sends one message, visible after `delaySeconds` (0–900, SQS's bounds). */
  async send(body: unknown, delaySeconds?: number): Promise<void> {
    await this.#call('SendMessage', {
      QueueUrl: this.queueUrl,
      MessageBody: JSON.stringify(body),
      ...(delaySeconds ? { DelaySeconds: delaySeconds } : {}),
    });
  }
}
