import type { HttpRequest } from '@smithy/types';
import { errorFromResponse } from './error-from-response.js';
import {
  WickrAbortedError,
  WickrError,
  WickrNetworkError,
  WickrResponseParseError,
  WickrTimeoutError,
} from './errors.js';
import type { Pacer } from './request-pacer.js';
import { backoffDelayMs, type RetryPolicy } from './retry-policy.js';
import type { RequestSigner } from './signer.js';
import type { WireRequest } from './wire-request.js';

/** Where the client reports retries; Powertools Logger fits. */
export interface WickrClientLogger {
  warn(message: string, extra: Record<string, unknown>): void;
}

/** The side effects of sending, all injectable. */
export interface TransportDeps {
  readonly endpoint: URL;
  readonly signer: RequestSigner;
  readonly fetch: typeof globalThis.fetch;
  readonly policy: RetryPolicy;
  readonly logger?: WickrClientLogger | undefined;
  /** Told of every attempt's HTTP status (0: no response), e.g. to count requests and 429s. */
  readonly onAttempt?: ((operation: string, status: number) => void) | undefined;
  readonly random: () => number;
  readonly now: () => number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly pacer?: Pacer | undefined;
}

/** Waits `ms`, ending early with the signal's reason when it fires. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function toHttpRequest(endpoint: URL, wire: WireRequest): HttpRequest {
  const basePath = endpoint.pathname.replace(/\/$/, '');
  return {
    method: wire.method,
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
    path: `${basePath}${wire.path}`,
    query: { ...wire.query },
    headers: { ...wire.headers, host: endpoint.host },
    ...(wire.body !== undefined ? { body: wire.body } : {}),
  };
}

function urlOf(endpoint: URL, request: HttpRequest): string {
  const query = new URLSearchParams(request.query as Record<string, string>).toString();
  return `${endpoint.protocol}//${endpoint.host}${request.path}${query ? `?${query}` : ''}`;
}

async function attempt(deps: TransportDeps, operation: string, wire: WireRequest, signal?: AbortSignal) {
  const signed = await deps.signer.sign(toHttpRequest(deps.endpoint, wire));
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), deps.policy.requestTimeoutMs);
  // A composed signal only when the caller gave one: AbortSignal.any keeps its sources alive until collected.
  const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
  try {
    const { host: _host, ...headers } = signed.headers;
    const response = await deps.fetch(urlOf(deps.endpoint, signed), {
      method: signed.method,
      headers,
      body: signed.body as string | undefined,
      signal: combined,
      // Never follow: a redirect would carry the session token and the body to another host. A 3xx answer
      // becomes a typed, non-retryable error instead.
      redirect: 'manual',
    });
    const text = await response.text();
    return { response, text };
  } catch (cause) {
    if (signal?.aborted) throw new WickrAbortedError(operation, { cause });
    if (timeout.signal.aborted) throw new WickrTimeoutError(operation, deps.policy.requestTimeoutMs);
    throw new WickrNetworkError(operation, { cause });
  } finally {
    clearTimeout(timer);
  }
}

function parseJson(operation: string, text: string): unknown {
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new WickrResponseParseError(operation, [{ field: '(body)', reason: 'is not JSON' }], { cause });
  }
}

/**
 * Sends one operation's request, signing each attempt afresh, and retries transient failures with full-jitter
 * backoff within the attempt limit and the time budget. Returns the parsed JSON body of the 200 response.
 */
export async function send(
  deps: TransportDeps,
  operation: string,
  wire: WireRequest,
  signal?: AbortSignal,
): Promise<unknown> {
  const started = deps.now();
  for (let attemptNo = 1; ; attemptNo++) {
    if (signal?.aborted) throw new WickrAbortedError(operation, { cause: signal.reason });
    let failure: WickrError;
    try {
      await deps.pacer?.take(signal);
      const { response, text } = await attempt(deps, operation, wire, signal).catch((error: unknown) => {
        deps.onAttempt?.(operation, 0);
        throw error;
      });
      deps.onAttempt?.(operation, response.status);
      if (response.ok) return parseJson(operation, text);
      failure = errorFromResponse(operation, response.status, response.headers, text);
    } catch (error) {
      if (!(error instanceof WickrError)) throw error;
      failure = error;
    }
    const retryAfter = 'retryAfterMs' in failure ? (failure.retryAfterMs as number | undefined) : undefined;
    const delayMs = backoffDelayMs(deps.policy, attemptNo, deps.random, retryAfter);
    const withinBudget = deps.now() - started + delayMs < deps.policy.budgetMs;
    if (!failure.retryable || attemptNo >= deps.policy.maxAttempts || !withinBudget) throw failure;
    deps.logger?.warn('Retrying Wickr request', { operation, attempt: attemptNo, error: failure.name, delayMs });
    try {
      await deps.sleep(delayMs, signal);
    } catch (cause) {
      throw new WickrAbortedError(operation, { cause });
    }
  }
}
