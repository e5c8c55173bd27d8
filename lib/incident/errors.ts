import { AutomationError, type FailureDecision } from '../failure.js';

/** Root of the incident capability's errors; each says whether a later delivery may succeed. */
export class IncidentError extends AutomationError {
  override name = 'IncidentError';
  constructor(
    message: string,
    decision: FailureDecision = { retryable: true, code: 'INCIDENT_TRANSIENT' },
    options?: ErrorOptions,
  ) {
    super(message, decision, options);
  }
}

/** Another reconcile of the network holds its lease; the retry reconciles whatever is desired by then. */
export class NetworkBusyError extends IncidentError {
  override name = 'NetworkBusyError';
  constructor(readonly networkId: string) {
    super(`Network ${networkId} is being reconciled by another invocation`, { retryable: true, code: 'NETWORK_BUSY' });
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
    // Retryable only if one of the changes may succeed later (an aggregate of its failures).
    super(
      `${failures.length} change(s) on network ${networkId} failed: ${failures.map((f) => `${f.groupId}: ${f.error}`).join('; ')}`,
      { retryable: failures.some((f) => f.retryable), code: 'RECONCILE_INCOMPLETE' },
      options,
    );
  }
}

/** The event asks for something this deployment cannot do; retrying will not help. */
export class IncidentInputError extends IncidentError {
  override name = 'IncidentInputError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`, { retryable: false, code: 'INPUT_REFUSED' });
  }
}
