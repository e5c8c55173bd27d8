/**
 * Work still waiting in the queues the functions poll (HR facts and roster chunks, network hand-overs, an access
 * review's next segment): what removing the stack now would drop. Counted from SQS's own attributes, locally from
 * the local SQS on the bus's endpoint.
 */
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { OpsTarget } from './ops-target.js';

/** A polled queue with messages waiting or in flight (delayed checks aside), and the function that takes them. */
export interface QueuedWork {
  readonly queue: string;
  readonly functionName: string;
  readonly messages: number;
}

/** The polled queues that are not empty. */
export async function queuedWork(target: OpsTarget): Promise<QueuedWork[]> {
  const sqs = new SQSClient({
    region: target.region,
    ...(target.localEndpoint ? { endpoint: target.localEndpoint, credentials: target.credentials } : {}),
  });
  const found: QueuedWork[] = [];
  for (const source of target.service.queueSources) {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: target.queueNames.get(source.queue) }));
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const messages =
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
    if (messages > 0) found.push({ queue: source.queue, functionName: source.functionName, messages });
  }
  return found;
}
