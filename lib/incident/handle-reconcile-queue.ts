import { parseReconcileUnit, type ReconcileUnitMessage } from '../events/reconcile-unit-message.js';
import { consumeBatch, type QueueAnswer, type QueueEvent, type QueueMessage } from '../queue-batch.js';
import { IncidentInputError } from './errors.js';
import type { IncidentDeps, Invocation } from './ports.js';
import { runReconcileUnit } from './reconcile-unit.js';

/** One unit of the reconcile queue: a lease watch reconciles only a network still behind its facts, a sweep only a locked one. */
async function continueReconcile(unit: ReconcileUnitMessage, invocation: Invocation, deps: IncidentDeps) {
  if (unit.sweep && (await deps.store.readDesired(unit.networkId)).active.length === 0) {
    // Nothing holds the network any more (the lockdown was lifted since): nothing to sweep, no Wickr request.
    return;
  }
  if (unit.watch) {
    if (!(await deps.store.isBehind(unit.networkId))) {
      deps.logger.info('Lease watch: the network is up to date', { networkId: unit.networkId });
      return;
    }
    // A holder died with facts untaken (or a lease was held by no reconcile at all): worth an alarm.
    deps.logger.warn('Lease watch: the network is behind its facts; reconciling', { networkId: unit.networkId });
    deps.metrics?.add('NetworksBehind', 1);
  }
  await runReconcileUnit({ ...unit, watch: undefined }, invocation, deps);
}

/**
 * The reconcile function: each message is one network to bring to its desired state, in parallel with the other
 * environments; a network that does not finish in this invocation is handed on again. A body that is not a unit is
 * refused naming the field; a permanent failure goes to the failure destination with its reason; a transient one
 * returns alone after the visibility timeout (then, repeatedly failing, to the dead-letter queue).
 */
export function continueReconciles(
  event: QueueEvent,
  invocation: Invocation,
  deps: IncidentDeps,
): Promise<QueueAnswer> {
  return consumeBatch(event, {
    parse: (body) => {
      const unit = parseReconcileUnit(body);
      if ('problem' in unit) throw new IncidentInputError('body', unit.problem);
      return unit;
    },
    handle: async (units: readonly QueueMessage<ReconcileUnitMessage>[]) => {
      const failures = new Map<string, Error>();
      for (const { messageId, message } of units) {
        try {
          await continueReconcile(message, invocation, deps);
        } catch (error) {
          deps.logger.warn('Reconcile failed', { networkId: message.networkId, error: (error as Error).name });
          failures.set(messageId, error as Error);
        }
      }
      return failures;
    },
    refuse: async (error, received) => (await deps.refuse?.(error, received)) ?? false,
  });
}
