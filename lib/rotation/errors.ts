import { AutomationError, type FailureDecision } from '../failure.js';

/** Root of the rotation capability's errors; each says whether a later tick's retry may succeed. */
export class RotationError extends AutomationError {
  override name = 'RotationError';
  constructor(message: string, decision: FailureDecision = { retryable: true, code: 'ROTATION_TRANSIENT' }) {
    super(message, decision);
  }
}

/** Some groups could not be patched; a retry recomputes the drift and does only the rest. */
export class RotationIncompleteError extends RotationError {
  override name = 'RotationIncompleteError';
  constructor(
    readonly networkId: string,
    readonly failures: readonly { readonly groupId: string; readonly error: string; readonly retryable: boolean }[],
  ) {
    // Retryable only if one of the patches may succeed later: a refused one (a 422) is not retried five times.
    super(
      `${failures.length} change(s) on network ${networkId} failed: ${failures.map((f) => `${f.groupId}: ${f.error}`).join('; ')}`,
      { retryable: failures.some((f) => f.retryable), code: 'ROTATION_INCOMPLETE' },
    );
  }
}
