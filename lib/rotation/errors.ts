/** Root of the rotation capability's errors. */
export class RotationError extends Error {
  override name = 'RotationError';
  get retryable(): boolean {
    return true;
  }
}

/** Some groups could not be patched; a retry recomputes the drift and does only the rest. */
export class RotationIncompleteError extends RotationError {
  override name = 'RotationIncompleteError';
  constructor(
    readonly networkId: string,
    readonly failures: readonly { readonly groupId: string; readonly error: string }[],
  ) {
    super(
      `${failures.length} change(s) on network ${networkId} failed: ${failures.map((f) => `${f.groupId}: ${f.error}`).join('; ')}`,
    );
  }
}
