import { AutomationError } from '../failure.js';

/** An event that does not match its contract: names each field and the rule it broke. Never retried. */
export class InputRejectedError extends AutomationError {
  override name = 'InputRejectedError';
  constructor(readonly issues: readonly { readonly field: string; readonly reason: string }[]) {
    super(`Event refused: ${issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`, {
      retryable: false,
      code: 'INPUT_REFUSED',
    });
  }
}
