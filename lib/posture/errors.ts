import { AutomationError, type FailureDecision } from '../failure.js';

/** Root of the posture capability's errors; each says whether a later delivery may succeed. */
export class PostureError extends AutomationError {
  override name = 'PostureError';
  constructor(
    message: string,
    decision: FailureDecision = { retryable: true, code: 'POSTURE_TRANSIENT' },
    options?: ErrorOptions,
  ) {
    super(message, decision, options);
  }
}

/** The baseline kept changing under an accept (concurrent checks): a retry accepts what is there then. */
export class PostureBaselineContendedError extends PostureError {
  override name = 'PostureBaselineContendedError';
  constructor(readonly networkId: string) {
    super(`The posture baseline of network ${networkId} kept changing under the accept`, {
      retryable: true,
      code: 'POSTURE_CONTENDED',
    });
  }
}
