import type { Context } from 'aws-lambda';
import type { HrDeps } from '../../lib/hr/ports.js';
import { dependencies as d } from '../../lib/runtime/dependencies.js';
import { HrMappingStore } from '../../lib/store/hr-mapping-store.js';
import { idempotentSteps } from '../../lib/store/idempotency.js';

/** The HR use cases' dependencies for one invocation, from the execution environment's clients. */
export async function hrDeps(context: Context): Promise<HrDeps> {
  const policy = await d.policy();
  return {
    wickr: d.wickr(),
    mappings: new HrMappingStore(d.documentDb(), d.config().stateTable),
    hr: policy.hr,
    networkIds: policy.networks.map((n) => n.networkId),
    idempotency: idempotentSteps(d.idempotencyStore(), context, undefined, 'hr'),
    publisher: d.publisher(),
    logger: d.logger(),
  };
}
