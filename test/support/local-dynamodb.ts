import { DeleteItemCommand, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
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

/** Forgets a network's incident state (its desired-state item and every incident item), as a fresh network. */
export async function clearIncidentState(client: DynamoDBClient, networkId: string): Promise<void> {
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: tableNames.state,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :incident)',
      ExpressionAttributeValues: { ':pk': { S: `NETWORK#${networkId}` }, ':incident': { S: 'INCIDENT' } },
    }),
  );
  for (const { pk, sk } of Items) {
    if (pk && sk) await client.send(new DeleteItemCommand({ TableName: tableNames.state, Key: { pk, sk } }));
  }
}
