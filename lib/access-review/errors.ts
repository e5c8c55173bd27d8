import { AutomationError, type FailureDecision } from '../failure.js';

/** The access review's failures; each says whether a retry may fix it. */
export class AccessReviewError extends AutomationError {
  override name = 'AccessReviewError';
  constructor(message: string, decision: FailureDecision, options?: ErrorOptions) {
    super(message, decision, options);
  }
}
