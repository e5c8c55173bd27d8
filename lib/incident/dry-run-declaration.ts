/**
 * A declaration marked `dryRun`: what its lockdown would change on each target network now, published as
 * `Wickr Lockdown Planned` — nothing recorded, nothing changed, no idempotency record (a plan may be asked again).
 * The smoke test sends one to prove the whole path (bus → rule → function → Wickr → outcome) without touching a
 * network; a plan is never an answer that a lockdown happened.
 */
import type { IncidentDeclaredEvent } from '../events/incident-events.js';
import { publicReason } from '../wickr/index.js';
import type { IncidentDeps, IncidentOutcome, NetworkOutcome } from './ports.js';
import { previewLockdown, readLiveNetwork } from './preview-lockdown.js';
import { targetNetworks } from './target-networks.js';

/** Plans the declaration on each target network and publishes the plan; reads Wickr, writes nothing. */
export async function planDeclaration(event: IncidentDeclaredEvent, deps: IncidentDeps): Promise<IncidentOutcome> {
  const receivedAt = new Date(deps.nowMs()).toISOString();
  const { incidentId, severity, groups } = event.detail;
  const incident = { incidentId, severity, declaredAt: event.time, groups };
  const networks: NetworkOutcome[] = [];
  for (const networkId of targetNetworks(event.detail.networkIds, deps.networkIds)) {
    const common = { networkId, incidentId, severity, eventId: event.id, dryRun: true, receivedAt };
    try {
      const preview = previewLockdown(await readLiveNetwork(deps.wickr, networkId), [incident], deps.playbooks);
      const plannedAt = new Date(deps.nowMs()).toISOString();
      await deps.publisher.publish('Wickr Lockdown Planned', { ...common, reachable: true, plannedAt, ...preview });
      networks.push({ networkId, result: 'planned', changes: preview.changes.length });
    } catch (error) {
      // The answer is the plan or why there is none: a network that does not answer is the finding, not a retry.
      const why = publicReason(error);
      deps.logger.warn('Dry run could not read the network', { incidentId, networkId, reason: why });
      const plannedAt = new Date(deps.nowMs()).toISOString();
      await deps.publisher.publish('Wickr Lockdown Planned', { ...common, reachable: false, plannedAt, error: why });
      networks.push({ networkId, result: 'planned', changes: 0, error: why });
    }
  }
  deps.logger.info('Dry run planned', { incidentId, networks: networks.length });
  return { incidentId, networks };
}
