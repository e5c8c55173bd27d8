import { WickrBudgetError } from './errors.js';
import type { Pacer } from './request-pacer.js';

/**
 * Hands out request slots of a rate shared by many execution environments: `slots` consecutive slots, `intervalMs`
 * apart, starting at the returned epoch ms — after every slot handed out before, so all holders together keep the
 * rate. Backed by one DynamoDB item in production.
 */
export interface SlotReserver {
  reserve(slots: number, intervalMs: number, nowMs: number): Promise<number>;
}

/**
 * Paces requests at a rate that environments share instead of dividing it among them: each draws blocks of slots
 * from a common meter, so the one environment still working (a big network's reconcile) may use the whole rate,
 * and all of them together never exceed it. A block covers `blockMs` of the rate, which bounds both the meter's
 * writes (one per block) and what an environment that goes idle leaves unused.
 */
export class PooledRequestPacer implements Pacer {
  readonly #intervalMs: number;
  readonly #slotsPerBlock: number;
  #next = 0;
  #end = 0;
  #reserving: Promise<void> | undefined;

  constructor(
    requestsPerSecond: number,
    private readonly meter: SlotReserver,
    private readonly now: () => number,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
    private readonly blockMs = 200,
    /** The longest wait for a slot; a longer one means the meter is broken or poisoned. */
    private readonly maxWaitMs = 30_000,
  ) {
    this.#intervalMs = 1000 / requestsPerSecond;
    this.#slotsPerBlock = Math.max(1, Math.round(blockMs / this.#intervalMs));
  }

  /** Waits for this request's slot, drawing a new block from the meter when this environment's is used up. */
  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      // Slots more than a block in the past were not used in time; using them now would crowd later ones.
      if (this.#next < this.#end && this.#next >= this.now() - this.blockMs) break;
      this.#reserving ??= this.#reserve().finally(() => {
        this.#reserving = undefined;
      });
      await this.#reserving;
    }
    const at = this.#next;
    this.#next += this.#intervalMs;
    const wait = at - this.now();
    // A meter that hands out a slot this far ahead is not one any environment moved: never wait on it.
    if (wait > this.maxWaitMs) {
      this.#end = this.#next = 0;
      throw new WickrBudgetError(`The shared request meter handed out a slot ${Math.round(wait)} ms ahead`);
    }
    if (wait > 0) await this.sleep(wait, signal);
  }

  async #reserve(): Promise<void> {
    const start = await this.meter.reserve(this.#slotsPerBlock, this.#intervalMs, this.now());
    this.#next = start;
    this.#end = start + this.#slotsPerBlock * this.#intervalMs;
  }
}
