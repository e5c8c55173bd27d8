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

/**
 * Idempotent steps within one invocation. Uses `makeIdempotent` around each step, not the Middy middleware,
 * whose 2.35.0 release deletes records it never acquired (upstream #5675). The step's key (business ids,
 * never the EventBridge id) is the whole idempotency payload; a record lasts `expiresAfterSeconds`.
 */
export function idempotentSteps(
  persistenceStore: DynamoDBPersistenceLayer,
  context: Context | undefined,
  expiresAfterSeconds = 7 * 86_400,
): IdempotentSteps {
  const config = new IdempotencyConfig({ expiresAfterSeconds });
  if (context) config.registerLambdaContext(context);
  return {
    once: (key, work) =>
      // The stored result is JSON: normalizing here makes a first run answer exactly as its repeats will.
      makeIdempotent(async (_key: Readonly<Record<string, string>>) => JSON.parse(JSON.stringify(await work())), {
        persistenceStore,
        config,
        keyPrefix: 'wickr-autopilot',
      })(key),
  };
}
