import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type ChainLink, ownerOf } from '../audit/chain-link.js';
import type { ChainHeads } from '../audit/ports.js';
import type { AnchoredHead } from '../audit/verify-trail.js';
import { conditionally } from './dynamodb-client.js';
import { queryPages } from './query-pages.js';

// The partition is the owner's: IAM lets each function write only `CHAIN#<its own name>`.
const key = (stream: string) => ({ pk: `CHAIN#${ownerOf(stream)}`, sk: stream });
// A stream is an execution environment's: its head is kept three days past its last record (the anchors hold it).
const keptSeconds = 3 * 86_400;

/** Each stream's recorded head in the state table (`CHAIN#<function>` / stream: seq, value, at, expiration). */
export class ChainHeadStore implements ChainHeads {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(head: ChainLink): Promise<void> {
    await conditionally(() =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key(head.stream),
            seq: head.seq,
            value: head.value,
            at: head.at,
            expiration: Math.floor(Date.parse(head.at) / 1000) + keptSeconds,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR seq < :seq',
          ExpressionAttributeValues: { ':seq': head.seq },
        }),
      ),
    );
  }

  async heads(owners: readonly string[]): Promise<AnchoredHead[]> {
    const heads: AnchoredHead[] = [];
    for (const owner of owners) {
      for await (const page of queryPages(this.db, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `CHAIN#${owner}` },
        ConsistentRead: true,
      })) {
        for (const item of page.Items ?? []) {
          heads.push({ stream: String(item.sk), seq: Number(item.seq), value: String(item.value) });
        }
      }
    }
    return heads;
  }
}
