import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { AutomationError } from '../failure.js';
import type { EmployeeFact, Identity, Placement } from '../hr/employee-fact.js';
import type {
  AppliedState,
  EmployeeRecord,
  EmployeeRecords,
  FactRecorded,
  ReleaseResult,
} from '../hr/employee-record.js';
import { isConditionFailure } from './dynamodb-client.js';
import { queryPages } from './query-pages.js';

const pk = (networkId: string) => `HR#NETWORK#${networkId}`;
const sk = (employeeId: string) => `EMPLOYEE#${employeeId}`;

// The first release kept only a mapping (`employee`): it reads as the applied state of an active record.
type LegacyMapping = { userId: string; groupId: string; status: 'active' | 'suspended' | 'deleted' };

function recordOf(networkId: string, item: Record<string, unknown> | undefined): EmployeeRecord | undefined {
  if (!item) return undefined;
  const legacy = item.employee as LegacyMapping | undefined;
  const employeeId = String(item.sk).slice('EMPLOYEE#'.length);
  const applied = (item.applied as AppliedState | undefined) ?? (legacy && { ...legacy });
  if (item.version === undefined) {
    if (!legacy) return undefined;
    // A mapping without any recorded fact: reconciled already, as far as anyone knows.
    return {
      networkId,
      employeeId,
      version: '',
      factTime: '',
      placement: { state: 'left' },
      applied: { ...legacy, basis: '#' },
    };
  }
  return {
    networkId,
    employeeId,
    version: String(item.version),
    factTime: String(item.factTime),
    placement: item.placement as Placement,
    identity: item.identity as Identity | undefined,
    identityVersion: item.identityVersion as string | undefined,
    applied,
    firstSeenAt: item.firstSeenAt as string | undefined,
  };
}

/**
 * Employees' desired records in the state table (beside the group mappings, under the HR partition). Each fact
 * is recorded with one conditional write that only a later fact passes; a reconcile claims a record with a lease,
 * and gives it back only if no fact moved it meanwhile — so a fact recorded during a reconcile is never lost.
 */
