import { parseReconcileUnit, type ReconcileQueueEvent } from '../events/reconcile-unit-message.js';
import { isPermanent } from '../failure.js';
import { IncidentInputError } from './errors.js';
import type { IncidentDeps, Invocation } from './ports.js';
import { runReconcileUnit } from './reconcile-unit.js';

/**
 * The reconcile function: each message is one network to bring to its desired state, in parallel with the other
 * environments; a network that does not finish in this invocation is handed on again. A lease watch reconciles only
 * a network still behind its facts; a sweep reads a locked network afresh (and does nothing to one no longer locked). A message that fails is reported alone and returns after the visibility timeout
 * (then, repeatedly failing, to the dead-letter queue).
 */
export async function continueReconciles(event: ReconcileQueueEvent, invocation: Invocation, deps: IncidentDeps) {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    const unit = parseReconcileUnit(record.body);
    if ('problem' in unit) {
      // Not a unit of work, and never will be: to the failure destination at once, with why.
      deps.logger.warn('Reconcile message refused', { messageId: record.messageId, reason: unit.problem });
      const refused = new IncidentInputError('body', unit.problem);
      if (!(await deps.refuse?.(refused, record.body.slice(0, 2000)))) {
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
      continue;
    }
    try {
      if (unit.sweep && (await deps.store.readDesired(unit.networkId)).active.length === 0) {
        // Nothing holds the network any more (the lockdown was lifted since): nothing to sweep, no Wickr request.
        continue;
      }
      if (unit.watch) {
        if (!(await deps.store.isBehind(unit.networkId))) {
          deps.logger.info('Lease watch: the network is up to date', { networkId: unit.networkId });
          continue;
        }
        // A holder died with facts untaken (or a lease was held by no reconcile at all): worth an alarm.
        deps.logger.warn('Lease watch: the network is behind its facts; reconciling', { networkId: unit.networkId });
        deps.metrics?.add('NetworksBehind', 1);
      }
      await runReconcileUnit({ ...unit, watch: undefined }, invocation, deps);
    } catch (error) {
      // One classifier for every consumer: a permanent failure is not retried, it goes to the failure destination.
      if (isPermanent(error) && (await deps.refuse?.(error as Error, unit))) continue;
      deps.logger.warn('Reconcile failed; the message returns', {
        networkId: unit.networkId,
        error: (error as Error).name,
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
