import type { PostureDeps } from '../../lib/posture/ports.js';
import { dependencies as d } from '../../lib/runtime/dependencies.js';
import { metricsPort } from '../../lib/runtime/metrics.js';
import { PostureBaselineStore } from '../../lib/store/posture-baseline-store.js';

/** The posture check's dependencies, from the execution environment's clients. */
export async function postureDeps(): Promise<PostureDeps> {
  const policy = await d.policy();
  return {
    wickr: d.wickr(),
    baselines: new PostureBaselineStore(d.documentDb(), d.config().stateTable),
    section: policy.posture,
    networkIds: policy.networks.map((n) => n.networkId),
    nowMs: Date.now,
    publisher: d.publisher(),
    logger: d.logger(),
    metrics: metricsPort,
  };
}
