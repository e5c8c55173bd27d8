import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PostureBaseline, PostureBaselines } from '../posture/ports.js';
import type { PostureReading } from '../posture/posture-reading.js';
import { conditionally } from './dynamodb-client.js';

const key = (networkId: string) => ({ pk: `POSTURE#NETWORK#${networkId}`, sk: 'BASELINE' });

/** Each network's posture baseline in the state table (one small item: digests and counts, never a secret). */
export class PostureBaselineStore implements PostureBaselines {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(networkId: string): Promise<PostureBaseline | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key(networkId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      reading: Item.reading as PostureReading,
      recordedAt: String(Item.recordedAt),
      recordedBy: String(Item.recordedBy),
      lastDrift: typeof Item.lastDrift === 'string' ? Item.lastDrift : undefined,
      revision: Number(Item.revision),
    };
  }

  /** Writes the baseline over the revision read (none: only if there is none yet); false when it moved. */
  async put(networkId: string, baseline: Omit<PostureBaseline, 'revision'>, revision: number | undefined) {
    return conditionally(() =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key(networkId),
            reading: baseline.reading,
            recordedAt: baseline.recordedAt,
            recordedBy: baseline.recordedBy,
            ...(baseline.lastDrift ? { lastDrift: baseline.lastDrift } : {}),
            revision: (revision ?? 0) + 1,
          },
          ConditionExpression: revision === undefined ? 'attribute_not_exists(pk)' : 'revision = :r',
          ...(revision === undefined ? {} : { ExpressionAttributeValues: { ':r': revision } }),
        }),
      ),
    );
  }
}
