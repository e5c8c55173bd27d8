import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ProvisionedUsers } from '../containment/ports.js';
import { queryPages } from './query-pages.js';

type Item = { sk?: string; applied?: { userId?: string; status?: string }; placement?: { state?: string } };

const provisioned = (item: Item | undefined) =>
  item?.applied?.userId && item.applied.status !== 'deleted' ? item.applied.userId : undefined;

/**
 * Who this deployment provisioned, read from the HR records (read only): by employee id one read; by Wickr user id
 * one query of the network's employees, filtered (a containment is rare; no index is kept for it).
 */
export class ProvisionedUsersStore implements ProvisionedUsers {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async byEmployeeId(networkId: string, employeeId: string) {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: `HR#NETWORK#${networkId}`, sk: `EMPLOYEE#${employeeId}` },
        ConsistentRead: true,
      }),
    );
    const userId = provisioned(Item as Item | undefined);
    return userId ? { userId, left: (Item as Item).placement?.state === 'left' } : undefined;
  }

  async byUserId(networkId: string, userId: string) {
    for await (const page of queryPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      FilterExpression: 'applied.userId = :u',
      ExpressionAttributeValues: { ':pk': `HR#NETWORK#${networkId}`, ':e': 'EMPLOYEE#', ':u': userId },
    })) {
      const item = (page.Items ?? []).find((i) => provisioned(i as Item) === userId) as Item | undefined;
      if (item?.sk) {
        return { employeeId: item.sk.slice('EMPLOYEE#'.length), left: item.placement?.state === 'left' };
      }
    }
    return undefined;
  }
}
