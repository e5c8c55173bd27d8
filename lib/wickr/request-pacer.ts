/** Decides when a request may go: every attempt takes a slot first. */
export interface Pacer {
  take(signal?: AbortSignal): Promise<void>;
}

/**
 * Spaces requests evenly so a client stays under the service's rate limit instead of discovering it through
 * 429s: each request waits for the next free slot, 1/rate apart.
 */
export class RequestPacer implements Pacer {
  #next = 0;
  readonly #intervalMs: number;

  constructor(
    requestsPerSecond: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
  ) {
    this.#intervalMs = 1000 / requestsPerSecond;
  }

  /** Waits for this request's slot. */
  async take(signal?: AbortSignal): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.#next);
    this.#next = at + this.#intervalMs;
    if (at > now) await this.sleep(at - now, signal);
  }
}
