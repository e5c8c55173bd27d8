/**
 * The recorded chain heads against a real local DynamoDB: the anchor reads every stream's head of its owners; a late
 * record of an older head never moves one back; each head expires three days after its record.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { ChainHeadStore } from '../../../lib/store/chain-head-store.js';
import { documentClient } from '../../../lib/store/dynamodb-client.js';
import { startDynamoWithTables, tableNames } from '../../support/local-dynamodb.js';

const db = await startDynamoWithTables();
afterAll(() => db.close());
const store = new ChainHeadStore(documentClient(db.client), tableNames.state);
const link = (stream: string, seq: number) => ({
  stream,
  seq,
  value: String(seq).repeat(64).slice(0, 64),
  at: '2026-12-07T12:00:00.000Z',
});

describe('ChainHeadStore', () => {
  it('keeps each stream’s latest head, never moved back by a late record, and lists an owner’s streams', async () => {
    const owner = `fn${randomUUID().slice(0, 8)}`;
    await store.record(link(`${owner}#a`, 3));
    await store.record(link(`${owner}#a`, 5));
    await store.record(link(`${owner}#a`, 4)); // late
    await store.record(link(`${owner}#b`, 1));
    await store.record(link(`other${owner}#a`, 9));
    const heads = await store.heads([owner]);
    expect(heads.sort((x, y) => x.stream.localeCompare(y.stream))).toEqual([
      { stream: `${owner}#a`, seq: 5, value: link('', 5).value },
      { stream: `${owner}#b`, seq: 1, value: link('', 1).value },
    ]);
    const { Item } = await documentClient(db.client).send(
      new GetCommand({ TableName: tableNames.state, Key: { pk: `CHAIN#${owner}`, sk: `${owner}#a` } }),
    );
    expect(Item?.expiration).toBe(Date.parse('2026-12-10T12:00:00.000Z') / 1000);
  });
});
