/** What the outcome chain and its anchor need; every side effect is a port (lib/store and lib/runtime implement them). */
import type { DecisionLog, Publisher } from '../ports.js';
import type { ChainLink } from './chain-link.js';
import type { AnchoredHead } from './verify-trail.js';

/** Where each stream's latest recorded head is kept for the anchor (a stream is one environment's: one writer). */
export interface ChainHeads {
  /** Records a stream's head (never behind the one recorded: a late write does not move it back). */
  record(head: ChainLink): Promise<void>;
  /** Every stream's recorded head of these owners (function names). */
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
}
