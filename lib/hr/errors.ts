/** Root of the HR capability's errors. */
export class HrError extends Error {
  override name = 'HrError';
  /** Whether the same event, delivered again later, may succeed. */
  get retryable(): boolean {
    return true;
  }
}

/** The event asks for something that cannot be done; retrying will not help. */
export class HrInputError extends HrError {
  override name = 'HrInputError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
  override get retryable(): boolean {
    return false;
  }
}
