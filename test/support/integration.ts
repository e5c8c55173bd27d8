import type { Context } from 'aws-lambda';
import { afterAll } from 'vitest';
import { documentClient } from '../../lib/store/dynamodb-client.js';
import { idempotencyPersistence, idempotentSteps } from '../../lib/store/idempotency.js';
import { IncidentStateStore } from '../../lib/store/incident-state-store.js';
import { clearIncidentState, dynamoKind, startDynamoWithTables, tableNames } from './local-dynamodb.js';
import { MemoryIncidentState } from './memory-incident-state.js';
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
  // The incident state in memory (its contract against DynamoDB: test/lib/store/incident-state-contract.test.ts); on
  // the DynamoDB store when CI runs the use cases on Amazon's DynamoDB Local.
  const memory = new MemoryIncidentState();
  const incidentState =
    dynamoKind === 'dynamodb-local' ? new IncidentStateStore(documentClient(db.client), tableNames.state) : memory;
  return {
    fixture,
    db,
    lambdaContext,
    incidentState,
    /** Forgets a network's incident state, as a fresh network. */
    forgetNetwork: async (networkId: string) => {
      memory.forget(networkId);
      await clearIncidentState(db.client, networkId);
    },
    idempotency: () => idempotentSteps(idempotencyPersistence(db.client, tableNames.idempotency), lambdaContext),
  };
}
