/**
 * Amazon SQS, locally: standard queues with the semantics Lambda's poller and the AWS SDK rely on — visibility
 * timeout, receive count, redrive to a dead-letter queue at `maxReceiveCount`, delays, batches, long polling —
 * served on the AWS JSON protocol (awsJson1.0, `AmazonSQS.<Operation>`), as `@aws-sdk/client-sqs` speaks it.
 *
 * Queue policies are enforced as AWS enforces their explicit denies, for every caller the request context names: a
 * SigV4 caller (its principal from `--identity`), a function's role (Lambda's pollers and destinations act as it),
 * and EventBridge delivering for a rule (`aws:SourceArn`).
 *
 * Not emulated: FIFO queues (the design uses none; a FIFO queue definition is refused), message attributes
 * beyond the system ones, retention expiry, SSE/KMS (the key policy is checked by the template tests only), and the
 * service's at-least-once duplicates (every receive here returns a message once per visibility window).
 */
import { createHash, randomUUID } from 'node:crypto';
import { deniedBy, type PolicyStatement, type RequestContext } from '../iam/resource-policy.js';
import type { QueueDefinition } from '../serverless-config.js';

/** Who is calling; undefined only for the control plane (`/_local/`), which stands for the console's operator. */
export type SqsCaller = RequestContext | undefined;

/** An SQS error as the JSON protocol returns it. */
export class SqsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly queryError = type,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'SqsError';
  }
}

interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5: string;
  readonly sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt: number | undefined;
  receiptHandle: string | undefined;
}

/** A message as ReceiveMessage returns it. */
export interface ReceivedMessage {
  readonly MessageId: string;
  readonly ReceiptHandle: string;
  readonly MD5OfBody: string;
  readonly Body: string;
  readonly Attributes: Record<string, string>;
}

/** A message as the control plane shows it, in flight or not. */
export interface QueueMessageView {
  readonly queue: string;
  readonly messageId: string;
  readonly sentAt: number;
  readonly receiveCount: number;
  readonly inFlight: boolean;
  /** Sent with a delay that has not passed yet: future work, not pending work. */
  readonly delayed: boolean;
  /** The body, parsed when it is JSON. */
  readonly body: unknown;
}

interface Queue {
  readonly definition: QueueDefinition;
  readonly messages: StoredMessage[];
}

/** Options of the local SQS service. */
export interface LocalSqsOptions {
  readonly queues: readonly QueueDefinition[];
  readonly region: string;
  readonly accountId: string;
  /** The endpoint queue URLs start with, once known. */
  readonly endpoint: () => string;
  readonly now?: () => number;
  /** Each queue's resource policy, by logical id. */
  readonly policies?: ReadonlyMap<string, readonly PolicyStatement[]>;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const maxMessageBytes = 256 * 1024;

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function integer(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new SqsError(
      'InvalidParameterValue',
      `Value ${String(value)} for parameter ${name} is invalid. Reason: must be between ${min} and ${max}.`,
    );
  }
  return n;
}

/** The local SQS service. */
export class LocalSqs {
  readonly #queues = new Map<string, Queue>();
  readonly #byName = new Map<string, Queue>();
  readonly #now: () => number;
  #waiters = new Set<() => void>();

  constructor(private readonly options: LocalSqsOptions) {
    this.#now = options.now ?? Date.now;
    for (const definition of options.queues) {
      if (definition.fifo) throw new Error(`The local SQS does not emulate FIFO queues (${definition.logicalId})`);
      const queue = { definition, messages: [] };
      this.#queues.set(definition.logicalId, queue);
      this.#byName.set(definition.name, queue);
    }
    for (const { definition } of this.#queues.values()) {
      const dlq = definition.redrive?.deadLetterQueue;
      if (dlq && !this.#queues.has(dlq)) throw new Error(`${definition.logicalId}: no dead-letter queue ${dlq}`);
    }
  }

  /** The queue's URL, by its logical id. */
  queueUrl(logicalId: string): string {
    const queue = this.#queue(logicalId);
    return `${this.options.endpoint()}/${this.options.accountId}/${queue.definition.name}`;
  }

  /** The queue's ARN, by its logical id. */
  queueArn(logicalId: string): string {
    const queue = this.#queue(logicalId);
    return `arn:aws:sqs:${this.options.region}:${this.options.accountId}:${queue.definition.name}`;
  }

  /** Logical ids of every queue. */
  logicalIds(): string[] {
    return [...this.#queues.keys()];
  }

  #queue(logicalId: string): Queue {
    const queue = this.#queues.get(logicalId);
    if (!queue) throw new SqsError('QueueDoesNotExist', `The queue ${logicalId} does not exist.`, NON_EXISTENT);
    return queue;
  }

  #fromUrl(url: unknown): Queue {
    if (typeof url !== 'string' || url === '') {
      throw new SqsError('MissingParameter', 'The request must contain the parameter QueueUrl.');
    }
    const queue = this.#byName.get(url.split('/').pop() ?? '');
    if (!queue) throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.', NON_EXISTENT);
    return queue;
  }

