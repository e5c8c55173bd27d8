import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import type { LocalFunctionDefinition } from '../serverless-config.js';

/** What one invocation ended with. */
export type InvocationResult =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: { readonly name: string; readonly message: string } };

/** What an environment needs to start. */
export interface EnvironmentSpec {
  readonly definition: LocalFunctionDefinition;
  readonly serviceDir: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly region: string;
}

const mib = (flag: string, options: string | undefined): number | undefined => {
  const value = options?.match(new RegExp(`--${flag}=(\\d+)`))?.[1];
  return value === undefined ? undefined : Number(value);
};

/**
 * The heap limits of an environment: the function's own `NODE_OPTIONS` heap flags where it sets them (as Node
 * applies them on Lambda), else three quarters of `memorySize` — so an environment that outgrows its function's
 * memory fails as Lambda's would, instead of borrowing the host's.
 */
export function environmentResourceLimits(memorySize: number, nodeOptions: string | undefined): ResourceLimits {
  const oldSpace = mib('max-old-space-size', nodeOptions) ?? Math.floor(memorySize * 0.75);
  const semiSpace = mib('max-semi-space-size', nodeOptions);
  return {
    maxOldGenerationSizeMb: Math.min(oldSpace, memorySize),
    // V8's young generation is three semi-spaces (two for scavenges, one for large objects).
    ...(semiSpace === undefined ? {} : { maxYoungGenerationSizeMb: semiSpace * 3 }),
  };
}

/**
 * One Lambda execution environment: a worker thread holding its own copy of the function's modules (its init
 * is the cold start), with the function's environment variables and heap limits. It runs one invocation at a
 * time. A timeout, a crash or running out of memory ends this environment only.
 */
export class ExecutionEnvironment {
  readonly id = randomUUID();
  #worker: Worker | undefined;
  #ready: Promise<void>;
  #current: { id: number; finish(result: InvocationResult): void } | undefined;
  #nextId = 1;
  #ended = false;
  #exitError: { name: string; message: string } = { name: 'Runtime.ExitError', message: 'The environment exited' };

  constructor(private readonly spec: EnvironmentSpec) {
    const { definition } = spec;
    const worker = new Worker(new URL('./function-worker.ts', import.meta.url), {
      env: spec.environment,
      resourceLimits: environmentResourceLimits(definition.memorySize, spec.environment.NODE_OPTIONS),
      workerData: {
        modulePath: resolve(spec.serviceDir, `${definition.module}.ts`),
        exportName: definition.exportName,
        functionName: definition.name,
        memorySize: definition.memorySize,
        region: spec.region,
        environmentId: this.id,
      },
    });
    this.#worker = worker;
    this.#ready = new Promise<void>((ready, fail) => {
      worker.once('message', (m: { ready: boolean; error?: { message: string } }) =>
        m.ready ? ready() : fail(new Error(`${definition.name} failed to load: ${m.error?.message}`)),
      );
      worker.once('exit', () => fail(new Error(`${definition.name} exited during init`)));
    });
    // Nobody may be waiting on init when it fails later; the invoker sees the same rejection.
    this.#ready.catch(() => undefined);
    worker.on('message', (m: { id?: number } & InvocationResult) => {
      if (m.id === undefined || m.id !== this.#current?.id) return;
      this.#current.finish(m.ok ? { ok: true, result: m.result } : { ok: false, error: m.error });
    });
    worker.on('error', (error: Error & { code?: string }) => {
      this.#exitError =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { name: 'Runtime.OutOfMemory', message: `Runtime exited: memory of ${definition.memorySize} MB exceeded` }
          : { name: 'Runtime.ExitError', message: `Runtime exited with error: ${error.message}` };
    });
    worker.on('exit', () => {
      this.#ended = true;
      this.#worker = undefined;
      this.#current?.finish({ ok: false, error: this.#exitError });
    });
  }

  /** False once a timeout, a crash or an error ended it. */
  get alive(): boolean {
    return !this.#ended;
  }

  /** Resolves when the handler module has loaded (the init phase). */
  ready(): Promise<void> {
    return this.#ready;
  }

  /**
   * Runs one invocation to its end, within the function's timeout. Never throws: every failure is a result.
   * With `crashAfterMs`, the environment dies that long into the handler (an injected crash) and the invocation
   * ends as on a Lambda timeout, at its deadline.
   */
  async invoke(event: unknown, requestId: string, crashAfterMs?: number): Promise<InvocationResult> {
    if (this.#current) throw new Error(`environment ${this.id} is already running an invocation`);
    try {
      await this.#ready;
    } catch (error) {
      this.end();
      return { ok: false, error: { name: 'Runtime.ImportModuleError', message: (error as Error).message } };
    }
    const worker = this.#worker;
    if (!worker) return { ok: false, error: this.#exitError };
    const timeoutSeconds = this.spec.definition.timeoutSeconds;
    const deadlineMs = Date.now() + timeoutSeconds * 1000;
    const id = this.#nextId++;
    const crashes = crashAfterMs !== undefined;
    return new Promise<InvocationResult>((resolveResult) => {
      const settle = (result: InvocationResult) => {
        clearTimeout(deadline);
        clearTimeout(death);
        this.#current = undefined;
        resolveResult(result);
      };
      const message = `Task timed out after ${timeoutSeconds} seconds${crashes ? ' (injected crash)' : ''}`;
      const deadline = setTimeout(() => {
        settle({ ok: false, error: { name: 'Sandbox.Timedout', message } });
        this.end();
      }, deadlineMs - Date.now());
      let death: NodeJS.Timeout | undefined;
      if (crashes) {
        // The handler's answer is lost with the environment; the invocation ends as a timeout, at its deadline.
        this.#current = { id, finish: () => undefined };
        death = setTimeout(() => this.end(), crashAfterMs);
      } else {
        this.#current = { id, finish: settle };
      }
      worker.postMessage({ id, event, requestId, deadlineMs });
    });
  }

  /** Ends the environment (its worker thread). */
  end(): void {
    this.#ended = true;
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) void worker.terminate();
  }
}
