/**
 * One failure model for every consumer (the EventBridge functions, the HR queue, the reconcile queue, the schedule
 * target): an error says whether a retry may fix it. Ours decide when they are made — the constructor requires the
 * decision and a code — and one classifier reads the rest (Wickr's and AWS's errors), so a permanent failure is never
 * retried and lands in its failure destination with its code, and a transient one always is.
 */

/** Whether a retry may fix a failure, and the fixed code it is reported by (never free text from a service). */
export interface FailureDecision {
  readonly retryable: boolean;
  readonly code: string;
}

/** The root of the automation's own errors: each carries its decision. */
export class AutomationError extends Error {
  override name = 'AutomationError';
  readonly retryable: boolean;
  readonly code: string;

  constructor(message: string, decision: FailureDecision, options?: ErrorOptions) {
    super(message, options);
    this.retryable = decision.retryable;
    this.code = decision.code;
  }
}

/** Several failures reported as one: retryable only if one of them is; each cause kept. */
export class AggregateFailure extends AutomationError {
  override name = 'AggregateFailure';
  constructor(
    message: string,
    readonly errors: readonly Error[],
    code = 'PARTIAL_FAILURE',
  ) {
    super(message, { retryable: errors.some(isRetryable), code });
  }
}

type Inspectable = { retryable?: unknown; name?: unknown; $fault?: unknown; cause?: unknown; errors?: unknown };

/**
 * Whether a retry may fix an error. Ours and Wickr's say so (`retryable`); an aggregate is retryable if one of its
 * errors is; an AWS service's `ValidationException` (DynamoDB refusing an item) would fail the same way every time;
 * wrapped errors (`cause`, as Powertools wraps its persistence errors) are looked through. Anything else — a
 * timeout, a reset, a throttle — is presumed transient.
 */
export function isRetryable(error: unknown): boolean {
  for (let e = error as Inspectable | undefined, depth = 0; e && depth < 5; e = e.cause as Inspectable, depth++) {
    if (Array.isArray(e.errors) && !(e instanceof AutomationError)) return e.errors.some(isRetryable);
    if (typeof e.retryable === 'boolean') return e.retryable;
    if (e.name === 'ValidationException' && (e as Inspectable).$fault === 'client') return false;
  }
  return true;
}

/** The opposite, for the refusal paths. */
export const isPermanent = (error: unknown): boolean => !isRetryable(error);
