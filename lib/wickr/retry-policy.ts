/** Bounds on retrying transient failures (429, 5xx, timeouts, connection resets). */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 6 (throttling under load is expected, and the waits stay short). */
  readonly maxAttempts?: number;
  /** Backoff base; the cap grows as base × 2^(attempt−1). Default 100 ms. */
  readonly baseDelayMs?: number;
  /** Largest single wait. Default 5,000 ms. */
  readonly maxDelayMs?: number;
  /** No retry starts once this much time has passed since the first attempt. Default 30,000 ms. */
  readonly budgetMs?: number;
  /** Timeout of one attempt. Default 10,000 ms. */
  readonly requestTimeoutMs?: number;
}

/** Retry bounds with every default filled in. */
export type RetryPolicy = Required<RetryOptions>;

/** Fills in the documented defaults. */
export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  return {
    maxAttempts: options.maxAttempts ?? 6,
    baseDelayMs: options.baseDelayMs ?? 100,
    maxDelayMs: options.maxDelayMs ?? 5_000,
    budgetMs: options.budgetMs ?? 30_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
  };
}

/**
 * Exponential backoff with full jitter: a uniform wait in [0, min(max, base × 2^(attempt−1))), raised to the
 * server's Retry-After when it asks for longer, and never above the maximum.
 */
export function backoffDelayMs(
  policy: RetryPolicy,
  attempt: number,
  random: () => number,
  retryAfterMs?: number,
): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.floor(random() * cap);
  return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}
