import { SqsJsonSender } from './sqs-sender.js';

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
  readonly #sender: SqsJsonSender;

  constructor(region: string, queueUrl: string, endpoint?: string, accessKeyId?: string) {
    this.#sender = new SqsJsonSender(region, queueUrl, endpoint, accessKeyId);
  }

  send(refused: RefusedEvent): Promise<void> {
    return this.#sender.send(refused);
  }
}
