/**
 * The shared request meter against a real local DynamoDB, and pooled pacers drawing from it as execution
 * environments would: a virtual clock, so the slots each request gets are compared, not the time it took.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../../lib/store/dynamodb-client.js';
import { DynamoRequestMeter } from '../../../lib/store/request-meter.js';
import { PooledRequestPacer } from '../../../lib/wickr/pooled-request-pacer.js';
import { startDynamoWithTables, tableNames } from '../../support/local-dynamodb.js';

const db = await startDynamoWithTables();
afterAll(() => db.close());
const meter = () => new DynamoRequestMeter(documentClient(db.client), tableNames.state, `test-${randomUUID()}`);

describe('DynamoRequestMeter', () => {
  it('hands concurrent reservations disjoint, back-to-back blocks, and starts afresh after idling', async () => {
    const m = meter();
    const now = 1_000_000;
    const starts = await Promise.all(Array.from({ length: 12 }, () => m.reserve(5, 10, now)));
    // Twelve blocks of 5 slots 10 ms apart: 50 ms each, one after another from now, whoever asked first.
    expect([...starts].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => now + i * 50));
    // Long after the last block ended, the next starts at its own now.
    expect(await m.reserve(5, 10, now + 10_000)).toBe(now + 10_000);
    expect(await m.reserve(5, 10, now + 10_000)).toBe(now + 10_050);
  });
});

describe('PooledRequestPacer on the meter', () => {
  /**
   * Environments sharing one virtual clock that stands still: a sleep records when its request would go, and
   * returns at once. Each environment sends one request at a time, so the recorded time is its request's.
   */
  function environments(count: number, requestsPerSecond: number) {
    const m = meter();
    const clock = { now: 5_000_000 };
    const sent: { environment: number; at: number }[] = [];
    const pacers = Array.from({ length: count }, (_, environment) => {
      let wokeAt = 0;
      const pacer = new PooledRequestPacer(
        requestsPerSecond,
        m,
        () => clock.now,
        async (ms) => {
          wokeAt = clock.now + ms;
        },
      );
      return {
        send: async () => {
          wokeAt = clock.now;
          await pacer.take();
          sent.push({ environment, at: wokeAt });
        },
      };
    });
    return { pacers, sent };
  }

  it('keeps all environments together within the pool’s rate, never two requests in one slot', async () => {
    const { pacers, sent } = environments(4, 100);
    // Each environment sends one request after another; the four of them at once.
    await Promise.all(
      pacers.map(async (p) => {
        for (let i = 0; i < 60; i++) await p.send();
      }),
    );
    expect(sent).toHaveLength(240);
    const times = sent.map((s) => s.at).sort((a, b) => a - b);
    // 100 per second: 10 ms apart at least, across environments.
    for (let i = 1; i < times.length; i++)
      expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThan(9.99);
    expect(new Set(sent.map((s) => s.environment)).size).toBe(4);
  });

  it('lets one environment alone use the whole rate: the pool is not divided among environments', async () => {
    const { pacers, sent } = environments(4, 100);
    for (let i = 0; i < 100; i++) await pacers[0]?.send();
    const times = sent.map((s) => s.at).sort((a, b) => a - b);
    // 100 requests at 100/s span about a second — not the four seconds a quarter of the rate would take.
    expect((times.at(-1) as number) - (times[0] as number)).toBeLessThan(1_000);
    expect((times.at(-1) as number) - (times[0] as number)).toBeGreaterThanOrEqual(990);
  });
});
