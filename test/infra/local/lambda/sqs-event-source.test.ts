/**
 * Lambda's SQS event source, locally, against AWS's documented behaviour: batches up to `batchSize` within the
 * batching window, at most `maximumConcurrency` batches at once, successes deleted, `batchItemFailures`
 * redelivered after the visibility timeout and redriven past `maxReceiveCount`; and a rule that targets a queue.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, describe, expect, it } from 'vitest';
import { failedItems } from '../../../../infra/local/lambda/sqs-event-source.js';
import { startLambdaFixture } from '../../../support/lambda-fixture.js';

const stack = await startLambdaFixture();
afterAll(() => stack.close());
const eventBridge = new EventBridgeClient({
  region: 'us-east-1',
  endpoint: stack.eventBridgeEndpoint,
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const put = async (details: readonly Record<string, unknown>[]) => {
  for (let i = 0; i < details.length; i += 10) {
    await eventBridge.send(
      new PutEventsCommand({
        Entries: details.slice(i, i + 10).map((detail) => ({
          EventBusName: 'lambda-fixture-bus',
          Source: 'fixture.work',
          DetailType: 'Work',
          Detail: JSON.stringify(detail),
        })),
      }),
    );
  }
};
const batches = () => stack.bus.invocations.filter((i) => i.trigger === 'sqs:WorkQueue');

describe('SQS event source', () => {
  it('delivers a rule’s events to the queue and the function in capped batches, redelivering only failed items', async () => {
    await put(Array.from({ length: 12 }, (_, n) => ({ n, fail: n === 3 })));
    await stack.bus.drain();
    const all = batches();
    // The rule put each event, whole, on the queue; the poller batched them (≤ 5), ≤ 2 batches at once.
    expect(all.every((b) => (b.messageIds?.length ?? 0) <= 5)).toBe(true);
    const source = stack.queueSources[0];
    expect(source?.stats().peakConcurrentBatches).toBeLessThanOrEqual(2);
    expect(stack.functions.get('consumer')?.stats().peakConcurrentEnvironments).toBeLessThanOrEqual(2);
    // Eleven succeeded once; the failing one was received twice (maxReceiveCount 2), then dead-lettered.
    const received = all.flatMap((b) => b.messageIds ?? []);
    expect(new Set(received).size).toBe(12);
    expect(received).toHaveLength(13);
    const dead = stack.sqs.messages('WorkDeadLetters');
    expect(dead).toHaveLength(1);
    expect(dead[0]?.body).toMatchObject({ source: 'fixture.work', 'detail-type': 'Work', detail: { n: 3 } });
    expect(stack.sqs.messages('WorkQueue')).toEqual([]);
    // Each batch is an invocation record with its environment and times.
    expect(all[0]).toMatchObject({ functionName: 'consumer', outcome: 'succeeded', detailType: 'SQS batch' });
    expect(Date.parse(all[0]?.endedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(all[0]?.startedAt ?? ''));
    expect(all[0]?.environmentId).toMatch(/^[0-9a-f-]{36}$/);
    stack.sqs.purge('WorkDeadLetters');
  });

  it('returns a whole failed batch to the queue, then to the dead-letter queue', async () => {
    const before = batches().length;
    await put([{ crash: 'crash' }]);
    await stack.bus.drain();
    const mine = batches().slice(before);
    expect(mine.map((b) => [b.outcome, b.attempt])).toEqual([
      ['failed', 1],
      ['failed', 2],
    ]);
    expect(stack.sqs.messages('WorkDeadLetters')).toHaveLength(1);
  });

  it('reads batchItemFailures as Lambda does', () => {
    const batch = ['a', 'b', 'c'].map((MessageId) => ({
      MessageId,
      ReceiptHandle: '',
      MD5OfBody: '',
      Body: '',
      Attributes: {},
    }));
    expect([...failedItems({ batchItemFailures: [{ itemIdentifier: 'b' }] }, batch)]).toEqual(['b']);
    expect([...failedItems({ batchItemFailures: [] }, batch)]).toEqual([]);
    expect([...failedItems(null, batch)]).toEqual([]);
    // An id not in the batch, or an empty one, fails the whole batch.
    expect(failedItems({ batchItemFailures: [{ itemIdentifier: 'zz' }] }, batch).size).toBe(3);
    expect(failedItems({ batchItemFailures: [{ itemIdentifier: '' }] }, batch).size).toBe(3);
  });
});
