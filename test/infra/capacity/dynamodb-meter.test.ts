/**
 * The DynamoDB metering proxy in front of a real local DynamoDB: requests pass through unchanged for the caller, and
 * the request units are summed as on-demand tables bill them (1 KB a write unit, 4 KB a strongly consistent read
 * unit, half for an eventually consistent read).
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoMeter } from '../../../infra/capacity/dynamodb-meter.js';
import { createDynamoDBClient, documentClient } from '../../../lib/store/dynamodb-client.js';
import { startDynamoWithTables, tableNames } from '../../support/local-dynamodb.js';

const db = await startDynamoWithTables();
const meter = new DynamoMeter();
await meter.listen();
meter.target = db.endpoint;
afterAll(async () => {
  await meter.close();
  await db.close();
});
const client = documentClient(createDynamoDBClient('us-east-1', meter.endpoint));

describe('DynamoMeter', () => {
  it('sums write and read request units as DynamoDB reports them, the answers unchanged', async () => {
    await client.send(
      new PutCommand({ TableName: tableNames.state, Item: { pk: 'METER', sk: 'a', v: 'x'.repeat(2500) } }),
    );
    const consistent = await client.send(
      new GetCommand({ TableName: tableNames.state, Key: { pk: 'METER', sk: 'a' }, ConsistentRead: true }),
    );
    await client.send(new GetCommand({ TableName: tableNames.state, Key: { pk: 'METER', sk: 'a' } }));
    expect(consistent.Item?.v).toHaveLength(2500);
    expect(meter.usage).toEqual({ writeRequestUnits: 3, readRequestUnits: 1.5, requests: 3 });
  });
});
