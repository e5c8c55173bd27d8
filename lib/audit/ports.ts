/** What the outcome chain and its anchor need; every side effect is a port (lib/store and lib/runtime implement them). */
import type { MetricsPort } from '../metric-names.js';
import type { DecisionLog, Publisher } from '../ports.js';
import type { ChainLink } from './chain-link.js';
import type { AnchoredHead } from './verify-trail.js';

/** A link's place, before its value is computed. */
export type LinkPlace = Pick<ChainLink, 'stream' | 'seq' | 'at'>;

/** Where each stream's head is kept, moved only by a conditional write so concurrent publishers chain in one order. */
export interface ChainHeads {
  /** Takes the next link of one of `owner`'s streams: `value` computes it from its place and the value before it. */
  next(owner: string, value: (place: LinkPlace, prev: string) => string): Promise<ChainLink>;
  /** Every stream's head of these owners (function names). */
  heads(owners: readonly string[]): Promise<AnchoredHead[]>;
}

/** Where anchors are written: a bucket whose objects no one can delete or overwrite while they are retained. */
export interface AnchorObjects {
  /** Writes the anchor under `key` unless one is there already; false when it was. */
  putOnce(key: string, body: string): Promise<boolean>;
}

/** The anchor function's dependencies. */
export interface AnchorDeps {
  readonly heads: Pick<ChainHeads, 'heads'>;
  readonly objects: AnchorObjects;
  readonly owners: readonly string[];
  readonly nowMs: () => number;
  readonly publisher: Publisher;
  readonly logger: DecisionLog;
  readonly metrics?: MetricsPort | undefined;
}
