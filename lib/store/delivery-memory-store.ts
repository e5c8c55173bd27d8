/**
 * Deliveries remembered by their source's own id (a PagerDuty webhook's `event.id`) for as long as a tombstone lives,
 * longer than the idempotency record's week: a captured delivery replayed later is known for what it is.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

/** The partition of remembered deliveries, one item per source id. */
const pkOf = (source: string) => `DELIVERY#${source}`;

/** Remembered deliveries in the state table. */
export class DeliveryMemoryStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly source: string,
  ) {}

  /** Whether this delivery was taken before (and is still remembered). */
  async seen(id: string, nowMs: number): Promise<boolean> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: pkOf(this.source), sk: id }, ConsistentRead: true }),
    );
    return Item !== undefined && Number(Item.expiration) * 1000 > nowMs;
  }

  /** Remembers a delivery until `expiresAtMs` (DynamoDB's TTL deletes it later; `seen` ignores it from then). */
  async remember(id: string, expiresAtMs: number): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: pkOf(this.source), sk: id, expiration: Math.floor(expiresAtMs / 1000) },
      }),
    );
  }
}
