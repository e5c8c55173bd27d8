/** Root of the incident capability's errors. */
export class IncidentError extends Error {
  override name = 'IncidentError';
  /** Whether the same event, delivered again later, may succeed. */
  get retryable(): boolean {
    return true;
  }
}

/** Another reconcile of the network holds its lease; the retry reconciles whatever is desired by then. */
export class NetworkBusyError extends IncidentError {
  override name = 'NetworkBusyError';
  constructor(readonly networkId: string) {
    super(`Network ${networkId} is being reconciled by another invocation`);
  }
}

/** Some groups could not be changed; what succeeded is recorded, and a retry does only the rest. */
export class ReconcileIncompleteError extends IncidentError {
  override name = 'ReconcileIncompleteError';
  constructor(
    readonly networkId: string,
    readonly failures: readonly { readonly groupId: string; readonly error: string; readonly retryable: boolean }[],
    options?: ErrorOptions,
  ) {
    super(
      `${failures.length} change(s) on network ${networkId} failed: ${failures.map((f) => `${f.groupId}: ${f.error}`).join('; ')}`,
      options,
    );
  }
  override get retryable(): boolean {
    return this.failures.some((f) => f.retryable);
  }
}

/** The event asks for something this deployment cannot do; retrying will not help. */
export class IncidentInputError extends IncidentError {
  override name = 'IncidentInputError';
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
