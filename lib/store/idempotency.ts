import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';

/** Runs a business step at most once per key (Powertools idempotency on DynamoDB). */
export interface IdempotentSteps {
  once<T extends Record<string, unknown>>(key: Readonly<Record<string, string>>, work: () => Promise<T>): Promise<T>;
}

/** The idempotency table's persistence layer (`id` key, `expiration` TTL: the attributes Powertools uses). */
export function idempotencyPersistence(client: DynamoDBClient, tableName: string): DynamoDBPersistenceLayer {
  return new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client });
}

// A copy that finds its step running elsewhere, or its record gone between two reads, may simply ask again.
const settlesByWaiting = new Set(['IdempotencyAlreadyInProgressError', 'IdempotencyItemNotFoundError']);
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Idempotent steps within one invocation. Uses `makeIdempotent` around each step, not the Middy middleware,
 * whose 2.35.0 release deletes records it never acquired (upstream #5675). The step's key (business ids,
 * never the EventBridge id) is the whole idempotency payload; a record lasts `expiresAfterSeconds`.
 *
 * A duplicate delivered while the first copy still runs waits for it (at most a third of the time left, and
 * 20 s), then answers with the stored result: EventBridge's at-least-once delivery costs no error, retry or alarm.
 * Where the copy holding the step will have timed out while two thirds of this invocation's time remain (it crashed,
 * or runs long), the wait stretches to that moment and the step is taken over: a crashed holder must not cost its
 * duplicates their retries, and with them a false failure.
 */
export function idempotentSteps(
  persistenceStore: DynamoDBPersistenceLayer,
  context: Context | undefined,
  expiresAfterSeconds = 7 * 86_400,
  /** Records are keyed `wickr-autopilot-<capability>#…`, so IAM can keep each capability to its own. */
  capability?: 'incident' | 'hr' | 'rotation' | 'review',
): IdempotentSteps {
  const config = new IdempotencyConfig({ expiresAfterSeconds });
  if (context) config.registerLambdaContext(context);
  const remainingMs = () => context?.getRemainingTimeInMillis() ?? 0;
  return {
    once: async (key, work) => {
      // The stored result is JSON: normalizing here makes a first run answer exactly as its repeats will.
      const step = makeIdempotent(
        async (_key: Readonly<Record<string, string>>) => JSON.parse(JSON.stringify(await work())),
        { persistenceStore, config, keyPrefix: capability ? `wickr-autopilot-${capability}` : 'wickr-autopilot' },
      );
      const startedAt = Date.now();
      const left = remainingMs();
      let deadline = startedAt + Math.min(20_000, left / 3);
      for (let attempt = 0; ; attempt++) {
        try {
          return await step(key);
        } catch (error) {
          const name = (error as Error).name;
          if (!settlesByWaiting.has(name)) throw error;
          const wait = Math.min(1_000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2);
          if (Date.now() + wait > deadline && name === 'IdempotencyAlreadyInProgressError') {
            const holderEndsAt = await holderTimesOutAt(persistenceStore, key);
            if (holderEndsAt !== undefined && holderEndsAt <= startedAt + (left * 2) / 3) {
              deadline = Math.max(deadline, holderEndsAt + 100);
            }
          }
          // The last pause ends at the deadline, not past it: one more attempt then (the holder's record expired).
          const untilDeadline = deadline - Date.now();
          if (untilDeadline <= 0) throw error;
          await pause(Math.min(wait, untilDeadline));
        }
      }
    },
  };
}

/** When the copy holding a step in progress times out (its record's in-progress expiry), if it is still held. */
async function holderTimesOutAt(
  persistenceStore: DynamoDBPersistenceLayer,
  key: Readonly<Record<string, string>>,
): Promise<number | undefined> {
  try {
    const record = await persistenceStore.getRecord(key);
    return record.getStatus() === 'INPROGRESS' ? record.inProgressExpiryTimestamp : undefined;
  } catch {
    // Gone or completed meanwhile: the next attempt finds out.
    return undefined;
  }
}
