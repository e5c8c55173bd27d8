import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ActiveIncident, IncidentChannel, NetworkDesiredState } from '../incident/incident-records.js';
import type { IncidentFacts } from '../incident/ports.js';
import { DesiredItem, networkPk } from './desired-item.js';
import { isConditionFailure } from './dynamodb-client.js';
import { queryPages } from './query-pages.js';

const incidentSk = (incidentId: string) => `INCIDENT#${incidentId}`;

// SEV1 → 1: smaller is stricter.
const rank = (severity: string) => Number(severity.replace(/\D/g, ''));

/**
 * The incident facts of a network in the state table: one item per incident (`INCIDENT#<id>`, active or a
 * resolution tombstone with a TTL), and the version on the desired-state item that moves with every fact. No item
 * grows with the number of incidents, so no burst of events can push one past DynamoDB's 400 KB.
 */
export class IncidentFactsStore implements IncidentFacts {
  private readonly desired: DesiredItem;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.desired = new DesiredItem(db, tableName);
  }

  /** A new fact: the version moves, so a reconcile running on the network goes once more. */
  private async bump(networkId: string): Promise<void> {
    await this.desired.update(networkId, {
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
    const key = { pk: networkPk(networkId), sk: incidentSk(incident.incidentId) };
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
    await this.bump(networkId);
    return { result: 'recorded' };
  }

  /**
   * Takes an incident off a network without a tombstone — its scope was narrowed, so a later widening may bring it
   * back — when this channel holds it active and the fact is newer. Idempotent.
   */
  async withdraw(
    networkId: string,
    incidentId: string,
    channel: IncidentChannel,
    at: string,
    expiresAtMs: number,
  ): Promise<boolean> {
    try {
      // A tombstone as a resolution leaves: an older declaration arriving later (a replayed delivery) does nothing;
      // a newer one brings the incident back.
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: networkPk(networkId),
            sk: incidentSk(incidentId),
            state: 'resolved',
            withdrawn: true,
            channel,
            resolvedAt: at,
            expiration: Math.floor(expiresAtMs / 1000),
          },
          ConditionExpression: 'channel = :channel AND #state = :active AND incident.declaredAt < :at',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':channel': channel, ':active': 'active', ':at': at },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
    await this.bump(networkId);
    return true;
  }

  /** The networks an incident is active on, by our records (a query per network of the policy). */
  async activeOn(networkIds: readonly string[], incidentId: string, channel: IncidentChannel): Promise<string[]> {
    const found = await Promise.all(
      networkIds.map(async (networkId) => {
        const { Item } = await this.db.send(
          new GetCommand({
            TableName: this.tableName,
            Key: { pk: networkPk(networkId), sk: incidentSk(incidentId) },
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
    const key = { pk: networkPk(networkId), sk: incidentSk(incidentId) };
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
    await this.bump(networkId);
    return 'recorded';
  }

  /** A network's incident items in one state: active, or resolved (tombstones until their TTL). */
  private async incidentItems(networkId: string, state: 'active' | 'resolved'): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for await (const page of queryPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :incident)',
      FilterExpression: '#state = :state',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':pk': networkPk(networkId), ':incident': 'INCIDENT#', ':state': state },
      ConsistentRead: true,
    })) {
      items.push(...(page.Items ?? []));
    }
    return items;
  }

  /** The incidents active on a network and the version read before them. */
  async readDesired(networkId: string): Promise<NetworkDesiredState> {
    const item = await this.desired.read(networkId);
    const active = (await this.incidentItems(networkId, 'active')).map((found) => found.incident as ActiveIncident);
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
    const item = await this.desired.read(networkId);
    const resolved = (await this.incidentItems(networkId, 'resolved')).map((found) => ({
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
}
