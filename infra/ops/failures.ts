import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type FailedEvent, failedEventOf } from '../local/events/failed-event.js';
import { ownerOf, redriveVerdict } from '../local/events/redrive-check.js';
import type { LocalService } from '../local/serverless-config.js';
import type { OpsTarget } from './ops-target.js';

/** A message waiting in a failure or dead-letter queue, as the on-call engineer reads it. */
export interface FailureView {
  readonly queue: string;
  readonly messageId: string;
  readonly function?: string | undefined;
  readonly errorType: string;
  readonly reason: string;
  readonly eventId?: string | undefined;
  readonly detailType?: string | undefined;
  readonly ageSeconds?: number | undefined;
  /** The event to put back on the bus, where the message holds one. */
  readonly event?: FailedEvent | undefined;
  readonly receiptHandle?: string | undefined;
  /** Where a redrive would put it, or why it would not (`redrive-check.ts`). */
  readonly redrive?: { readonly bus: string } | { readonly refused: string } | undefined;
}

/** The fields of a failure message that say where it came from and why; its event is read by failedEventOf. */
type Body = {
  responsePayload?: { errorType?: string; errorMessage?: string };
  responseContext?: unknown;
  requestContext?: { functionArn?: string };
  functionName?: string;
  errorType?: string;
  reason?: string;
  'detail-type'?: string;
};

/**
 * Reads a failure message of any of its three shapes: a Lambda destination record, a refusal, a dead-lettered
 * event. The function is the queue's (by serverless.yml), never what the body claims.
 */
export function failureOf(
  service: LocalService,
  queue: string,
  messageId: string,
  body: Body,
  sentAt?: number,
): FailureView {
  const event = failedEventOf(body);
  const verdict = redriveVerdict(service, queue, body);
  return {
    queue,
    messageId,
    function: ownerOf(service, queue),
    redrive: verdict.redrive ? { bus: verdict.bus } : { refused: verdict.reason },
    errorType: body.responseContext
      ? String(body.responsePayload?.errorType)
      : (body.errorType ?? (body['detail-type'] ? 'RetriesExhausted' : 'unknown')),
    reason: body.responsePayload?.errorMessage ?? body.reason ?? 'delivery kept failing',
    eventId: event?.id,
    detailType: event?.['detail-type'],
    ageSeconds: sentAt ? Math.round((Date.now() - sentAt) / 1000) : undefined,
    event,
  };
}

/** Every failure message: locally from `/_local/failures`, deployed by peeking each queue (visibility 0). */
export async function listFailures(target: OpsTarget): Promise<FailureView[]> {
  if (target.localEndpoint) {
    const { failures } = (await (await fetch(new URL('/_local/failures', target.localEndpoint))).json()) as {
      failures: { queue: string; messageId: string; sentAt: number; body: Body }[];
    };
    return failures.map((f) => failureOf(target.service, f.queue, f.messageId, f.body, f.sentAt));
  }
  const sqs = new SQSClient({ region: target.region });
  const views: FailureView[] = [];
  for (const queue of target.failureQueues) {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: target.queueNames.get(queue) }));
    for (let round = 0; round < 10; round++) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 0,
          MessageSystemAttributeNames: ['SentTimestamp'],
        }),
      );
      if (Messages.length === 0) break;
      for (const m of Messages) {
        views.push({
          ...failureOf(
            target.service,
            queue,
            m.MessageId ?? '',
            JSON.parse(m.Body ?? '{}') as Body,
            Number(m.Attributes?.SentTimestamp),
          ),
          receiptHandle: m.ReceiptHandle,
        });
      }
    }
  }
  return views;
}

/**
 * Puts failed events back on the bus — only those the queue's own function would accept (`failure.redrive`), never
 * an override — and deletes each message only once its event was accepted. A refused event redriven is refused
 * again (its failure queue says so). Locally the stack's own redrive does the same, with the same checks.
 */
export async function redrive(target: OpsTarget, failures: readonly FailureView[]) {
  const refused = failures.flatMap((f) =>
    f.redrive && 'refused' in f.redrive ? [{ messageId: f.messageId, reason: f.redrive.refused }] : [],
  );
  const chosen = failures.filter((f) => f.redrive && 'bus' in f.redrive);
  if (target.localEndpoint) {
    const answer = await fetch(new URL('/_local/failures/redrive', target.localEndpoint), {
      method: 'POST',
      // Put back as the operator who asks (the bus policy applies to them, as on AWS).
      body: JSON.stringify({ messageIds: chosen.map((f) => f.messageId), accessKeyId: target.accessKeyId ?? 'local' }),
    });
    const local = (await answer.json()) as { redriven: number; refused: { messageId: string; reason: string }[] };
    return {
      redriven: local.redriven,
      kept: failures.length - local.redriven,
      refused: [...refused, ...local.refused],
    };
  }
  const sqs = new SQSClient({ region: target.region });
  let redriven = 0;
  let kept = failures.length - chosen.length;
  for (const f of chosen) {
    if (!f.event || !f.redrive || !('bus' in f.redrive)) continue;
    const bus = f.redrive.bus === 'default' ? 'default' : target.busName;
    const answer = await target.eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: bus,
            Source: f.event.source,
            DetailType: f.event['detail-type'],
            Detail: JSON.stringify(f.event.detail),
            ...(f.event.time ? { Time: new Date(f.event.time) } : {}),
          },
        ],
      }),
    );
    if (!answer.Entries?.[0]?.EventId) {
      kept++;
      continue;
    }
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: target.queueNames.get(f.queue) }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: f.receiptHandle }));
    redriven++;
  }
  return { redriven, kept, refused };
}

/** One failure as the on-call reads it: the id redrive takes, its age, whose it is, why, and what redrive would do. */
export const failureLine = (f: Awaited<ReturnType<typeof listFailures>>[number]) =>
  [
    f.messageId,
    f.ageSeconds === undefined ? '' : `${f.ageSeconds}s ago`,
    f.queue,
    f.function ?? '-',
    f.detailType ?? '',
    `${f.errorType}: ${f.reason}`,
    f.redrive && 'bus' in f.redrive ? `redrive → ${f.redrive.bus}` : `not redriven: ${f.redrive?.refused ?? ''}`,
  ]
    .filter(Boolean)
    .join('  ');
