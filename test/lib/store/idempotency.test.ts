import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyPersistence, idempotentSteps } from '../../../lib/store/idempotency.js';
import { startDynamoWithTables, tableNames } from '../../support/local-dynamodb.js';

/** A Lambda context whose deadline is `ms` from now, as Powertools reads it. */
const contextEnding = (ms: number) => {
  const deadline = Date.now() + ms;
  return { getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) } as Context;
};
/** Starts a step that never ends (its environment crashed mid-step), once it holds the step. */
const holding = (
  steps: { once: (key: Record<string, string>, work: () => Promise<Record<string, string>>) => unknown },
  key: Record<string, string>,
) =>
  new Promise<void>((held) => {
    void steps.once(key, () => {
      held();
      return new Promise<Record<string, string>>(() => undefined);
    });
  });

describe('idempotent steps against a local DynamoDB', () => {
  let db: Awaited<ReturnType<typeof startDynamoWithTables>>;
  beforeAll(async () => {
    db = await startDynamoWithTables();
  });
  afterAll(() => db.close());
  const steps = (context: Context) =>
    idempotentSteps(idempotencyPersistence(db.client, tableNames.idempotency), context, undefined, 'incident');

  it('answers a duplicate with the result of the copy still running', async () => {
    const key = { step: 'live', fact: String(Math.random()) };
    let runs = 0;
    let started: () => void = () => undefined;
    const running = new Promise<void>((r) => {
      started = r;
    });
    const first = steps(contextEnding(6_000)).once(key, async () => {
      runs++;
      started();
      await new Promise((r) => setTimeout(r, 300));
      return { by: 'first' };
    });
    // The duplicate arrives once the first holds the step (its record written), however slow the database.
    await running;
    const second = await steps(contextEnding(6_000)).once(key, async () => {
      runs++;
      return { by: 'second' };
    });
    expect(await first).toEqual({ by: 'first' });
    expect(second).toEqual({ by: 'first' });
    expect(runs).toBe(1);
  });

  it('takes the step over from a crashed copy once that copy has timed out, when that is within its reach', async () => {
    const key = { step: 'crashed', fact: String(Math.random()) };
    // The holder's environment dies mid-step: its record stays in progress until its deadline, 1.5 s away.
    await holding(steps(contextEnding(1_500)), key);
    // A third of 3 s is 1 s, short of the holder's deadline; two thirds reach it.
    const taken = await steps(contextEnding(3_000)).once(key, async () => ({ by: 'duplicate' }));
    expect(taken).toEqual({ by: 'duplicate' });
    // And the step is done for every later copy.
    expect(await steps(contextEnding(3_000)).once(key, async () => ({ by: 'late' }))).toEqual({ by: 'duplicate' });
  });

  it('gives up, retryably, when the copy holding the step outlives two thirds of its own time', async () => {
    const key = { step: 'long', fact: String(Math.random()) };
    await holding(steps(contextEnding(60_000)), key);
    let ran = false;
    const attempt = steps(contextEnding(1_500)).once(key, async () => {
      ran = true;
      return {};
    });
    await expect(attempt).rejects.toMatchObject({ name: 'IdempotencyAlreadyInProgressError' });
    expect(ran).toBe(false);
  });
});
