/**
 * What an operator's redrive may put back on a bus: only an event the queue's own function would have received —
 * one that matches a rule delivering to that function (or to the queue a dead-letter queue serves, or a rule whose
 * dead letters these are), by the rule's own pattern — and never one that asks for an `override`. A message
 * planted in a failure queue would otherwise be re-put with the operator's credentials (a confused deputy). The
 * function is the queue's, never a name the message body claims.
 */
import type { LocalRule, LocalService } from '../serverless-config.js';
import { matchesPattern } from './event-pattern.js';
import { type FailedEvent, failedEventOf } from './failed-event.js';

/** Whether a failure message's event may be redriven, and where to. */
export type RedriveVerdict =
  | { readonly redrive: true; readonly event: FailedEvent; readonly bus: string; readonly functionName: string }
  | { readonly redrive: false; readonly reason: string; readonly event?: FailedEvent | undefined };

/**
 * The function whose failures this queue holds: its Lambda destination, the queue its code refuses input to
 * (`FAILURE_QUEUE_URL`), or the consumer of the queue this one is the dead-letter queue of.
 */
export function ownerOf(service: LocalService, queue: string): string | undefined {
  const refersTo = (value: unknown) => (value as { Ref?: unknown } | undefined)?.Ref === queue;
  const served = service.queues.filter((q) => q.redrive?.deadLetterQueue === queue).map((q) => q.logicalId);
  return (
    service.functions.find((f) => f.failureQueue === queue || refersTo(f.environment.FAILURE_QUEUE_URL))?.name ??
    service.queueSources.find((s) => served.includes(s.queue))?.functionName
  );
}

/** The rules whose events can end in this queue. */
function rulesFeeding(service: LocalService, queue: string): LocalRule[] {
  const owner = ownerOf(service, queue);
  const polled = service.queueSources.filter((s) => s.functionName === owner).map((s) => s.queue);
  return service.rules.filter(
    (r) =>
      (r.target.kind === 'function' && r.target.functionName === owner) ||
      (r.target.kind === 'queue' && polled.includes(r.target.queue)) ||
      r.deadLetterQueue === queue,
  );
}

function targetOf(service: LocalService, { target }: LocalRule): string {
  if (target.kind === 'function') return target.functionName;
  if (target.kind === 'topic') return target.topicArn;
  return service.queueSources.find((s) => s.queue === target.queue)?.functionName ?? target.queue;
}

/** Decides one failure message of `queue`. */
export function redriveVerdict(service: LocalService, queue: string, body: unknown): RedriveVerdict {
  const event = failedEventOf(body);
  if (!event) return { redrive: false, reason: 'the message holds no event' };
  if ((event.detail as { override?: unknown } | null)?.override === true) {
    return {
      redrive: false,
      event,
      reason: 'an override is never redriven: resolve with `ops incidents resolve --override --reason …`',
    };
  }
  const rule = rulesFeeding(service, queue).find((r) => matchesPattern(r.pattern, event));
  if (!rule) {
    return {
      redrive: false,
      event,
      reason: `no rule of ${queue}'s function accepts ${event.source} / ${event['detail-type']}`,
    };
  }
  return { redrive: true, event, bus: rule.eventBus, functionName: targetOf(service, rule) };
}
