import { AutomationError } from '../failure.js';

/** A failure a retry may fix (Wickr refusing one user of a batch is not one). */
export class ContainmentError extends AutomationError {
  override name = 'ContainmentError';
}

/** An event that cannot be taken as it is (a field and its rule): refused, not retried. */
export class ContainmentInputError extends ContainmentError {
  override name = 'ContainmentInputError';
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
