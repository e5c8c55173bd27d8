import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { isPermanent } from '../failure.js';
import type { Publisher } from '../ports.js';
import { fieldIssues } from '../schema-issues.js';
import { publicReason } from '../wickr/errors.js';
import type { RefusedEvent } from './failure-sink.js';
import { InputRejectedError } from './input-rejected-error.js';
import { metricsPort } from './metrics.js';

/** Parses the event at the edge; domain code only ever sees the parsed, typed event. */
export function parseEvent<S extends z.ZodMiniType>(schema: S): MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    before: (request) => {
      const parsed = schema.safeParse(request.event);
      if (!parsed.success) throw new InputRejectedError(fieldIssues(parsed.error.issues));
      request.event = parsed.data;
    },
  };
}

/** Where events may come from, and how far in the future their time may lie. */
export interface OriginRules {
  /** The `source` values this function accepts. */
  readonly sources: readonly string[];
  readonly maxFutureSkewMs: number;
  readonly nowMs?: () => number;
}

/**
 * Checks the envelope's origin after parsing: a `source` this function serves, this account (the one in the
 * function's own ARN — a direct `lambda:InvokeFunction` bypasses the rules' patterns), and a `time` not in the
 * future beyond the allowed skew (ordering and tombstones must never trust a time an event sets ahead).
 */
export function checkOrigin(rules: () => OriginRules): MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    before: (request) => {
      const account = request.context.invokedFunctionArn?.split(':')[4];
      const issues = originIssues(request.event as OriginFields, rules(), account);
      if (issues.length > 0) throw new InputRejectedError(issues);
    },
  };
}

/** The envelope fields the origin check reads. */
export interface OriginFields {
  readonly source: string;
  readonly account: string;
  readonly time: string;
}

/** What is wrong with an event's origin, field by field; `account` is the function's own (from its ARN). */
export function originIssues(event: OriginFields, rules: OriginRules, account: string | undefined) {
  const { sources, maxFutureSkewMs, nowMs = Date.now } = rules;
  const issues: { field: string; reason: string }[] = [];
  if (!sources.includes(event.source)) {
    issues.push({ field: 'source', reason: `must be ${sources.join(' or ')} for this function` });
  }
  if (account && event.account !== account) {
    issues.push({ field: 'account', reason: 'must be this deployment’s account' });
  }
  if (Date.parse(event.time) > nowMs() + maxFutureSkewMs) {
    issues.push({
      field: 'time',
      reason: `must not be more than ${Math.round(maxFutureSkewMs / 1000)} s in the future`,
    });
  }
  return issues;
}

/** Ports the refusal path needs. */
export interface RefusalPorts {
  readonly failureSink?: { send(refused: RefusedEvent): Promise<void> } | undefined;
  readonly publisher: Publisher;
  readonly logger: { error(message: string, extra: Record<string, unknown>): void };
}

/** Whether a retry cannot fix an error: the one classifier of lib/failure.ts, for every consumer. */
export { isPermanent } from '../failure.js';

/**
 * Errors a retry cannot fix (refused input, a request the API would reject) go to the failure queue with
 * their reason, publish `Wickr Automation Failed`, and end the invocation without Lambda retries. Every other
 * error is rethrown, so Lambda retries it and, once retries run out, sends it to the failure destination.
 */
export function refusePermanentFailures(ports: () => RefusalPorts): MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    onError: async (request) => {
      const error = request.error;
      if (!isPermanent(error)) return;
      const refused = await reportRefusal(ports(), request.context.functionName, error, request.event);
      if (!refused) throw error;
      request.response = { status: 'refused', errorType: refused.errorType, reason: refused.reason };
    },
  };
}

/**
 * Puts refused input in the failure queue with its reason and publishes `Wickr Automation Failed`; answers what
 * was sent, or undefined when there is no failure queue (the caller then lets the error stand).
 */
export async function reportRefusal(
  { failureSink, publisher, logger }: RefusalPorts,
  functionName: string,
  error: Error | null | undefined,
  event: unknown,
): Promise<RefusedEvent | undefined> {
  const issues = (error as { issues?: RefusedEvent['issues'] }).issues;
  const refused: RefusedEvent = {
    functionName,
    reason: error ? publicReason(error) : 'unknown',
    errorType: error?.name ?? 'Error',
    issues,
    event,
  };
  logger.error('Event refused without retry', { errorType: refused.errorType, reason: refused.reason });
  metricsPort.add('RefusedEvents', 1);
  if (!failureSink) return undefined;
  await failureSink.send(refused);
  await publisher.publish('Wickr Automation Failed', {
    functionName,
    errorType: refused.errorType,
    reason: refused.reason,
    issues,
    eventId: (event as { id?: unknown })?.id,
  });
  return refused;
}
