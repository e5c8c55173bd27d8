import { createTables, type LocalDynamoDBKind, startLocalDynamoDB } from '../../infra/local/dynamodb/local-dynamodb.js';
import { loadLocalService } from '../../infra/local/serverless-config.js';

/** Which local DynamoDB the storage tests run on: dynalite, or DynamoDB Local when CI asks for it. */
export const dynamoKind: LocalDynamoDBKind =
  process.env.LOCAL_DYNAMODB === 'dynamodb-local' ? 'dynamodb-local' : 'dynalite';

/** The tables serverless.yml deploys, with their deployed names. */
export const service = loadLocalService('serverless.yml');
export const tableNames = {
  idempotency: String(service.tables.find((t) => t.logicalId === 'IdempotencyTable')?.properties.TableName),
  state: String(service.tables.find((t) => t.logicalId === 'StateTable')?.properties.TableName),
};

/** A local DynamoDB with the project's tables. */
export async function startDynamoWithTables() {
  const db = await startLocalDynamoDB(dynamoKind);
  await createTables(db.client, service.tables);
  return db;
}
