/**
 * Lambda's asynchronous invocation, as EventBridge and the Scheduler invoke: the event handed to the function, a
 * failed invocation retried as many times as the function allows (after the waits given), and what still fails sent
 * to the function's on-failure destination (its failure queue) as Lambda's destination record, as the function's
 * role.
 */
import { randomUUID } from 'node:crypto';
import type { DeliveredEvent } from '../events/bus-event.js';
import type { LocalSqs } from '../sqs/local-sqs.js';
import type { InvocationLog } from './invocation-log.js';
import type { LambdaFunction } from './lambda-function.js';

/** Who invokes, where it is logged, how long retries wait, where failures go. */
export interface AsyncInvocation {
  readonly trigger: string;
  readonly functionName: string;
  readonly functionArn: string;
  readonly log: InvocationLog;
  /** Waits before each retry; Lambda waits about 1 and 2 minutes. */
  readonly retryDelaysMs: readonly number[];
  readonly sqs: Pick<LocalSqs, 'send'>;
}

/** Invokes `fn` with `event` asynchronously: retried, then its failure destination. */
export async function invokeAsync(fn: LambdaFunction, event: DeliveredEvent, how: AsyncInvocation): Promise<void> {
  const { trigger, functionName } = how;
  const attempts = 1 + fn.definition.maximumRetryAttempts;
  const requestId = randomUUID();
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const invocation = await fn.invoke(event, requestId);
    how.log.add(invocation, {
      functionName,
      trigger,
      eventId: event.id,
      detailType: event['detail-type'],
      attempt,
      requestId,
    });
    const { result } = invocation;
    if (result.ok) return;
    if (attempt < attempts) {
      await new Promise((r) => setTimeout(r, how.retryDelaysMs[attempt - 1] ?? how.retryDelaysMs.at(-1) ?? 0));
      continue;
    }
    // What Lambda's on-failure destination receives, sent as the function's role.
    const queue = fn.definition.failureQueue;
    if (queue) {
      how.sqs.send(
        queue,
        JSON.stringify({
          version: '1.0',
          timestamp: new Date().toISOString(),
          requestContext: {
            requestId,
            functionArn: how.functionArn,
            condition: 'RetriesExhausted',
            approximateInvokeCount: attempts,
          },
          requestPayload: event,
          responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
          responsePayload: { errorType: result.error.name, errorMessage: result.error.message },
        }),
        0,
        { principalArn: fn.definition.roleArn },
      );
    }
  }
}
