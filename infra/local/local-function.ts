import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LocalFunctionDefinition } from './serverless-config.js';

/** What one invocation ended with. */
export type InvocationResult =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: { readonly name: string; readonly message: string } };

interface Pending {
  resolve(result: InvocationResult): void;
  timer: NodeJS.Timeout;
}

/**
 * One function of the local stack: its own worker thread (its execution environment, with the function's own
 * environment variables), started on first use. A timed-out invocation ends the environment, as on Lambda.
 */
export class LocalFunction {
  #worker: Worker | undefined;
  #ready: Promise<void> | undefined;
  #pending = new Map<number, Pending>();
  #nextId = 1;

  /** Invocations this environment was made to crash. */
  crashes = 0;

  constructor(
    readonly definition: LocalFunctionDefinition,
    private readonly serviceDir: string,
    private readonly environment: Readonly<Record<string, string>>,
    private readonly region: string,
    private crash?: { readonly rate: number; readonly random: () => number },
  ) {}

  /** Starts or (without arguments) stops injecting crashes, e.g. as a chaos run's faults come and go. */
  setCrashes(crash?: { readonly rate: number; readonly random: () => number }): void {
    this.crash = crash;
  }

  #start(): Promise<void> {
    const worker = new Worker(new URL('./function-worker.ts', import.meta.url), {
      env: this.environment,
      workerData: {
        modulePath: resolve(this.serviceDir, `${this.definition.module}.ts`),
        exportName: this.definition.exportName,
        functionName: this.definition.name,
        memorySize: this.definition.memorySize,
        region: this.region,
      },
    });
    this.#worker = worker;
    this.#ready = new Promise<void>((ready, fail) => {
      worker.once('message', (m: { ready: boolean; error?: { message: string } }) =>
        m.ready ? ready() : fail(new Error(`${this.definition.name} failed to load: ${m.error?.message}`)),
      );
      worker.once('error', fail);
    });
    worker.on('message', (m: { id?: number } & InvocationResult) => {
      if (m.id === undefined) return;
      const pending = this.#pending.get(m.id);
      if (!pending) return;
      clearTimeout(pending.timer);
      this.#pending.delete(m.id);
      pending.resolve(m.ok ? { ok: true, result: m.result } : { ok: false, error: m.error });
    });
    worker.on('exit', () =>
      this.#lost({ name: 'Runtime.ExitError', message: 'The execution environment exited' }, worker),
    );
    return this.#ready;
  }

  #lost(error: { name: string; message: string }, worker: Worker): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    this.#ready = undefined;
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.resolve({ ok: false, error });
      this.#pending.delete(id);
    }
  }

  /** Invokes the handler once, with the function's timeout. Never throws: every failure is a result. */
  async invoke(event: unknown, requestId: string): Promise<InvocationResult> {
    try {
      if (!this.#worker) await this.#start();
      else await this.#ready;
    } catch (error) {
      this.#worker = undefined;
      return { ok: false, error: { name: 'Runtime.ImportModuleError', message: (error as Error).message } };
    }
    const worker = this.#worker as Worker;
    const timeoutMs = this.definition.timeoutSeconds * 1000;
    const id = this.#nextId++;
    if (this.crash && this.crash.random() < this.crash.rate)
      return this.#crash(worker, id, event, requestId, timeoutMs);
    return new Promise<InvocationResult>((resolveResult) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolveResult({
          ok: false,
          error: {
            name: 'Sandbox.Timedout',
            message: `Task timed out after ${this.definition.timeoutSeconds} seconds`,
          },
        });
        this.#lost({ name: 'Sandbox.Timedout', message: 'The environment was ended by a timeout' }, worker);
        void worker.terminate();
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolveResult, timer });
      worker.postMessage({ id, event, requestId, deadlineMs: Date.now() + timeoutMs });
    });
  }

  /**
   * An injected crash: the environment dies at a random point of the handler — between a Wickr call and its
   * idempotency record, say — and the invocation ends as on a Lambda timeout, at its deadline.
   */
  #crash(worker: Worker, id: number, event: unknown, requestId: string, timeoutMs: number): Promise<InvocationResult> {
    this.crashes++;
    const deadline = Date.now() + timeoutMs;
    const dieAfter = (this.crash?.random() ?? 0) * Math.min(timeoutMs, 1_500);
    worker.postMessage({ id, event, requestId, deadlineMs: deadline });
    return new Promise((resolveResult) => {
      setTimeout(() => {
        this.#lost({ name: 'Sandbox.Timedout', message: 'The environment crashed (injected)' }, worker);
        void worker.terminate();
      }, dieAfter);
      setTimeout(
        () =>
          resolveResult({
            ok: false,
            error: {
              name: 'Sandbox.Timedout',
              message: `Task timed out after ${this.definition.timeoutSeconds} seconds (injected crash)`,
            },
          }),
        Math.max(0, deadline - Date.now()),
      );
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) await worker.terminate();
  }
}
