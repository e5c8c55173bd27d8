import { AutomationError, type FailureDecision } from '../failure.js';

/** The access review's failures; each says whether a retry may fix it. */
export class AccessReviewError extends AutomationError {
  override name = 'AccessReviewError';
  constructor(message: string, decision: FailureDecision, options?: ErrorOptions) {
    super(message, decision, options);
  }
}

/** An event that cannot be taken as it is (a field and its rule): refused, not retried. */
export class AccessReviewInputError extends AccessReviewError {
  override name = 'AccessReviewInputError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`, { retryable: false, code: 'INPUT_REFUSED' });
  }

  get issues(): readonly { field: string; reason: string }[] {
    return [{ field: this.field, reason: this.reason }];
  }
}
