import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type {
  ActiveIncident,
  FieldLock,
  GroupLock,
  NetworkDesiredState,
  NetworkLocks,
  PopupConfig,
} from './incident-records.js';

/** A storage failure of the incident state. */
export class IncidentStateStoreError extends Error {
  override name = 'IncidentStateStoreError';
}

const pk = (networkId: string) => `NETWORK#${networkId}`;
const desiredSk = 'INCIDENTS';
const groupLockSk = (groupId: string) => `LOCK#GROUP#${groupId}`;
const popupLockSk = 'LOCK#POPUP';
const incidentAttr = (incidentId: string) => `i#${incidentId}`;
const tombstoneAttr = (incidentId: string) => `r#${incidentId}`;

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException || (error as Error)?.name === 'ConditionalCheckFailedException'
  );
}

/**
 * Incident state in the state table (keys `pk`, `sk`). Per network: one desired-state item (`INCIDENTS`: the
 * `active` and `resolved` id sets, one attribute per incident, a `version`, and the reconcile lease), and one
 * lock item per touched group plus one for the popup.
 */
export class IncidentStateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Updates the network's desired-state item. */
  async #updateDesired(networkId: string, update: Omit<UpdateCommandInput, 'TableName' | 'Key'>): Promise<void> {
    await this.db.send(
      new UpdateCommand({ TableName: this.tableName, Key: { pk: pk(networkId), sk: desiredSk }, ...update }),
    );
  }

  /** The same, answering false instead of throwing when its condition does not hold. */
  async #updateDesiredIf(networkId: string, update: Omit<UpdateCommandInput, 'TableName' | 'Key'>): Promise<boolean> {
    try {
      await this.#updateDesired(networkId, update);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Adds the incident to `active` unless its resolution is already recorded. Idempotent. */
  async declare(networkId: string, incident: ActiveIncident): Promise<'recorded' | 'already-resolved'> {
    const recorded = await this.#updateDesiredIf(networkId, {
      UpdateExpression: 'ADD active :id, version :one SET #incident = :incident',
      ConditionExpression: 'attribute_not_exists(resolved) OR NOT contains(resolved, :idValue)',
      ExpressionAttributeNames: { '#incident': incidentAttr(incident.incidentId) },
      ExpressionAttributeValues: {
        ':id': new Set([incident.incidentId]),
        ':idValue': incident.incidentId,
        ':one': 1,
        ':incident': incident,
      },
    });
    return recorded ? 'recorded' : 'already-resolved';
  }

  /** Moves the incident from `active` to `resolved`, remembering when. Idempotent. */
  async resolve(networkId: string, incidentId: string, resolvedAt: string): Promise<void> {
    await this.#updateDesired(networkId, {
      UpdateExpression: 'ADD resolved :id, version :one DELETE active :id SET #tombstone = :at REMOVE #incident',
      ExpressionAttributeNames: { '#tombstone': tombstoneAttr(incidentId), '#incident': incidentAttr(incidentId) },
      ExpressionAttributeValues: { ':id': new Set([incidentId]), ':one': 1, ':at': resolvedAt },
    });
  }

  /** Forgets resolutions older than `before`, so the record does not grow without end. */
  async pruneTombstones(networkId: string, before: string): Promise<number> {
    const item = await this.#desiredItem(networkId);
    const old = [...((item?.resolved as Set<string> | undefined) ?? [])].filter(
      (id) => String(item?.[tombstoneAttr(id)] ?? '') < before,
    );
    if (old.length === 0) return 0;
    const names = Object.fromEntries(old.map((id, i) => [`#t${i}`, tombstoneAttr(id)]));
    await this.#updateDesired(networkId, {
      UpdateExpression: `DELETE resolved :ids REMOVE ${Object.keys(names).join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':ids': new Set(old) },
    });
    return old.length;
  }

  async #desiredItem(networkId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: pk(networkId), sk: desiredSk }, ConsistentRead: true }),
    );
    return Item;
  }

  /** The incidents active on a network and the record's version. */
  async readDesired(networkId: string): Promise<NetworkDesiredState> {
    const item = await this.#desiredItem(networkId);
    const ids = [...((item?.active as Set<string> | undefined) ?? [])];
    return {
      version: Number(item?.version ?? 0),
      active: ids.flatMap((id) => {
        const incident = item?.[incidentAttr(id)] as ActiveIncident | undefined;
        return incident ? [incident] : [];
      }),
    };
  }

  /** Takes the network's reconcile lease when it is free or expired. */
  acquireLease(networkId: string, owner: string, nowMs: number, ttlMs: number): Promise<boolean> {
    return this.#updateDesiredIf(networkId, {
      UpdateExpression: 'SET leaseOwner = :owner, leaseExpires = :expires',
      ConditionExpression: 'attribute_not_exists(leaseExpires) OR leaseExpires < :now OR leaseOwner = :owner',
      ExpressionAttributeValues: { ':owner': owner, ':expires': nowMs + ttlMs, ':now': nowMs },
    });
  }

  /**
   * Gives the lease back only if the desired state is still at `version`; false means it moved while the
   * reconcile ran, the lease is kept, and the caller reconciles once more.
   */
  async releaseLease(networkId: string, owner: string, version: number): Promise<boolean> {
    const released = await this.#updateDesiredIf(networkId, {
      UpdateExpression: 'REMOVE leaseOwner, leaseExpires',
      ConditionExpression:
        'leaseOwner = :owner AND (version = :version OR (attribute_not_exists(version) AND :version = :zero))',
      ExpressionAttributeValues: { ':owner': owner, ':version': version, ':zero': 0 },
    });
    if (released) return true;
    const item = await this.#desiredItem(networkId);
    if (item?.leaseOwner !== owner) throw new IncidentStateStoreError(`Lost the lease of network ${networkId}`);
    return false;
  }

  /** Drops the lease whatever the version, when a reconcile gives up. */
  async abandonLease(networkId: string, owner: string): Promise<void> {
    await this.#updateDesiredIf(networkId, {
      UpdateExpression: 'REMOVE leaseOwner, leaseExpires',
      ConditionExpression: 'leaseOwner = :owner',
      ExpressionAttributeValues: { ':owner': owner },
    });
  }

  /** Every lock entry of a network. */
  async readLocks(networkId: string): Promise<NetworkLocks> {
    const groups: GroupLock[] = [];
    let popup: FieldLock<PopupConfig> | undefined;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :lock)',
          ExpressionAttributeValues: { ':pk': pk(networkId), ':lock': 'LOCK#' },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.sk === popupLockSk) popup = item.lock as FieldLock<PopupConfig>;
        else {
          groups.push({
            groupId: String(item.groupId),
            fields: item.fields as GroupLock['fields'],
            revision: Number(item.revision ?? 0),
          });
        }
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return { groups, popup };
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
          Item: { pk: pk(networkId), sk: groupLockSk(groupId), groupId, fields, revision: (readRevision ?? 0) + 1 },
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
      new DeleteCommand({ TableName: this.tableName, Key: { pk: pk(networkId), sk: groupLockSk(groupId) } }),
    );
  }

  /** Writes the popup's lock entry; the first write is conditional on none existing. */
  async putPopupLock(networkId: string, lock: FieldLock<PopupConfig>, exists: boolean): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: pk(networkId), sk: popupLockSk, lock },
          ConditionExpression: exists ? 'attribute_exists(pk)' : 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new IncidentStateStoreError('Popup lock entry changed under the lease; not overwriting it');
    }
  }

  async deletePopupLock(networkId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: pk(networkId), sk: popupLockSk } }));
  }
}
