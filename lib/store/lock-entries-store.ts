import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { FieldLock, GroupLock, NetworkLocks, PopupConfig } from '../incident/incident-records.js';
import type { LockEntries } from '../incident/ports.js';
import { IncidentStateStoreError, networkPk } from './desired-item.js';
import { isConditionFailure } from './dynamodb-client.js';
import { queryPages } from './query-pages.js';

const groupLockSk = (groupId: string) => `LOCK#GROUP#${groupId}`;
const popupLockSk = 'LOCK#POPUP';
const guestLockSk = (usernameHash: string) => `LOCK#GUEST#${usernameHash}`;

/** What a lockdown did to each field of a network (original, set): one item per touched group, one for the popup. */
export class LockEntriesStore implements LockEntries {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Every lock entry of a network. */
  async readLocks(networkId: string): Promise<NetworkLocks> {
    const groups: GroupLock[] = [];
    let popup: FieldLock<PopupConfig> | undefined;
    const guests: string[] = [];
    for await (const page of queryPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :lock)',
      ExpressionAttributeValues: { ':pk': networkPk(networkId), ':lock': 'LOCK#' },
      ConsistentRead: true,
    })) {
      for (const item of page.Items ?? []) {
        if (item.sk === popupLockSk) popup = item.lock as FieldLock<PopupConfig>;
        else if (typeof item.usernameHash === 'string') guests.push(item.usernameHash);
        else {
          groups.push({
            groupId: String(item.groupId),
            fields: item.fields as GroupLock['fields'],
            revision: Number(item.revision ?? 0),
          });
        }
      }
    }
    return { groups, popup, guests };
  }

  /**
   * Writes a group's lock entries ahead of the change they describe. The first write of a group is conditional
   * on no entry existing, and later ones on the revision that was read, so a recorded original is never lost.
   */
  async putGroupLock(
    networkId: string,
    groupId: string,
    fields: GroupLock['fields'],
    readRevision?: number,
  ): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: networkPk(networkId),
            sk: groupLockSk(groupId),
            groupId,
            fields,
            revision: (readRevision ?? 0) + 1,
          },
          ConditionExpression: readRevision === undefined ? 'attribute_not_exists(pk)' : 'revision = :revision',
          ...(readRevision === undefined ? {} : { ExpressionAttributeValues: { ':revision': readRevision } }),
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new IncidentStateStoreError(`Lock entry of group ${groupId} changed under the lease; not overwriting it`);
    }
  }

  async deleteGroupLock(networkId: string, groupId: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: networkPk(networkId), sk: groupLockSk(groupId) } }),
    );
  }

  /** Writes the popup's lock entry; the first write is conditional on none existing. */
  async putPopupLock(networkId: string, lock: FieldLock<PopupConfig>, exists: boolean): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: networkPk(networkId), sk: popupLockSk, lock },
          ConditionExpression: exists ? 'attribute_exists(pk)' : 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new IncidentStateStoreError('Popup lock entry changed under the lease; not overwriting it');
    }
  }

  /** The entry says only "blocked by the lockdown, unblocked before": writing it twice is the same entry. */
  async putGuestLock(networkId: string, usernameHash: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: networkPk(networkId), sk: guestLockSk(usernameHash), usernameHash },
      }),
    );
  }

  async deleteGuestLock(networkId: string, usernameHash: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: networkPk(networkId), sk: guestLockSk(usernameHash) },
      }),
    );
  }

  async deletePopupLock(networkId: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: networkPk(networkId), sk: popupLockSk } }),
    );
  }
}
