/**
 * The cold-start baseline: the smallest handler with the same foundations as ours — Middy, Powertools Logger,
 * Powertools idempotency on DynamoDB, and a DynamoDB client — bundled with the same esbuild options.
 */

import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';

const logger = new Logger({ serviceName: 'baseline' });
const persistenceStore = new DynamoDBPersistenceLayer({
  tableName: 'baseline',
  awsSdkV3Client: new DynamoDBClient({}),
});
const step = makeIdempotent(async (event: { id: string }) => ({ id: event.id }), {
  persistenceStore,
  config: new IdempotencyConfig({}),
});

export const handler = middy<{ id: string }>()
  .use(injectLambdaContext(logger))
  .handler((event: { id: string }) => step(event));
