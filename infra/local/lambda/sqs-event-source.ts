/**
 * Lambda's SQS event source mapping, locally: pollers gather batches (up to `batchSize`, waiting at most
 * `maximumBatchingWindow` from the first message), invoke the function synchronously with the SQS event shape,
 * delete what succeeded, and leave what failed to return after the visibility timeout (then, past the queue's
 * `maxReceiveCount`, to its dead-letter queue). Concurrent batches are capped by `maximumConcurrency`, and by
 * the function's own limit.
 *
 * Not emulated: the poller's scaling ramp (it starts at full concurrency), the 6 MB payload cap of a batch, and
 * the back-off after function errors.
 */
import { randomUUID } from 'node:crypto';
import type { LocalQueueSource } from '../serverless-config.js';
import type { LocalSqs, ReceivedMessage } from '../sqs/local-sqs.js';
import type { InvocationLog } from './invocation-log.js';
import type { LambdaFunction } from './lambda-function.js';

/** What a mapping did since it started. */
export interface QueueSourceStats {
  readonly batches: number;
  readonly messages: number;
  readonly deleted: number;
  readonly failedItems: number;
  readonly peakConcurrentBatches: number;
}

const idlePollMs = 20;

/** A running event source mapping. */
export class SqsEventSource {
  #running = false;
  #pollers: Promise<void>[] = [];
  #inFlight = 0;
  #stats = { batches: 0, messages: 0, deleted: 0, failedItems: 0, peakConcurrentBatches: 0 };

  constructor(
    readonly source: LocalQueueSource,
    private readonly sqs: LocalSqs,
    private readonly fn: LambdaFunction,
    private readonly log: InvocationLog,
    private readonly region: string,
  ) {}

  /** Lambda's poller receives and deletes as the function's execution role, so the queue's policy applies to it. */
  get #caller() {
    return { principalArn: this.fn.definition.roleArn };
  }

  /** Starts its pollers: one per concurrent batch allowed. */
  start(): void {
    if (this.#running || !this.source.enabled) return;
    this.#running = true;
    const concurrency = Math.min(this.source.maximumConcurrency ?? this.fn.concurrencyLimit, this.fn.concurrencyLimit);
    this.#pollers = Array.from({ length: concurrency }, () => this.#poll());
  }

  /** Stops polling; batches in flight finish. */
  async stop(): Promise<void> {
    this.#running = false;
    await Promise.allSettled(this.#pollers);
  }

  /** Nothing to do now: no batch running, no message waiting (a delayed one is future work). */
  idle(): boolean {
    return this.#inFlight === 0 && this.sqs.messages(this.source.queue).every((m) => m.delayed);
  }

  stats(): QueueSourceStats {
    return { ...this.#stats };
  }

  async #poll(): Promise<void> {
    while (this.#running) {
      const batch = await this.#gather();
      if (batch.length === 0) {
        await new Promise((r) => setTimeout(r, idlePollMs));
        continue;
      }
      this.#inFlight++;
      this.#stats.peakConcurrentBatches = Math.max(this.#stats.peakConcurrentBatches, this.#inFlight);
      try {
        await this.#invoke(batch);
      } finally {
        this.#inFlight--;
      }
    }
  }

  async #gather(): Promise<ReceivedMessage[]> {
    const { queue, batchSize, maximumBatchingWindowSeconds } = this.source;
    const batch = await this.sqs.receive(queue, { max: Math.min(10, batchSize) }, this.#caller);
    if (batch.length === 0) return batch;
    const windowEnds = Date.now() + maximumBatchingWindowSeconds * 1000;
    while (this.#running && batch.length < batchSize && Date.now() < windowEnds) {
      const more = await this.sqs.receive(queue, { max: Math.min(10, batchSize - batch.length) }, this.#caller);
      if (more.length === 0) await new Promise((r) => setTimeout(r, Math.min(idlePollMs, windowEnds - Date.now())));
      batch.push(...more);
    }
    return batch;
  }

  async #invoke(batch: readonly ReceivedMessage[]): Promise<void> {
    const { queue, functionName, reportBatchItemFailures } = this.source;
    const eventSourceARN = this.sqs.queueArn(queue);
    const event = {
      Records: batch.map((m) => ({
        messageId: m.MessageId,
        receiptHandle: m.ReceiptHandle,
        body: m.Body,
        attributes: m.Attributes,
        messageAttributes: {},
        md5OfBody: m.MD5OfBody,
        eventSource: 'aws:sqs',
        eventSourceARN,
        awsRegion: this.region,
      })),
    };
    const requestId = randomUUID();
    const invocation = await this.fn.invoke(event, requestId);
    this.#stats.batches++;
    this.#stats.messages += batch.length;
    this.log.add(invocation, {
      functionName,
      trigger: `sqs:${queue}`,
      eventId: batch[0]?.MessageId ?? '',
      detailType: 'SQS batch',
      messageIds: batch.map((m) => m.MessageId),
      attempt: Math.max(...batch.map((m) => Number(m.Attributes.ApproximateReceiveCount))),
      requestId,
    });
    if (!invocation.result.ok) return; // every message returns after its visibility timeout
    const failed = reportBatchItemFailures ? failedItems(invocation.result.result, batch) : new Set<string>();
    this.#stats.failedItems += failed.size;
    for (const message of batch) {
      if (failed.has(message.MessageId)) continue;
      this.sqs.delete(queue, message.ReceiptHandle, this.#caller);
      this.#stats.deleted++;
    }
  }
}

/**
 * The ids a `ReportBatchItemFailures` response names. As Lambda does, a response naming an id not in the batch,
 * or an empty or non-string one, fails the whole batch; a response without `batchItemFailures` fails nothing.
 */
export function failedItems(response: unknown, batch: readonly ReceivedMessage[]): Set<string> {
  const all = new Set(batch.map((m) => m.MessageId));
  const failures = (response as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return all;
  const ids = failures.map((f) => (f as { itemIdentifier?: unknown } | null)?.itemIdentifier);
  if (ids.some((id) => typeof id !== 'string' || !all.has(id))) return all;
  return new Set(ids as string[]);
}