export class EmployeeRecordStore implements EmployeeRecords {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** How long a leaver's record is kept (TTL), so late facts about them change nothing. */
    private readonly leaverRetentionSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records the fact where it is later than what the record holds; says what changed. */
  async recordFact(fact: EmployeeFact): Promise<FactRecorded> {
    const key = { pk: pk(fact.networkId), sk: sk(fact.employeeId) };
    const left = fact.placement.state === 'left';
    let placement = true;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET version = :v, placement = :p, factTime = :t, eventId = :e, firstSeenAt = if_not_exists(firstSeenAt, :t) ${
            left ? ', expiration = :x' : 'REMOVE expiration'
          }`,
          ConditionExpression: 'attribute_not_exists(version) OR version < :v',
          ExpressionAttributeValues: {
            ':v': fact.version,
            ':p': fact.placement,
            ':t': fact.time,
            ':e': fact.eventId,
            // Counted from our clock (or the fact's time, if later), never from an older fact's time alone: a leaver
            // dated long ago must not expire at once and let a stale joiner bring the user back.
            ...(left
              ? { ':x': Math.floor(Math.max(Date.parse(fact.time), this.now()) / 1000) + this.leaverRetentionSeconds }
              : {}),
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      placement = false;
    }
    let identity = false;
    if (fact.identity) {
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET #identity = :i, identityVersion = :v',
            ConditionExpression: 'attribute_not_exists(identityVersion) OR identityVersion < :v',
            ExpressionAttributeNames: { '#identity': 'identity' },
            ExpressionAttributeValues: { ':i': fact.identity, ':v': fact.version },
          }),
        );
        identity = true;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    return { placement, identity };
  }

  async get(networkId: string, employeeId: string): Promise<EmployeeRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: pk(networkId), sk: sk(employeeId) },
        ConsistentRead: true,
      }),
    );
    return recordOf(networkId, Item);
  }

  /** Reads many records of one network (100 per request, strongly consistent). */
  async getMany(networkId: string, employeeIds: readonly string[]): Promise<EmployeeRecord[]> {
    const records: EmployeeRecord[] = [];
    for (let i = 0; i < employeeIds.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = employeeIds
        .slice(i, i + 100)
        .map((id) => ({ pk: pk(networkId), sk: sk(id) }));
      for (let round = 0; keys?.length && round < 8; round++) {
        const answer: BatchGetCommandOutput = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of answer.Responses?.[this.tableName] ?? []) {
          const record = recordOf(networkId, item);
          if (record) records.push(record);
        }
        keys = answer.UnprocessedKeys?.[this.tableName]?.Keys;
      }
      if (keys?.length) {
        throw new AutomationError(`DynamoDB left ${keys.length} employee records unread`, {
          retryable: true,
          code: 'UNPROCESSED_KEYS',
        });
      }
    }
    return records;
  }

  /**
   * Takes the record for one reconcile until `untilMs`; answers it, or undefined when another reconcile holds it
   * (that one will see this fact when it gives the record back).
   */
  async claim(networkId: string, employeeId: string, holder: string, untilMs: number, nowMs: number) {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: pk(networkId), sk: sk(employeeId) },
          UpdateExpression: 'SET lease = :h, leaseUntil = :u',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(lease) OR leaseUntil < :now OR lease = :h)',
          ExpressionAttributeValues: { ':h': holder, ':u': untilMs, ':now': nowMs },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return recordOf(networkId, Attributes);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return undefined;
    }
  }

  /** Records what a reconcile applied while it still holds the record (before a Wickr call that may be lost). */
  async noteApplied(networkId: string, employeeId: string, holder: string, applied: AppliedState): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: pk(networkId), sk: sk(employeeId) },
          UpdateExpression: 'SET applied = :a',
          ConditionExpression: 'lease = :h',
          ExpressionAttributeValues: { ':a': applied, ':h': holder },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return false;
    }
  }

  /**
   * Records what was applied and gives the record back — unless a fact moved it meanwhile (`moved`: the holder
   * keeps it and goes again) or the lease passed to another reconcile (`lost`).
   */
  async release(record: EmployeeRecord, holder: string, applied: AppliedState): Promise<ReleaseResult> {
    const Key = { pk: pk(record.networkId), sk: sk(record.employeeId) };
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key,
          UpdateExpression: 'SET applied = :a REMOVE lease, leaseUntil',
          ConditionExpression:
            'lease = :h AND version = :v AND (attribute_not_exists(identityVersion) OR identityVersion = :iv)',
          ExpressionAttributeValues: {
            ':a': applied,
            ':h': holder,
            ':v': record.version,
            ':iv': record.identityVersion ?? '',
          },
        }),
      );
      return 'released';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    return (await this.noteApplied(record.networkId, record.employeeId, holder, applied)) ? 'moved' : 'lost';
  }

  /** Gives a record back without changing what was applied (a reconcile that failed before acting on it). */
  async abandon(networkId: string, employeeId: string, holder: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: pk(networkId), sk: sk(employeeId) },
          UpdateExpression: 'REMOVE lease, leaseUntil',
          ConditionExpression: 'lease = :h',
          ExpressionAttributeValues: { ':h': holder },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async *listProvisioned(networkId: string): AsyncIterable<string> {
    for await (const page of queryPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      FilterExpression: 'attribute_exists(applied.userId) AND applied.#s = :active',
      ProjectionExpression: 'sk',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':pk': pk(networkId), ':e': 'EMPLOYEE#', ':active': 'active' },
    })) {
      for (const item of page.Items ?? []) yield String(item.sk).slice('EMPLOYEE#'.length);
    }
  }

  async countProvisioned(networkId: string): Promise<number> {
    let count = 0;
    for await (const page of queryPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      FilterExpression: 'attribute_exists(applied.userId) AND applied.#s = :active',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':pk': pk(networkId), ':e': 'EMPLOYEE#', ':active': 'active' },
      Select: 'COUNT',
    })) {
      count += page.Count ?? 0;
    }
    return count;
  }
}
