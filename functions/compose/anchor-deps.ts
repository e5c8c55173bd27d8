import type { AnchorDeps } from '../../lib/audit/ports.js';
import { anchorObjects } from '../../lib/runtime/anchor-objects.js';
import { dependencies as d } from '../../lib/runtime/dependencies.js';
import { S3Objects } from '../../lib/runtime/s3-objects.js';
import { ChainHeadStore } from '../../lib/store/chain-head-store.js';

/** The anchor function's dependencies, from the execution environment's clients. */
export function anchorDeps(): AnchorDeps {
  const c = d.config();
  return {
    heads: new ChainHeadStore(d.documentDb(), c.stateTable),
    objects: anchorObjects(new S3Objects(c.region, c.s3Endpoint), c.anchorBucket),
    owners: c.chainOwners,
    nowMs: Date.now,
    publisher: d.publisher(),
    logger: d.logger(),
  };
}
