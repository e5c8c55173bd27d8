import { describe, expect, it } from 'vitest';
import { backoffDelayMs, retryPolicy } from '../../../lib/wickr/retry-policy.js';

describe('backoffDelayMs', () => {
  const policy = retryPolicy({ baseDelayMs: 100, maxDelayMs: 1_000 });

  it('draws uniformly below a cap that doubles per attempt (full jitter)', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelayMs(policy, a, () => 0.999))).toEqual([99, 199, 399, 799]);
    expect(backoffDelayMs(policy, 3, () => 0)).toBe(0);
  });

  it('never exceeds the largest wait', () => {
    expect(backoffDelayMs(policy, 20, () => 0.999)).toBe(999);
  });

  it('waits at least what Retry-After asks, still capped', () => {
    expect(backoffDelayMs(policy, 1, () => 0.5, 700)).toBe(700);
    expect(backoffDelayMs(policy, 1, () => 0.5, 9_000)).toBe(1_000);
  });

  it('fills in documented defaults', () => {
    expect(retryPolicy()).toEqual({
      maxAttempts: 6,
      baseDelayMs: 100,
      maxDelayMs: 5_000,
      budgetMs: 30_000,
      requestTimeoutMs: 10_000,
    });
  });
});
