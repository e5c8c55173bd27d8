import type { IncidentDeclaredEvent, IncidentResolvedEvent } from '../events/incident-events.js';
import { IncidentInputError } from './errors.js';
import type { DecisionLogger, Idempotency, Invocation, OutcomePublisher } from './ports.js';
import { type NetworkReport, type ReconcileDeps, reconcileNetwork } from './reconcile-network.js';

/** What the incident use cases need. */
export interface IncidentDeps extends ReconcileDeps {
  /** The networks in the policy file: the default targets, and the only ones accepted. */
  readonly networkIds: readonly string[];
  readonly tombstoneDays: number;
  readonly idempotency: Idempotency;
  readonly publisher: OutcomePublisher;
  readonly logger: DecisionLogger;
}

/** What one network's step ended with. */
export type NetworkOutcome =
  | { readonly networkId: string; readonly result: 'reconciled'; readonly report: NetworkReport }
  | { readonly networkId: string; readonly result: 'already-resolved' };

/** The outcome of one incident event. */
export interface IncidentOutcome extends Record<string, unknown> {
  readonly incidentId: string;
  readonly networks: readonly NetworkOutcome[];
}

// Longer than any invocation, so a live reconcile never loses its lease; a crashed one frees it soon after.
const leaseTtlMs = (invocation: Invocation) => invocation.remainingMs() + 30_000;

function targetNetworks(requested: readonly string[] | undefined, known: readonly string[]): readonly string[] {
  if (!requested) return known;
  requested.forEach((id, i) => {
    if (!known.includes(id)) {
      throw new IncidentInputError(`detail.networkIds.${i}`, `network ${id} is not in the policy file`);
    }
  });
  return [...new Set(requested)];
}

function summary(report: NetworkReport) {
  return {
    groupsChecked: report.groupsChecked,
    groupsChanged: report.groups.length,
    conflicts: report.conflicts.length,
    popupChanged: report.popup.changed,
  };
}

/**
 * `Incident Declared`: record the incident as active on each target network (unless its resolution came
 * first), then reconcile the network to the strictest active playbook. Once per incident and network.
 */
export async function declareIncident(
  event: IncidentDeclaredEvent,
  invocation: Invocation,
  deps: IncidentDeps,
): Promise<IncidentOutcome> {
  const { incidentId, severity, title, groups } = event.detail;
  const networks: NetworkOutcome[] = [];
  for (const networkId of targetNetworks(event.detail.networkIds, deps.networkIds)) {
    networks.push(
      await deps.idempotency.once({ step: 'incident-declare', incidentId, networkId }, async () => {
        const recorded = await deps.store.declare(networkId, {
          incidentId,
          severity,
          title,
          declaredAt: event.time,
          groups,
        });
        if (recorded === 'already-resolved') {
          deps.logger.info('Declaration ignored: the incident was resolved before it arrived', {
            incidentId,
            networkId,
          });
          return { networkId, result: 'already-resolved' as const };
        }
        const report = await reconcileNetwork(networkId, invocation.requestId, leaseTtlMs(invocation), deps);
        deps.logger.info('Lockdown reconciled', { incidentId, networkId, severity, ...summary(report) });
        await deps.publisher.publish('Wickr Lockdown Applied', {
          incidentId,
          severity,
          trigger: 'Incident Declared',
          ...report,
        });
        return { networkId, result: 'reconciled' as const, report };
      }),
    );
  }
  return { incidentId, networks };
}

/**
 * `Incident Resolved`: move the incident to the resolved set on each target network, then reconcile: the
 * network is restored when no incident remains active, or follows the strictest one still active.
 */
export async function resolveIncident(
  event: IncidentResolvedEvent,
  invocation: Invocation,
  deps: IncidentDeps,
): Promise<IncidentOutcome> {
  const { incidentId } = event.detail;
  const networks: NetworkOutcome[] = [];
  const forgetBefore = new Date(deps.nowMs() - deps.tombstoneDays * 86_400_000).toISOString();
  for (const networkId of targetNetworks(event.detail.networkIds, deps.networkIds)) {
    networks.push(
      await deps.idempotency.once({ step: 'incident-resolve', incidentId, networkId }, async () => {
        await deps.store.resolve(networkId, incidentId, event.time);
        await deps.store.pruneTombstones(networkId, forgetBefore);
        const report = await reconcileNetwork(networkId, invocation.requestId, leaseTtlMs(invocation), deps);
        deps.logger.info('Lockdown reconciled after resolution', { incidentId, networkId, ...summary(report) });
        await deps.publisher.publish(report.locked ? 'Wickr Lockdown Applied' : 'Wickr Lockdown Lifted', {
          incidentId,
          trigger: 'Incident Resolved',
          ...report,
        });
        return { networkId, result: 'reconciled' as const, report };
      }),
    );
  }
  return { incidentId, networks };
}
