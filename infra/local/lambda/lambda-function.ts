import { type EnvironmentSpec, ExecutionEnvironment, type InvocationResult } from './execution-environment.js';

export type { InvocationResult } from './execution-environment.js';

/** Crashes injected mid-handler, as a chaos run asks for. */
export interface CrashInjection {
  readonly rate: number;
  readonly random: () => number;
}

/** One invocation as it ran: its result and the environment that ran it. */
export interface Invocation {
  readonly result: InvocationResult;
  readonly environmentId: string;
  readonly coldStart: boolean;
  readonly startedAt: Date;
  readonly endedAt: Date;
}

/** What a function did since the stack started. */
export interface FunctionStats {
  readonly invocations: number;
  readonly coldStarts: number;
  readonly peakConcurrentEnvironments: number;
  readonly concurrencyLimit: number;
  /** Invocations that had to wait for a free environment, the limit being reached. */
  readonly throttled: number;
}

/**
 * A function as Lambda runs it: a pool of execution environments, each running one invocation at a time. An
 * invocation takes an idle environment (warm) or starts a new one (a cold start, with fresh module state), up to
 * the function's concurrency limit; above it, invocations wait for a free environment in order, as Lambda's
 * asynchronous queue holds throttled events.
 */
export class LambdaFunction {
  readonly #idle: ExecutionEnvironment[] = [];
  readonly #all = new Set<ExecutionEnvironment>();
  readonly #waiting: (() => void)[] = [];
  #crash: CrashInjection | undefined;
  #invocations = 0;
  #coldStarts = 0;
  #busy = 0;
  #peak = 0;
  #throttled = 0;
  #closed = false;

  /** Invocations whose environment was made to crash. */
  crashes = 0;

  constructor(
    private readonly spec: EnvironmentSpec,
    readonly concurrencyLimit: number,
    crash?: CrashInjection,
  ) {
    this.#crash = crash;
  }

  get definition() {
    return this.spec.definition;
  }

  /** Starts or (without arguments) stops injecting crashes, e.g. as a chaos run's faults come and go. */
  setCrashes(crash?: CrashInjection): void {
    this.#crash = crash;
  }

  /** Invokes the handler once, with the function's timeout. Never throws: every failure is a result. */
  async invoke(event: unknown, requestId: string): Promise<Invocation> {
    const { environment, coldStart } = await this.#acquire();
    this.#invocations++;
    const startedAt = new Date();
    this.#busy++;
    this.#peak = Math.max(this.#peak, this.#busy);
    const crash = this.#crash;
    let crashAfterMs: number | undefined;
    if (crash && crash.random() < crash.rate) {
      this.crashes++;
      crashAfterMs = crash.random() * Math.min(this.definition.timeoutSeconds * 1000, 1_500);
    }
    const result = await environment.invoke(event, requestId, crashAfterMs);
    this.#busy--;
    this.#release(environment);
    return { result, environmentId: environment.id, coldStart, startedAt, endedAt: new Date() };
  }

  async #acquire(): Promise<{ environment: ExecutionEnvironment; coldStart: boolean }> {
    for (;;) {
      if (this.#closed) throw new Error(`${this.definition.name} is closed`);
      const warm = this.#idle.pop();
      if (warm?.alive) return { environment: warm, coldStart: false };
      if (warm) continue;
      if (this.#all.size < this.concurrencyLimit) {
        const environment = new ExecutionEnvironment(this.spec);
        this.#all.add(environment);
        this.#coldStarts++;
        return { environment, coldStart: true };
      }
      this.#throttled++;
      await new Promise<void>((wake) => this.#waiting.push(wake));
    }
  }

  #release(environment: ExecutionEnvironment): void {
    if (environment.alive && !this.#closed) this.#idle.push(environment);
    else this.#all.delete(environment);
    this.#waiting.shift()?.();
  }

  /** Invocations, cold starts and the peak of concurrent environments so far. */
  stats(): FunctionStats {
    return {
      invocations: this.#invocations,
      coldStarts: this.#coldStarts,
      peakConcurrentEnvironments: this.#peak,
      concurrencyLimit: this.concurrencyLimit,
      throttled: this.#throttled,
    };
  }

  /** Ends every environment. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const environment of this.#all) environment.end();
    this.#all.clear();
    this.#idle.length = 0;
    for (const wake of this.#waiting.splice(0)) wake();
  }
}
