import type { Context } from 'aws-lambda';
import { afterAll } from 'vitest';
import { idempotencyPersistence, idempotentSteps } from '../../lib/store/idempotency.js';
import { startDynamoWithTables, tableNames } from './local-dynamodb.js';
import { startEmulatorFixture } from './wickr-emulator.js';

/**
 * What a use-case integration test runs against: the Wickr emulator over HTTP and a local DynamoDB with the
 * deployed tables, both closed after the file; and idempotent steps as a function would have them.
 */
export async function startIntegration() {
  const fixture = await startEmulatorFixture();
  const db = await startDynamoWithTables();
  afterAll(async () => {
    await fixture.emulator.close();
    await db.close();
  });
  // Enough of a Lambda context for Powertools to bound in-progress records by the remaining time.
  const lambdaContext = { getRemainingTimeInMillis: () => 60_000 } as Context;
  return {
    fixture,
    db,
    lambdaContext,
    idempotency: () => idempotentSteps(idempotencyPersistence(db.client, tableNames.idempotency), lambdaContext),
  };
}
