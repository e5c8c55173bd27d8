/**
 * One SQS edge for both queues (HR's and the reconcile's): bodies parsed one by one at the edge, the domain handed
 * the parsed messages and answering per message, and every failure classified once — a permanent one refused to
 * the failure destination with its reason (never retried), a transient one reported in `batchItemFailures` so that
 * only its message returns after the visibility timeout.
 */
import * as z from 'zod/mini';
import { AutomationError, isPermanent } from './failure.js';
import { lazySchema } from './lazy-schema.js';

/** A body's bound: SQS's default and the EventBridge entry's 256 KiB (a queue may be raised to 1 MiB). */
export const maxBodyChars = 262_144;

/**
 * An SQS event as both queues' functions receive it: bodies stay text here, each parsed (and bounded) on its own, so
 * one hostile body fails alone instead of the batch.
 */
export const QueueEvent = lazySchema(() =>
  z.object({
    Records: z
      .array(z.object({ messageId: z.string().check(z.maxLength(128)), body: z.string() }))
      // SQS hands a function at most 10,000 messages (a standard queue with a batching window).
      .check(z.maxLength(10_000)),
  }),
);
export type QueueEvent = z.output<typeof QueueEvent>;

/** One parsed message and the SQS message it came in. */
export interface QueueMessage<T> {
  readonly messageId: string;
  readonly message: T;
}

/** What a queue's domain does with its messages: the failures, by message id (a message not named succeeded). */
export type MessageFailures = ReadonlyMap<string, Error>;

/** A queue's consumer: how a body becomes a message, what the batch does, and where refusals go. */
export interface QueueConsumer<T> {
  /** The body as this queue's message; throws a permanent error naming the field and the rule when it is not one. */
  parse(body: string): T;
  /** The parsed messages, in the batch's order; the failures by message id. */
  handle(messages: readonly QueueMessage<T>[]): Promise<MessageFailures>;
  /**
   * Sends a permanent failure to the failure destination with its reason and the message as it arrived (its JSON,
   * so that a redrive puts back what was sent); false when there is none (then it is retried).
   */
  refuse(error: Error, received: unknown): Promise<boolean>;
  /** Ids a refusal is reported by in the batch's answer (an employee's, say), from the message as it arrived. */
  subjectOf?: ((received: unknown) => Record<string, string> | undefined) | undefined;
}

/** A refusal, as the batch's answer says it: the message, its subject's ids and the reason (bounded). */
export interface RefusedMessage {
  readonly messageId: string;
  readonly reason: string;
  readonly [id: string]: string;
}

/** The batch's answer: Lambda reads only `batchItemFailures`; the rest says what happened (the local runtime's log). */
export interface QueueAnswer {
  readonly batchItemFailures: { itemIdentifier: string }[];
  readonly refused: RefusedMessage[];
  readonly messages: number;
}

/** Consumes one SQS batch through its queue's consumer; see the file's comment for the failure rules. */
export async function consumeBatch<T>(event: QueueEvent, consumer: QueueConsumer<T>): Promise<QueueAnswer> {
  const answer: QueueAnswer = { batchItemFailures: [], refused: [], messages: event.Records.length };
  const bodies = new Map(event.Records.map((r) => [r.messageId, r.body]));
  const fail = async (messageId: string, error: unknown) => {
    const received = bodyForRecord(bodies.get(messageId) ?? '');
    if (isPermanent(error) && (await consumer.refuse(error as Error, received))) {
      answer.refused.push({
        ...consumer.subjectOf?.(received),
        messageId,
        reason: (error as Error).message.slice(0, 300),
      });
    } else answer.batchItemFailures.push({ itemIdentifier: messageId });
  };
  const parsed: QueueMessage<T>[] = [];
  for (const { messageId, body } of event.Records) {
    try {
      if (body.length > maxBodyChars) {
        throw new AutomationError(`body: must be at most ${maxBodyChars} characters`, {
          retryable: false,
          code: 'MESSAGE_TOO_LARGE',
        });
      }
      parsed.push({ messageId, message: consumer.parse(body) });
    } catch (error) {
      await fail(messageId, error);
    }
  }
  if (parsed.length === 0) return answer;
  let failures: MessageFailures;
  try {
    failures = await consumer.handle(parsed);
  } catch (error) {
    failures = new Map(parsed.map((m) => [m.messageId, error as Error]));
  }
  for (const { messageId } of parsed) {
    const error = failures.get(messageId);
    if (error) await fail(messageId, error);
  }
  return answer;
}

/** A body as a refusal's record keeps it: its JSON when it is JSON, else its first 1,000 characters. */
function bodyForRecord(body: string): unknown {
  if (body.length > maxBodyChars) return body.slice(0, 1000);
  try {
    return JSON.parse(body);
  } catch {
    return body.slice(0, 1000);
  }
}

/** Parses a body as JSON, else throws what `invalid` makes of the reason (a permanent error naming `body`). */
export function jsonBody(body: string, invalid: (field: string, reason: string) => Error): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw invalid('body', 'must be JSON');
  }
}
