import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OktaPeople, OktaPerson } from '../hr/okta-person.js';
import { isConditionFailure } from './dynamodb-client.js';

/**
 * Okta people in the state table, beside the employee records of their network (the HR role's partition). Each
 * write is over the revision read, so two events about one person merged at once never lose a part. A person
 * nobody hears of for `retentionSeconds` expires (TTL): Okta's stream cannot grow the table without bound.
 */
export class OktaPersonStore implements OktaPeople {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(networkId: string, userId: string) {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: `HR#NETWORK#${networkId}`, sk: `OKTA#${userId}` },
        ConsistentRead: true,
      }),
    );
    return Item ? { person: Item.person as OktaPerson, revision: Number(Item.revision) } : undefined;
  }

  async put(networkId: string, person: OktaPerson, revision: number | undefined): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `HR#NETWORK#${networkId}`,
            sk: `OKTA#${person.userId}`,
            person,
            revision: (revision ?? 0) + 1,
            expiration: Math.floor(this.now() / 1000) + this.retentionSeconds,
          },
          ConditionExpression: revision === undefined ? 'attribute_not_exists(pk)' : 'revision = :r',
          ...(revision === undefined ? {} : { ExpressionAttributeValues: { ':r': revision } }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async pinGroupName(networkId: string, name: string, groupId: string): Promise<'pinned' | 'ambiguous'> {
    const key = { pk: `HR#NETWORK#${networkId}`, sk: `OKTA-GROUP#${name}` };
    try {
      // The first id seen with the name holds it; the same id again changes nothing.
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET groupId = if_not_exists(groupId, :id)',
          ConditionExpression: '(attribute_not_exists(pk) OR groupId = :id) AND attribute_not_exists(ambiguous)',
          ExpressionAttributeValues: { ':id': groupId },
        }),
      );
      return 'pinned';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    // Another id bears the name (or did): ambiguous from now on, whichever of them comes next.
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'SET ambiguous = :t',
        ExpressionAttributeValues: { ':t': true },
      }),
    );
    return 'ambiguous';
  }
}
