import { AutomationError, type FailureDecision } from '../failure.js';

/** Root of the audit capability's errors; each says whether a later delivery may succeed. */
export class AuditError extends AutomationError {
  override name = 'AuditError';
  constructor(
    message: string,
    decision: FailureDecision = { retryable: true, code: 'AUDIT_TRANSIENT' },
    options?: ErrorOptions,
  ) {
    super(message, decision, options);
  }
}

/** Every stream's head a function tried kept moving under the attempt to take the next link: a retry takes it then. */
export class ChainContendedError extends AuditError {
  override name = 'ChainContendedError';
  constructor(readonly owner: string) {
    super(`The chain heads of ${owner} kept moving under every attempt to link an outcome`, {
      retryable: true,
      code: 'CHAIN_CONTENDED',
    });
  }
}

/** The anchor could not be written to the Object Lock bucket. */
export class AnchorWriteError extends AuditError {
  override name = 'AnchorWriteError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, { retryable: true, code: 'ANCHOR_WRITE_FAILED' }, options);
  }
}
