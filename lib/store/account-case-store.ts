import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AccountCases, AppliedContainment } from '../containment/account-case.js';
import type { AccountRecord, AccountRecords } from '../containment/ports.js';
import { conditionally } from './dynamodb-client.js';
import { queryPages } from './query-pages.js';

const key = (networkId: string, userId: string) => ({ pk: `ACCOUNT#NETWORK#${networkId}`, sk: `USER#${userId}` });
// Apart from the accounts' partition, which the cockpit lists whole.
const quarantineKey = (networkId: string) => ({ pk: `ACCOUNT#QUARANTINE#${networkId}`, sk: 'GROUP' });

/**
 * Accounts under containment in the state table (their own partition per network): the cases and what was applied,
 * each write over the revision read, so concurrent facts about one account never lose a case.
 */
export class AccountCaseStore implements AccountRecords {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(networkId: string, userId: string): Promise<AccountRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key(networkId, userId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      networkId,
      userId,
      employeeId: typeof Item.employeeId === 'string' ? Item.employeeId : undefined,
      cases: (Item.cases ?? {}) as AccountCases,
      applied: (Item.applied ?? {}) as AppliedContainment,
      revision: Number(Item.revision),
    };
  }

  async list(networkId: string): Promise<AccountRecord[]> {
    const accounts: AccountRecord[] = [];
    for await (const page of queryPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': key(networkId, '').pk },
      ConsistentRead: true,
    })) {
      for (const item of page.Items ?? []) {
        accounts.push({
          networkId,
          userId: String(item.sk).slice('USER#'.length),
          employeeId: typeof item.employeeId === 'string' ? item.employeeId : undefined,
          cases: (item.cases ?? {}) as AccountCases,
          applied: (item.applied ?? {}) as AppliedContainment,
          revision: Number(item.revision),
        });
      }
    }
    return accounts;
  }

  async quarantineGroup(networkId: string): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: quarantineKey(networkId), ConsistentRead: true }),
    );
    return typeof Item?.groupId === 'string' ? Item.groupId : undefined;
  }

  async keepQuarantineGroup(networkId: string, groupId: string): Promise<string> {
    const kept = await conditionally(async () => {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...quarantineKey(networkId), groupId },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    });
    return kept ? groupId : ((await this.quarantineGroup(networkId)) ?? groupId);
  }

  async forgetQuarantineGroup(networkId: string, groupId: string): Promise<void> {
    await conditionally(async () => {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: quarantineKey(networkId),
          ConditionExpression: 'groupId = :g',
          ExpressionAttributeValues: { ':g': groupId },
        }),
      );
    });
  }

  async putCases(
    account: Pick<AccountRecord, 'networkId' | 'userId' | 'employeeId' | 'cases'>,
    revision: number | undefined,
  ): Promise<boolean> {
    return conditionally(async () => {
      if (revision === undefined) {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...key(account.networkId, account.userId),
              ...(account.employeeId ? { employeeId: account.employeeId } : {}),
              cases: account.cases,
              applied: {},
              revision: 1,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return;
      }
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(account.networkId, account.userId),
          UpdateExpression: 'SET cases = :c, revision = :next',
          ConditionExpression: 'revision = :r',
          ExpressionAttributeValues: { ':c': account.cases, ':r': revision, ':next': revision + 1 },
        }),
      );
    });
  }

  async putApplied(networkId: string, userId: string, applied: AppliedContainment, revision: number) {
    return conditionally(async () => {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(networkId, userId),
          UpdateExpression: 'SET applied = :a, revision = :next',
          ConditionExpression: 'revision = :r',
          ExpressionAttributeValues: { ':a': applied, ':r': revision, ':next': revision + 1 },
        }),
      );
    });
  }
}
