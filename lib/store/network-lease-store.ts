import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReachedTarget } from '../incident/incident-records.js';
import type { NetworkLease } from '../incident/ports.js';
import { DesiredItem, IncidentStateStoreError } from './desired-item.js';

/**
 * The longest lease a reconcile takes: an incident function's timeout (60 s in serverless.yml, checked by a
 * template test) plus its 5 s margin, with room for clock skew. Anything longer was not written by a reconcile.
 */
export const maxLeaseDefaultMs = 120_000;

/**
 * Who reconciles a network, on its desired-state item: the lease (taken over when longer than any reconcile could
 * hold it), the version a reconcile last brought it to, the watch a coalesced fact schedules, the sweep's period.
 */
export class NetworkLeaseStore implements NetworkLease {
  private readonly desired: DesiredItem;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.desired = new DesiredItem(db, tableName);
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
    const before = await this.desired.updateIf(networkId, {
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
    const released = await this.desired.updateIf(networkId, {
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
    const item = await this.desired.read(networkId);
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
    const scheduled = await this.desired.updateIf(networkId, {
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
    const scheduled = await this.desired.updateIf(networkId, {
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
    const item = await this.desired.read(networkId);
    if (!item) return false;
    const version = Number(item.version ?? 0);
    return item.reconciledVersion === undefined ? version > 0 : Number(item.reconciledVersion) !== version;
  }

  /** Drops the lease whatever the version, when a reconcile gives up. */
  async abandonLease(networkId: string, owner: string): Promise<void> {
    await this.desired.updateIf(networkId, {
      UpdateExpression: 'REMOVE leaseOwner, leaseExpires',
      ConditionExpression: 'leaseOwner = :owner',
      ExpressionAttributeValues: { ':owner': owner },
    });
  }
}