  /** Puts a message on a queue by its logical id; what Lambda's destinations and EventBridge targets do. */
  send(
    logicalId: string,
    body: string,
    delaySeconds = 0,
    caller?: SqsCaller,
  ): { MessageId: string; MD5OfMessageBody: string } {
    const queue = this.#queue(logicalId);
    this.#authorize(queue, 'SendMessage', caller);
    return this.#send(queue, body, delaySeconds);
  }

  /** Refuses the request as SQS does when the queue's policy denies it explicitly. */
  #authorize(queue: Queue, operation: string, caller: SqsCaller): void {
    if (!caller) return;
    const statements = this.options.policies?.get(queue.definition.logicalId) ?? [];
    const action = `sqs:${operation.replace(/Batch$/, '')}`;
    const arn = this.queueArn(queue.definition.logicalId);
    if (deniedBy(statements, action, arn, caller)) {
      const who = caller.principalArn ?? `a service for ${caller.sourceArn ?? 'no resource'}`;
      throw new SqsError(
        'AccessDenied',
        `User: ${who} is not authorized to perform: ${action} on resource: ${arn} with an explicit deny in a resource-based policy`,
        'AccessDenied',
        403,
      );
    }
  }

  #send(queue: Queue, body: string, delaySeconds: number | undefined) {
    if (typeof body !== 'string' || body.length === 0) {
      throw new SqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
    }
    if (Buffer.byteLength(body) > maxMessageBytes) {
      throw new SqsError('InvalidParameterValue', `Message must be shorter than ${maxMessageBytes} bytes.`);
    }
    const delay = integer(delaySeconds, 'DelaySeconds', 0, 900, queue.definition.delaySeconds);
    const now = this.#now();
    const message: StoredMessage = {
      messageId: randomUUID(),
      body,
      md5: md5(body),
      sentAt: now,
      visibleAt: now + delay * 1000,
      receiveCount: 0,
      firstReceiveAt: undefined,
      receiptHandle: undefined,
    };
    queue.messages.push(message);
    this.#wake();
    return { MessageId: message.messageId, MD5OfMessageBody: message.md5 };
  }

  #wake(): void {
    for (const wake of this.#waiters) wake();
  }

  /**
   * Receives up to `max` visible messages, making them invisible for the visibility timeout. A message already
   * received `maxReceiveCount` times moves to the dead-letter queue instead, as SQS redrives it.
   */
  receive(
    logicalId: string,
    options: { max?: number; visibilityTimeout?: number; waitTimeSeconds?: number } = {},
    caller?: SqsCaller,
  ): Promise<ReceivedMessage[]> {
    const queue = this.#queue(logicalId);
    this.#authorize(queue, 'ReceiveMessage', caller);
    return this.#receive(queue, options);
  }

  async #receive(
    queue: Queue,
    options: { max?: number; visibilityTimeout?: number; waitTimeSeconds?: number },
  ): Promise<ReceivedMessage[]> {
    const max = integer(options.max, 'MaxNumberOfMessages', 1, 10, 1);
    const visibility = integer(
      options.visibilityTimeout,
      'VisibilityTimeout',
      0,
      43_200,
      queue.definition.visibilityTimeout,
    );
    const wait = integer(options.waitTimeSeconds, 'WaitTimeSeconds', 0, 20, queue.definition.receiveWaitTimeSeconds);
    const until = this.#now() + wait * 1000;
    for (;;) {
      const taken = this.#take(queue, max, visibility);
      const left = until - this.#now();
      if (taken.length > 0 || left <= 0) return taken;
      // Long polling: wake on a send or when the next invisible message becomes visible, whichever is first.
      const nextVisible = Math.min(...queue.messages.map((m) => m.visibleAt)) - this.#now();
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.#waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(1, Math.min(left, Number.isFinite(nextVisible) ? nextVisible : left)));
        this.#waiters.add(done);
      });
    }
  }

  #take(queue: Queue, max: number, visibility: number): ReceivedMessage[] {
    const now = this.#now();
    const taken: ReceivedMessage[] = [];
    const redrive = queue.definition.redrive;
    for (const message of [...queue.messages]) {
      if (taken.length >= max) break;
      if (message.visibleAt > now) continue;
      if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
        queue.messages.splice(queue.messages.indexOf(message), 1);
        const dlq = this.#queue(redrive.deadLetterQueue);
        // The dead-letter queue keeps the message id, body and sent time; its receive count starts again.
        dlq.messages.push({ ...message, visibleAt: now, receiveCount: 0, receiptHandle: undefined });
        continue;
      }
      message.receiveCount++;
      message.firstReceiveAt ??= now;
      message.visibleAt = now + visibility * 1000;
      message.receiptHandle = `${message.messageId}#${randomUUID()}`;
      taken.push({
        MessageId: message.messageId,
        ReceiptHandle: message.receiptHandle,
        MD5OfBody: message.md5,
        Body: message.body,
        Attributes: {
          ApproximateReceiveCount: String(message.receiveCount),
          SentTimestamp: String(message.sentAt),
          ApproximateFirstReceiveTimestamp: String(message.firstReceiveAt),
          SenderId: this.options.accountId,
        },
      });
    }
    return taken;
  }

  #byHandle(queue: Queue, handle: unknown): StoredMessage | undefined {
    if (typeof handle !== 'string' || !handle.includes('#')) {
      throw new SqsError('ReceiptHandleIsInvalid', `The input receipt handle "${String(handle)}" is not valid.`);
    }
    return queue.messages.find((m) => m.messageId === handle.split('#')[0]);
  }

  /** Deletes a received message. A stale handle of a message still there deletes it too, as SQS does. */
  delete(logicalId: string, receiptHandle: string, caller?: SqsCaller): void {
    const queue = this.#queue(logicalId);
    this.#authorize(queue, 'DeleteMessage', caller);
    this.#delete(queue, receiptHandle);
  }

  #delete(queue: Queue, receiptHandle: unknown): void {
    const message = this.#byHandle(queue, receiptHandle);
    if (message) queue.messages.splice(queue.messages.indexOf(message), 1);
  }

  /** Changes a received message's visibility timeout, from now. */
  changeVisibility(logicalId: string, receiptHandle: string, seconds: number): void {
    this.#changeVisibility(this.#queue(logicalId), receiptHandle, seconds);
  }

  #changeVisibility(queue: Queue, receiptHandle: unknown, seconds: unknown): void {
    const timeout = integer(seconds, 'VisibilityTimeout', 0, 43_200, Number.NaN);
    if (Number.isNaN(timeout)) {
      throw new SqsError('MissingParameter', 'The request must contain the parameter VisibilityTimeout.');
    }
    const message = this.#byHandle(queue, receiptHandle);
    if (!message || message.receiptHandle !== receiptHandle || message.visibleAt <= this.#now()) {
      throw new SqsError(
        'MessageNotInflight',
        'The message referred to is not in flight.',
        'AWS.SimpleQueueService.MessageNotInflight',
      );
    }
    message.visibleAt = this.#now() + timeout * 1000;
    if (timeout === 0) this.#wake();
  }

  /** Every message of a queue, visible or in flight, oldest first. */
  messages(logicalId: string): QueueMessageView[] {
    const now = this.#now();
    return this.#queue(logicalId).messages.map((m) => ({
      queue: logicalId,
      messageId: m.messageId,
      sentAt: m.sentAt,
      receiveCount: m.receiveCount,
      inFlight: m.visibleAt > now && m.receiveCount > 0,
      delayed: m.visibleAt > now && m.receiveCount === 0,
      body: parseBody(m.body),
    }));
  }

  /** Makes every delayed message of a queue visible now, as if its delay had passed (tests, `/_local/`). */
  expediteDelays(logicalId: string): number {
    const now = this.#now();
    const delayed = this.#queue(logicalId).messages.filter((m) => m.visibleAt > now && m.receiveCount === 0);
    for (const m of delayed) m.visibleAt = now;
    if (delayed.length > 0) this.#wake();
    return delayed.length;
  }

  /** Empties a queue (PurgeQueue). */
  purge(logicalId: string): void {
    this.#queue(logicalId).messages.length = 0;
  }

  #attributes(queue: Queue): Record<string, string> {
    const now = this.#now();
    const { definition } = queue;
    const visible = queue.messages.filter((m) => m.visibleAt <= now).length;
    const delayed = queue.messages.filter((m) => m.visibleAt > now && m.receiveCount === 0).length;
    return {
      QueueArn: this.queueArn(definition.logicalId),
      ApproximateNumberOfMessages: String(visible),
      ApproximateNumberOfMessagesNotVisible: String(queue.messages.length - visible - delayed),
      ApproximateNumberOfMessagesDelayed: String(delayed),
      VisibilityTimeout: String(definition.visibilityTimeout),
      DelaySeconds: String(definition.delaySeconds),
      ReceiveMessageWaitTimeSeconds: String(definition.receiveWaitTimeSeconds),
      MessageRetentionPeriod: String(definition.messageRetentionPeriod),
      MaximumMessageSize: String(maxMessageBytes),
      ...(definition.redrive
        ? {
            RedrivePolicy: JSON.stringify({
              deadLetterTargetArn: this.queueArn(definition.redrive.deadLetterQueue),
              maxReceiveCount: definition.redrive.maxReceiveCount,
            }),
          }
        : {}),
    };
  }

  /** Serves one AWS JSON request (`X-Amz-Target: AmazonSQS.<Operation>`). */
  async handle(operation: string, body: Record<string, unknown>, caller: RequestContext): Promise<unknown> {
    if (operation !== 'GetQueueUrl') this.#authorize(this.#fromUrl(body.QueueUrl), operation, caller);
    switch (operation) {
      case 'SendMessage':
        return this.#send(this.#fromUrl(body.QueueUrl), body.MessageBody as string, body.DelaySeconds as number);
      case 'SendMessageBatch': {
        const queue = this.#fromUrl(body.QueueUrl);
        return this.#batch(body.Entries, (entry) => {
          const sent = this.#send(queue, entry.MessageBody as string, entry.DelaySeconds as number);
          return { Id: entry.Id, ...sent };
        });
      }
      case 'ReceiveMessage': {
        const messages = await this.#receive(this.#fromUrl(body.QueueUrl), {
          max: body.MaxNumberOfMessages as number,
          visibilityTimeout: body.VisibilityTimeout as number,
          waitTimeSeconds: body.WaitTimeSeconds as number,
        });
        return messages.length ? { Messages: messages } : {};
      }
      case 'DeleteMessage':
        this.#delete(this.#fromUrl(body.QueueUrl), body.ReceiptHandle);
        return {};
      case 'DeleteMessageBatch': {
        const queue = this.#fromUrl(body.QueueUrl);
        return this.#batch(body.Entries, (entry) => {
          this.#delete(queue, entry.ReceiptHandle);
          return { Id: entry.Id };
        });
      }
      case 'ChangeMessageVisibility':
        this.#changeVisibility(this.#fromUrl(body.QueueUrl), body.ReceiptHandle, body.VisibilityTimeout);
        return {};
      case 'ChangeMessageVisibilityBatch': {
        const queue = this.#fromUrl(body.QueueUrl);
        return this.#batch(body.Entries, (entry) => {
          this.#changeVisibility(queue, entry.ReceiptHandle, entry.VisibilityTimeout);
          return { Id: entry.Id };
        });
      }
      case 'GetQueueUrl': {
        const queue = this.#byName.get(String(body.QueueName ?? ''));
        if (!queue) throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.', NON_EXISTENT);
        return { QueueUrl: this.queueUrl(queue.definition.logicalId) };
      }
      case 'GetQueueAttributes': {
        const all = this.#attributes(this.#fromUrl(body.QueueUrl));
        const names = (body.AttributeNames as string[] | undefined) ?? [];
        const wanted = names.includes('All') ? Object.keys(all) : names;
        return { Attributes: Object.fromEntries(wanted.filter((n) => n in all).map((n) => [n, all[n]])) };
      }
      case 'PurgeQueue':
        this.#fromUrl(body.QueueUrl).messages.length = 0;
        return {};
      default:
        throw new SqsError('UnsupportedOperation', `The local SQS does not serve ${operation}.`);
    }
  }

  /** Batch semantics: 1–10 entries with distinct ids, each answered on its own. */
  #batch(entries: unknown, each: (entry: Record<string, unknown>) => Record<string, unknown>) {
    if (!Array.isArray(entries) || entries.length === 0) {
      throw new SqsError('EmptyBatchRequest', 'There should be at least one entry in the request.');
    }
    if (entries.length > 10) {
      throw new SqsError('TooManyEntriesInBatchRequest', 'Maximum number of entries per request are 10.');
    }
    const ids = entries.map((e) => (e as { Id?: unknown }).Id);
    if (new Set(ids).size !== ids.length) {
      throw new SqsError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
    }
    const Successful: Record<string, unknown>[] = [];
    const Failed: Record<string, unknown>[] = [];
    for (const entry of entries as Record<string, unknown>[]) {
      try {
        Successful.push(each(entry));
      } catch (error) {
        if (!(error instanceof SqsError)) throw error;
        Failed.push({ Id: entry.Id, SenderFault: true, Code: error.type, Message: error.message });
      }
    }
    return { Successful, Failed };
  }
}

const NON_EXISTENT = 'AWS.SimpleQueueService.NonExistentQueue';
