import type { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { idempotencyPersistence } from '../store/idempotency.js';
import { runtimeConfig } from './config.js';
import { dependencies } from './dependencies.js';

let store: DynamoDBPersistenceLayer | undefined;

/**
 * The idempotency records' store, made once per execution environment. Apart from the shared `dependencies`: only
 * the functions with idempotent steps (incident, rotation) bundle Powertools Idempotency and its JMESPath.
 */
export function idempotencyStore(): DynamoDBPersistenceLayer {
  store ??= idempotencyPersistence(dependencies.dynamodb(), runtimeConfig().idempotencyTable);
  return store;
}
