import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from './dynamodb-client.js';
import type {
  ActiveIncident,
  FieldLock,
  GroupLock,
  IncidentChannel,
  NetworkDesiredState,
  NetworkLocks,
  PopupConfig,
  ReachedTarget,
} from './incident-records.js';
import { queryPages } from './query-pages.js';

/** A storage failure of the incident state. */
export class IncidentStateStoreError extends Error {
  override name = 'IncidentStateStoreError';
}

const pk = (networkId: string) => `NETWORK#${networkId}`;

/**
 * The longest lease a reconcile takes: an incident function's timeout (60 s in serverless.yml, checked by a
 * template test) plus its 5 s margin, with room for clock skew. Anything longer was not written by a reconcile.
 */
export const maxLeaseDefaultMs = 120_000;
const desiredSk = 'INCIDENTS';
const incidentSk = (incidentId: string) => `INCIDENT#${incidentId}`;
const groupLockSk = (groupId: string) => `LOCK#GROUP#${groupId}`;
const popupLockSk = 'LOCK#POPUP';

// SEV1 → 1: smaller is stricter.
const rank = (severity: string) => Number(severity.replace(/\D/g, ''));

/**
 * Incident state in the state table (keys `pk`, `sk`). Per network: a desired-state item (`INCIDENTS`: the
 * `version` that moves with every fact, and the reconcile lease), one item per incident (`INCIDENT#<id>`, active
 * or a resolution tombstone with a TTL), and one lock item per touched group plus one for the popup. No item
 * grows with the number of incidents, so no burst of events can push one past DynamoDB's 400 KB.
 */
