import type { Context } from 'aws-lambda';
import type { RotationUseCaseDeps } from '../../lib/rotation/handle-rotation.js';
import { dependencies as d } from '../../lib/runtime/dependencies.js';
import { idempotencyStore } from '../../lib/runtime/idempotency-store.js';
import { metricsPort } from '../../lib/runtime/metrics.js';
import { HoldStore } from '../../lib/store/hold-store.js';
import { idempotentSteps } from '../../lib/store/idempotency.js';
import { lockedFields } from '../../lib/store/incident-locks-view.js';
import { IncidentStateStore } from '../../lib/store/incident-state-store.js';

/** The rotation use case's dependencies for one invocation; the incident lock entries are its seam. */
export async function rotationDeps(context: Context): Promise<RotationUseCaseDeps> {
  const policy = await d.policy();
  const incidents = new IncidentStateStore(d.documentDb(), d.config().stateTable);
  return {
    wickr: d.wickr(),
    rotation: policy.rotation,
    locks: (networkId) => lockedFields(incidents, networkId),
    concurrency: d.config().wickrRequestsInFlight,
    networkIds: policy.networks.map((n) => n.networkId),
    idempotency: idempotentSteps(idempotencyStore(), context, undefined, 'rotation'),
    publisher: d.publisher(),
    holds: new HoldStore(d.documentDb(), d.config().stateTable),
    holdMs: policy.safeguards.holdHours * 3_600_000,
    clock: { now: Date.now },
    logger: d.logger(),
    metrics: metricsPort,
  };
}
