/**
 * The local Lambda against AWS's documented execution model: an environment runs one invocation at a time,
 * bursts start new environments (cold starts, fresh module state) up to the function's concurrency limit,
 * idle environments are reused, and a timeout or running out of memory ends only its own environment.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { environmentResourceLimits } from '../../../../infra/local/lambda/execution-environment.js';
import type { LambdaFunction } from '../../../../infra/local/lambda/lambda-function.js';
import { startLambdaFixture } from '../../../support/lambda-fixture.js';

const stack = await startLambdaFixture({ maxEnvironmentsPerFunction: 4 });
afterAll(() => stack.close());

const fn = (name: string) => stack.functions.get(name) as LambdaFunction;
type Answer = { environment: string; invocations: number; peakInFlight: number };
const answer = (i: Awaited<ReturnType<LambdaFunction['invoke']>>) => {
  if (!i.result.ok) throw new Error(`${i.result.error.name}: ${i.result.error.message}`);
  return i.result.result as Answer;
};

describe('execution environments', () => {
  it('runs concurrent invocations in distinct environments, never two at once in one, with state per environment', async () => {
    const pooled = fn('pooled');
    const burst = await Promise.all(Array.from({ length: 9 }, () => pooled.invoke({ sleepMs: 150 }, randomUUID())));
    const answers = burst.map(answer);
    // reservedConcurrency 3: never more than three environments, each running one invocation at a time.
    expect(new Set(burst.map((b) => b.environmentId)).size).toBe(3);
    expect(answers.every((a) => a.peakInFlight === 1)).toBe(true);
    expect(pooled.stats()).toMatchObject({ coldStarts: 3, peakConcurrentEnvironments: 3, concurrencyLimit: 3 });
    expect(pooled.stats().throttled).toBeGreaterThan(0);
    // Module state is the environment's own: each counted only the invocations it ran.
    for (const environmentId of new Set(burst.map((b) => b.environmentId))) {
      const mine = burst.filter((b) => b.environmentId === environmentId);
      expect(Math.max(...mine.map((b) => answer(b).invocations))).toBe(mine.length);
      expect(mine.filter((b) => b.coldStart)).toHaveLength(1);
    }
    // The logical stream names the environment, as Lambda's log streams do.
    expect(answers[0]?.environment).toContain(burst[0]?.environmentId);
    // An idle environment is reused: no cold start.
    const warm = await pooled.invoke({}, randomUUID());
    expect(warm.coldStart).toBe(false);
    expect(pooled.stats().coldStarts).toBe(3);
  });

  it('caps a function without reservedConcurrency at the local stack’s limit', async () => {
    const unlimited = fn('unlimited');
    await Promise.all(Array.from({ length: 6 }, () => unlimited.invoke({ sleepMs: 100 }, randomUUID())));
    expect(unlimited.stats()).toMatchObject({ concurrencyLimit: 4, peakConcurrentEnvironments: 4, coldStarts: 4 });
  });

  it('ends only the timed-out environment; its neighbours keep their state', async () => {
    const pooled = fn('pooled');
    const [hung, ok] = await Promise.all([
      pooled.invoke({ hang: true }, randomUUID()),
      pooled.invoke({ sleepMs: 50 }, randomUUID()),
    ]);
    expect(hung.result).toMatchObject({ ok: false, error: { name: 'Sandbox.Timedout' } });
    expect(ok.result.ok).toBe(true);
    const next = await Promise.all(Array.from({ length: 3 }, () => pooled.invoke({ sleepMs: 100 }, randomUUID())));
    const ids = new Set(next.map((n) => n.environmentId));
    // The timed-out environment is gone for good; the one beside it is still there, warm.
    expect(ids.has(hung.environmentId)).toBe(false);
    expect(ids.has(ok.environmentId)).toBe(true);
    expect(next.find((n) => n.environmentId === ok.environmentId)?.coldStart).toBe(false);
  });

  it('fails an environment that outgrows its function’s memory, as Lambda does', async () => {
    const hog = await fn('hog').invoke({}, randomUUID());
    expect(hog.result).toMatchObject({ ok: false, error: { name: 'Runtime.OutOfMemory' } });
    expect(environmentResourceLimits(256, '--max-semi-space-size=8 --max-old-space-size=160')).toEqual({
      maxOldGenerationSizeMb: 160,
      maxYoungGenerationSizeMb: 24,
    });
    expect(environmentResourceLimits(128, undefined)).toEqual({ maxOldGenerationSizeMb: 96 });
  });

  it('reports every invocation with its environment, cold start and times, and per-function stats', async () => {
    const stats = (await (await fetch(new URL('/_local/stats', stack.eventBridgeEndpoint))).json()) as {
      functions: Record<string, { invocations: number; coldStarts: number; peakConcurrentEnvironments: number }>;
    };
    expect(stats.functions.pooled).toMatchObject({ peakConcurrentEnvironments: 3 });
    expect(stats.functions.pooled?.invocations).toBeGreaterThanOrEqual(13);
  });
});
