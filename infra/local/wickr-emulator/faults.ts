import * as z from 'zod/mini';
import { seededRandom } from '../seeded-random.js';

const probability = z.number().check(z.gte(0), z.lte(1));

// Strict: a misspelt key (`latencyMS`) is refused, not silently ignored.
const OneShotFault = z.strictObject({
  /** Only a request of this operation takes the fault; any operation when absent. */
  operation: z.optional(z.string()),
  /** Answer this status (429, 500, 503, …) without applying the request. */
  status: z.optional(z.int().check(z.gte(400), z.lte(599))),
  /** Seconds sent in `Retry-After` with the status. */
  retryAfterSeconds: z.optional(z.number()),
  /** Drop the connection without applying the request. */
  reset: z.optional(z.boolean()),
  /** Apply the request, then drop the connection: the change is made, the response is lost. */
  applyThenFail: z.optional(z.boolean()),
});

/** Faults the emulator injects, set through `PUT /_emulator/faults`. */
export const FaultConfig = z.strictObject({
  /** Added to every API request before it is handled. */
  latencyMs: z._default(z.number().check(z.gte(0)), 0),
  /** A token bucket; a request finding it empty is answered 429. */
  rateLimit: z.optional(
    z.strictObject({ requestsPerSecond: z.number().check(z.gt(0)), burst: z.int().check(z.gte(1)) }),
  ),
  /** Probability per request of answering each status, e.g. `{ "500": 0.05, "429": 0.1 }`. */
  errorRates: z._default(z.record(z.string().check(z.regex(/^[45][0-9]{2}$/)), probability), () => ({})),
  /** Probability per request of dropping the connection before applying it. */
  resetRate: z._default(probability, 0),
  /** Probability per request of applying it and then dropping the connection. */
  applyThenFailRate: z._default(probability, 0),
  /** Random faults touch only these operations; all when absent. */
  operations: z.optional(z.array(z.string())),
  /** Seed of the random draws, so a run can be replayed. */
  seed: z._default(z.int(), 1),
  /** Faults for the next matching requests, taken in order, each once. */
  next: z._default(z.array(OneShotFault), () => []),
});
export type FaultConfig = z.output<typeof FaultConfig>;
export type FaultConfigInput = z.input<typeof FaultConfig>;
type OneShotFault = z.output<typeof OneShotFault>;

/** What happens to one request. */
export type FaultDecision =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly retryAfterSeconds?: number | undefined;
      readonly cause: string;
    }
  | { readonly kind: 'reset' }
  | { readonly kind: 'applyThenFail' };

/** Decides, request by request, which fault (if any) to inject. */
export class FaultInjector {
  #config: FaultConfig;
  #random: () => number;
  #tokens = 0;
  #refilledAt = 0;

  constructor(
    config: FaultConfigInput,
    private readonly nowMs: () => number,
  ) {
    this.#config = FaultConfig.parse(config);
    this.#random = seededRandom(this.#config.seed);
    this.#resetBucket();
  }

  get config(): FaultConfig {
    return this.#config;
  }

  set(config: FaultConfigInput): void {
    this.#config = FaultConfig.parse(config);
    this.#random = seededRandom(this.#config.seed);
    this.#resetBucket();
  }

  #resetBucket(): void {
    this.#tokens = this.#config.rateLimit?.burst ?? 0;
    this.#refilledAt = this.nowMs();
  }

  #takeToken(): boolean {
    const limit = this.#config.rateLimit;
    if (!limit) return true;
    const now = this.nowMs();
    this.#tokens = Math.min(limit.burst, this.#tokens + ((now - this.#refilledAt) / 1000) * limit.requestsPerSecond);
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  #takeOneShot(operation: string): OneShotFault | undefined {
    const index = this.#config.next.findIndex((f) => f.operation === undefined || f.operation === operation);
    return index < 0 ? undefined : this.#config.next.splice(index, 1)[0];
  }

  /** The fault for one request of `operation`; consumes a one-shot fault or a rate-limit token. */
  decide(operation: string): FaultDecision {
    const shot = this.#takeOneShot(operation);
    if (shot) {
      if (shot.reset) return { kind: 'reset' };
      if (shot.applyThenFail) return { kind: 'applyThenFail' };
      if (shot.status !== undefined)
        return { kind: 'status', status: shot.status, retryAfterSeconds: shot.retryAfterSeconds, cause: 'scripted' };
    }
    if (!this.#takeToken()) return { kind: 'status', status: 429, cause: 'rateLimit' };
    const c = this.#config;
    if (c.operations && !c.operations.includes(operation)) return { kind: 'none' };
    if (c.resetRate > 0 && this.#random() < c.resetRate) return { kind: 'reset' };
    for (const [status, rate] of Object.entries(c.errorRates)) {
      if (rate > 0 && this.#random() < rate) return { kind: 'status', status: Number(status), cause: 'random' };
    }
    if (c.applyThenFailRate > 0 && this.#random() < c.applyThenFailRate) return { kind: 'applyThenFail' };
    return { kind: 'none' };
  }
}
