/**
 * One execution environment's outcome chain: its own stream (`<function>#<random id>`), its head held in memory and
 * moved only once an outcome is published — so a failed or retried publication reuses its place, and an environment
 * that dies leaves a chain that ends, never one with a hole. No write per outcome: the head is recorded in the state
 * table at the stream's first link and then at most once every `recordEveryMs` (a second), for the hourly anchor to
 * read — a storm costs a write a second per environment, not one per outcome. Links
 * are taken one at a time (an invocation publishing for several networks at once is put in one order).
 */
import { randomBytes } from 'node:crypto';
import { type ChainLink, genesisValue, linkValue } from './chain-link.js';
import type { ChainHeads } from './ports.js';

type Detail = Readonly<Record<string, unknown>>;

export class OutcomeChain {
  readonly stream: string;
  #head: ChainLink | undefined;
  #recordedAt = Number.NEGATIVE_INFINITY;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    owner: string,
    private readonly heads: Pick<ChainHeads, 'record'>,
    private readonly nowMs: () => number = Date.now,
    private readonly recordEveryMs = 1_000,
    id: string = randomBytes(6).toString('hex'),
  ) {
    this.stream = `${owner}#${id}`;
  }

  /** Publishes `detail` carrying the next link (`publish` throws: the place stays free for the next attempt). */
  append(detailType: string, detail: Detail, publish: (linked: Detail) => Promise<void>): Promise<void> {
    const run = this.#queue.then(async () => {
      const at = new Date(Math.max(this.nowMs(), this.#head ? Date.parse(this.#head.at) : 0)).toISOString();
      const place = { stream: this.stream, seq: (this.#head?.seq ?? 0) + 1, at };
      const link = { ...place, value: linkValue(this.#head?.value ?? genesisValue, place, detailType, detail) };
      await publish({ ...detail, chain: link });
      this.#head = link;
      if (link.seq === 1 || this.nowMs() - this.#recordedAt >= this.recordEveryMs) {
        // Recorded for the anchor; a failure here costs only the anchor's freshness (the next outcome tries again).
        await this.heads.record(link).then(
          () => {
            this.#recordedAt = this.nowMs();
          },
          () => undefined,
        );
      }
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