export class IncidentStateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Updates the network's desired-state item; answers the attributes its `ReturnValues` asks for. */
  async #updateDesired(
    networkId: string,
    update: Omit<UpdateCommandInput, 'TableName' | 'Key'>,
  ): Promise<Record<string, unknown>> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({ TableName: this.tableName, Key: { pk: pk(networkId), sk: desiredSk }, ...update }),
    );
    return Attributes ?? {};
  }

  /** The same, answering undefined instead of throwing when its condition does not hold. */
  async #updateDesiredIf(
    networkId: string,
    update: Omit<UpdateCommandInput, 'TableName' | 'Key'>,
  ): Promise<Record<string, unknown> | undefined> {
    try {
      return await this.#updateDesired(networkId, update);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /** A new fact: the version moves, so a reconcile running on the network goes once more. */
  async #bump(networkId: string): Promise<void> {
    await this.#updateDesired(networkId, {
      UpdateExpression: 'ADD version :one',
      ExpressionAttributeValues: { ':one': 1 },
    });
  }

  /**
   * Records the incident as active, or updates it when this fact is newer (`incident.declaredAt` is the time of the
   * latest fact: an escalation, a new title, other groups). A recorded resolution of the same channel wins over an
   * older declaration (resolved before its declaration arrived) and loses to a newer one (the incident reopened).
   * Another channel's active incident is left alone. A stale copy of an older fact changes nothing. Idempotent. The
   * incident's item is written before the version moves: a reconcile that read the version first either sees the
   * item or fails to release its lease.
   */
  async declare(
    networkId: string,
    incident: ActiveIncident,
    channel: IncidentChannel,
    nowMs: number,
  ): Promise<{
    result: 'recorded' | 'already-resolved' | 'other-channel' | 'stale';
    /** For `already-resolved`: the time of the resolution that is newer than this declaration. */
    resolvedAt?: string | undefined;
  }> {
    const key = { pk: pk(networkId), sk: incidentSk(incident.incidentId) };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          // `strictness` breaks ties between facts of the same second: the stricter severity wins, whatever the
          // delivery order. The same fact again (a retry) is recorded again, so its reconcile runs.
          Item: { ...key, state: 'active', channel, incident, strictness: rank(incident.severity) },
          ConditionExpression:
            'attribute_not_exists(pk) OR ' +
            'channel = :channel AND #state = :active AND ' +
            '(incident.declaredAt < :at OR incident.declaredAt = :at AND strictness >= :strictness) OR ' +
            'channel = :channel AND #state = :resolved AND (resolvedAt < :at OR expiration < :now) OR ' +
            'channel <> :channel AND #state = :resolved',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':active': 'active',
            ':resolved': 'resolved',
            ':channel': channel,
            ':at': incident.declaredAt,
            ':strictness': rank(incident.severity),
            ':now': Math.floor(nowMs / 1000),
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      if (Item?.state !== 'active') return { result: 'already-resolved', resolvedAt: String(Item?.resolvedAt) };
      return { result: Item.channel === channel ? 'stale' : 'other-channel' };
    }
    await this.#bump(networkId);
    return { result: 'recorded' };
  }

  /**
   * Takes an incident off a network without a tombstone — its scope was narrowed, so a later widening may bring it
   * back — when this channel holds it active and the fact is newer. Idempotent.
   */
  async withdraw(networkId: string, incidentId: string, channel: IncidentChannel, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: pk(networkId), sk: incidentSk(incidentId) },
          ConditionExpression: 'channel = :channel AND #state = :active AND incident.declaredAt < :at',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':channel': channel, ':active': 'active', ':at': at },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
    await this.#bump(networkId);
    return true;
  }

  /** The networks an incident is active on, by our records (a query per network of the policy). */
  async activeOn(networkIds: readonly string[], incidentId: string, channel: IncidentChannel): Promise<string[]> {
    const found = await Promise.all(
      networkIds.map(async (networkId) => {
        const { Item } = await this.db.send(
          new GetCommand({
            TableName: this.tableName,
            Key: { pk: pk(networkId), sk: incidentSk(incidentId) },
            ConsistentRead: true,
          }),
        );
        return Item?.state === 'active' && Item.channel === channel ? networkId : undefined;
      }),
    );
    return found.filter((id): id is string => id !== undefined);
  }

  /**
   * Turns the incident into a resolution tombstone of its channel, kept until `expiresAtMs` (a TTL counted from our
   * clock, never from the event's time) so an older declaration arriving late does nothing. A declaration newer
   * than this resolution (the incident reopened) is left active: the resolution is stale. An incident another
   * channel declared is left alone unless `override`. Idempotent.
   */
  async resolve(
    networkId: string,
    incidentId: string,
    resolution: { resolvedAt: string; channel: IncidentChannel; expiresAtMs: number; override?: boolean | undefined },
  ): Promise<'recorded' | 'other-channel' | 'stale'> {
    const key = { pk: pk(networkId), sk: incidentSk(incidentId) };
    const sameChannel = resolution.override ? '' : 'channel = :channel AND ';
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key,
            state: 'resolved',
            channel: resolution.channel,
            resolvedAt: resolution.resolvedAt,
            expiration: Math.floor(resolution.expiresAtMs / 1000),
          },
          ConditionExpression:
            'attribute_not_exists(pk) OR #state = :resolved AND resolvedAt <= :at OR ' +
            `#state = :active AND ${sameChannel}incident.declaredAt <= :at`,
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':resolved': 'resolved',
            ':active': 'active',
            ':at': resolution.resolvedAt,
            ...(resolution.override ? {} : { ':channel': resolution.channel }),
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      const otherChannel = Item?.state === 'active' && Item.channel !== resolution.channel && !resolution.override;
      return otherChannel ? 'other-channel' : 'stale';
    }
    await this.#bump(networkId);
    return 'recorded';
  }

  async #desiredItem(networkId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: pk(networkId), sk: desiredSk }, ConsistentRead: true }),
    );
    return Item;
  }

  /** A network's incident items in one state: active, or resolved (tombstones until their TTL). */
  async #incidentItems(networkId: string, state: 'active' | 'resolved'): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for await (const page of queryPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :incident)',
      FilterExpression: '#state = :state',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':pk': pk(networkId), ':incident': 'INCIDENT#', ':state': state },
      ConsistentRead: true,
    })) {
      items.push(...(page.Items ?? []));
    }
    return items;
  }

  /** The incidents active on a network and the version read before them. */
  async readDesired(networkId: string): Promise<NetworkDesiredState> {
    const item = await this.#desiredItem(networkId);
    const active = (await this.#incidentItems(networkId, 'active')).map((found) => found.incident as ActiveIncident);
    return { version: Number(item?.version ?? 0), active };
  }

  /**
   * What an operator asks of a network besides its lockdown: the desired state's version and the one last
   * reconciled, the lease holder, and the resolutions remembered (tombstones, until their TTL).
   */
  async readReconcileState(
    networkId: string,
    nowMs: number,
  ): Promise<{
    version: number;
    reconciledVersion?: number | undefined;
    /** When a reconcile last finished with the network exactly at its target. */
    reconciledAt?: string | undefined;
    lease?: { owner: string; expiresAt: string } | undefined;
    resolved: { incidentId: string; resolvedAt: string; forgetAt: string }[];
  }> {
    const item = await this.#desiredItem(networkId);
    const resolved = (await this.#incidentItems(networkId, 'resolved')).map((found) => ({
      incidentId: String(found.sk).slice('INCIDENT#'.length),
      resolvedAt: String(found.resolvedAt),
      forgetAt: new Date(Number(found.expiration) * 1000).toISOString(),
    }));
    const leaseExpires = Number(item?.leaseExpires ?? 0);
    return {
      version: Number(item?.version ?? 0),
      reconciledVersion: item?.reconciledVersion === undefined ? undefined : Number(item.reconciledVersion),
      reconciledAt: item?.reconciledAt === undefined ? undefined : String(item.reconciledAt),
      lease:
        item?.leaseOwner && leaseExpires > nowMs
          ? { owner: String(item.leaseOwner), expiresAt: new Date(leaseExpires).toISOString() }
          : undefined,
      resolved,
    };
  }

  /**
   * Takes the network's reconcile lease when it is free, expired, or longer than any holder could have taken
   * (`maxLeaseMs`: a lease written by someone other than a reconcile, which would otherwise stop every lockdown of
   * the network until it ran out); undefined when another holds it. The grant carries the target the last
   * reconcile reached, taken off the item in the same write: should this holder die mid-way, the next one finds
   * none and reads Wickr afresh.
   */
  async acquireLease(
    networkId: string,
    owner: string,
    nowMs: number,
    ttlMs: number,
    maxLeaseMs = maxLeaseDefaultMs,
  ): Promise<{ reached?: ReachedTarget | undefined; tookInvalid?: boolean } | undefined> {
    const before = await this.#updateDesiredIf(networkId, {
      UpdateExpression: 'SET leaseOwner = :owner, leaseExpires = :expires REMOVE reached',
      ConditionExpression:
        'attribute_not_exists(leaseExpires) OR leaseExpires < :now OR leaseOwner = :owner OR leaseExpires > :invalid',
      ExpressionAttributeValues: {
        ':owner': owner,
        ':expires': nowMs + Math.min(ttlMs, maxLeaseMs),
        ':now': nowMs,
        ':invalid': nowMs + maxLeaseMs,
      },
      ReturnValues: 'ALL_OLD',
    });
    if (before && Number(before.leaseExpires ?? 0) > nowMs + maxLeaseMs) {
      return { reached: undefined, tookInvalid: true };
    }
    return before && { reached: before.reached as ReachedTarget | undefined };
  }

  /**
   * Gives the lease back only if the desired state is still at `version`, recording the target reached at it;
   * false means it moved while the reconcile ran, the lease is kept, and the caller reconciles once more.
   */
  async releaseLease(
    networkId: string,
    owner: string,
    version: number,
    atMs?: number,
    reached?: ReachedTarget,
  ): Promise<boolean> {
    const sets = ['reconciledVersion = :version'];
    if (atMs !== undefined) sets.push('reconciledAt = :at');
    if (reached) sets.push('reached = :reached');
    const released = await this.#updateDesiredIf(networkId, {
      UpdateExpression: `SET ${sets.join(', ')} REMOVE leaseOwner, leaseExpires`,
      ConditionExpression:
        'leaseOwner = :owner AND (version = :version OR (attribute_not_exists(version) AND :version = :zero))',
      ExpressionAttributeValues: {
        ':owner': owner,
        ':version': version,
        ':zero': 0,
        ...(atMs === undefined ? {} : { ':at': new Date(atMs).toISOString() }),
        ...(reached ? { ':reached': reached } : {}),
      },
    });
    if (released) return true;
    const item = await this.#desiredItem(networkId);
    if (item?.leaseOwner !== owner) throw new IncidentStateStoreError(`Lost the lease of network ${networkId}`);
    return false;
  }

  /**
   * After a fact coalesced into the reconcile holding the network's lease: whether someone must look again when that
   * lease runs out, in case its holder dies with the fact untaken. Answers when to look (the lease's expiry, epoch ms)
   * to the one caller that should schedule it — one per lease, however many facts coalesce — else undefined.
   */
  async watchLease(networkId: string, nowMs: number): Promise<number | undefined> {
    // One write: the look is due when the lease ends; a lease that already ran out (its holder is gone) is looked
    // at again whatever was scheduled. No lease at all: a holder released it after this fact moved the version, so
    // it took the fact in.
    const scheduled = await this.#updateDesiredIf(networkId, {
      UpdateExpression: 'SET watchAt = leaseExpires',
      ConditionExpression:
        'attribute_exists(leaseExpires) AND ' +
        '(attribute_not_exists(watchAt) OR watchAt < leaseExpires OR leaseExpires <= :now)',
      ExpressionAttributeValues: { ':now': nowMs },
      ReturnValues: 'UPDATED_NEW',
    });
    return scheduled && Math.max(nowMs, Number(scheduled.watchAt));
  }

  /**
   * After a reconcile left the network locked: whether a sweep must be scheduled for `dueAtMs` — once per period,
   * however many reconciles finish meanwhile (the one caller it answers true to sends the delayed message).
   */
  async scheduleSweep(networkId: string, nowMs: number, dueAtMs: number): Promise<boolean> {
    const scheduled = await this.#updateDesiredIf(networkId, {
      UpdateExpression: 'SET sweepAt = :due',
      ConditionExpression: 'attribute_not_exists(sweepAt) OR sweepAt <= :now',
      ExpressionAttributeValues: { ':due': dueAtMs, ':now': nowMs },
    });
    return scheduled !== undefined;
  }

  /**
   * Whether facts were recorded that no finished reconcile has taken in: a reconcile that held the lease died
   * (its coalesced facts wait), or one gave up. Whoever sees it reconciles, so no fact waits for the next event.
   */
  async isBehind(networkId: string): Promise<boolean> {
    const item = await this.#desiredItem(networkId);
    if (!item) return false;
    const version = Number(item.version ?? 0);
    return item.reconciledVersion === undefined ? version > 0 : Number(item.reconciledVersion) !== version;
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
    for await (const page of queryPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :lock)',
      ExpressionAttributeValues: { ':pk': pk(networkId), ':lock': 'LOCK#' },
      ConsistentRead: true,
    })) {
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
    }
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
