import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ProvisionedAccounts } from '../access-review/ports.js';
import type { ProvisionedAccount } from '../access-review/review-class.js';
import type { ProvisionedUsers } from '../containment/ports.js';
import { queryPages } from './query-pages.js';

type Item = {
  sk?: string;
  version?: string;
  identityVersion?: string;
  applied?: { userId?: string; status?: string; groupId?: string; basis?: string; adminSuspended?: boolean };
  placement?: { state?: string };
};

const provisioned = (item: Item | undefined) =>
  item?.applied?.userId && item.applied.status !== 'deleted' ? item.applied.userId : undefined;

/**
 * Who this deployment provisioned, read from the HR records (read only): by employee id one read; by Wickr user id
 * one query of the network's employees, filtered (a containment is rare; no index is kept for it).
 */
export class ProvisionedUsersStore implements ProvisionedUsers, ProvisionedAccounts {
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
        const left = item.placement?.state === 'left';
        return {
          employeeId: item.sk.slice('EMPLOYEE#'.length),
          left,
          // HR wants the person active and suspended them itself before: its reactivation waits for the release.
          reactivationHeld: !left && item.applied?.status === 'suspended' && item.applied.adminSuspended !== true,
          // The group HR placed the person in (or records as theirs while the account is quarantined).
          groupId: item.applied?.groupId,
        };
      }
    }
    return undefined;
  }

  /** Every provisioned account of a network, by Wickr user id: one query of its employees (an access review). */
  async ofNetwork(networkId: string): Promise<ReadonlyMap<string, ProvisionedAccount>> {
    const accounts = new Map<string, ProvisionedAccount>();
    for await (const page of queryPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      FilterExpression: 'attribute_exists(applied.userId)',
      ProjectionExpression: 'sk, version, identityVersion, applied, placement.#state',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':pk': `HR#NETWORK#${networkId}`, ':e': 'EMPLOYEE#' },
    })) {
      for (const raw of page.Items ?? []) {
        const item = raw as Item;
        const userId = provisioned(item);
        if (!userId || !item.sk) continue;
        accounts.set(userId, {
          employeeId: item.sk.slice('EMPLOYEE#'.length),
          left: item.placement?.state === 'left',
          groupId: item.applied?.groupId,
          // The record's basis (see lib/hr/employee-record.ts): facts newer than what was applied are still to come.
          pending: item.applied?.basis !== `${item.version}#${item.identityVersion ?? ''}`,
        });
      }
    }
    return accounts;
  }
}
