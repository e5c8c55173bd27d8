/**
 * The local SQS against AWS's documented semantics, driven by the real @aws-sdk/client-sqs: visibility timeout,
 * receive count, redrive to the dead-letter queue past `maxReceiveCount`, batches, errors.
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  TooManyEntriesInBatchRequest,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startLambdaFixture } from '../../../support/lambda-fixture.js';

const stack = await startLambdaFixture();
afterAll(() => stack.close());
const sqs = new SQSClient({
  region: 'us-east-1',
  endpoint: stack.eventBridgeEndpoint,
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const url = async (name: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl as string;
const plain = await url('lambda-fixture-plain');
const receive = async (queueUrl: string, extra: Record<string, unknown> = {}) =>
  (
    await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['All'],
        ...extra,
      }),
    )
  ).Messages ?? [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(() => {
  stack.sqs.purge('PlainQueue');
  stack.sqs.purge('WorkDeadLetters');
});

describe('local SQS', () => {
  it('hides a received message for the visibility timeout, then returns it with its receive count', async () => {
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: plain, MessageBody: '{"n":1}' }));
    const [first] = await receive(plain);
    expect(first).toMatchObject({ MessageId: sent.MessageId, Body: '{"n":1}', MD5OfBody: sent.MD5OfMessageBody });
    expect(first?.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(await receive(plain)).toEqual([]);
    await sleep(1_100);
    const [again] = await receive(plain);
    expect(again?.MessageId).toBe(sent.MessageId);
    expect(again?.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(again?.ReceiptHandle).not.toBe(first?.ReceiptHandle);
  });

  it('moves a message received maxReceiveCount times to the dead-letter queue on the next receive', async () => {
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: plain, MessageBody: 'poison' }));
    await receive(plain, { VisibilityTimeout: 0 });
    await receive(plain, { VisibilityTimeout: 0 });
    // Received twice (maxReceiveCount 2): the third receive finds it gone to the dead-letter queue.
    expect(await receive(plain)).toEqual([]);
    const [dead] = await receive(await url('lambda-fixture-work-dlq'));
    expect(dead).toMatchObject({ MessageId: sent.MessageId, Body: 'poison' });
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: plain, AttributeNames: ['RedrivePolicy', 'VisibilityTimeout'] }),
    );
    expect(JSON.parse(attributes.Attributes?.RedrivePolicy ?? '{}')).toMatchObject({ maxReceiveCount: 2 });
    expect(attributes.Attributes?.VisibilityTimeout).toBe('1');
  });

  it('changes visibility, deletes by receipt handle, and answers batches entry by entry', async () => {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: plain,
        Entries: [
          { Id: 'a', MessageBody: 'a' },
          { Id: 'b', MessageBody: 'b' },
        ],
      }),
    );
    const [a, b] = await receive(plain);
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: plain, ReceiptHandle: a?.ReceiptHandle, VisibilityTimeout: 0 }),
    );
    expect((await receive(plain)).map((m) => m.Body)).toEqual(['a']);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: plain, ReceiptHandle: b?.ReceiptHandle }));
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: plain,
        Entries: [
          { Id: 'a', ReceiptHandle: a?.ReceiptHandle },
          { Id: 'bad', ReceiptHandle: 'not-a-handle' },
        ],
      }),
    );
    expect(deleted.Successful?.map((s) => s.Id)).toEqual(['a']);
    expect(deleted.Failed?.[0]).toMatchObject({ Id: 'bad', Code: 'ReceiptHandleIsInvalid', SenderFault: true });
    await sleep(1_100);
    expect(await receive(plain)).toEqual([]);
  });

  it('answers errors as SQS does, typed in the SDK', async () => {
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
    await expect(
      sqs.send(new DeleteMessageCommand({ QueueUrl: plain, ReceiptHandle: 'garbage' })),
    ).rejects.toBeInstanceOf(ReceiptHandleIsInvalid);
    await expect(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: plain,
          Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x' })),
        }),
      ),
    ).rejects.toBeInstanceOf(TooManyEntriesInBatchRequest);
  });

  it('long-polls: a receive waiting on an empty queue returns the message sent meanwhile', async () => {
    const waiting = receive(plain, { WaitTimeSeconds: 2 });
    await sleep(100);
    await sqs.send(new SendMessageCommand({ QueueUrl: plain, MessageBody: 'late' }));
    expect((await waiting).map((m) => m.Body)).toEqual(['late']);
  });
});
