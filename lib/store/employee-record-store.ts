import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { EmployeeFact, Identity, Placement } from '../hr/employee-fact.js';
import { isConditionFailure } from './dynamodb-client.js';

/** What this deployment last made true in Wickr for an employee, and on which facts. */
export interface AppliedState {
  readonly userId?: string | undefined;
  readonly groupId?: string | undefined;
  /** The normalized name of that group: a move is a change of name. */
  readonly groupName?: string | undefined;
  /** Suspended by someone else, and kept so (`hr.manualChanges: keep`): never lifted by a reconcile. */
  readonly adminSuspended?: boolean | undefined;
  /** `absent`: no user (yet); `unmatched`: reported as never onboarded; `refused`: Wickr refused the user. */
  readonly status: 'active' | 'suspended' | 'deleted' | 'absent' | 'unmatched' | 'refused';
  /** The record's `basis` this state was reconciled to; equal to the record's: nothing to do. */
  readonly basis?: string | undefined;
  /** Deleted by someone else, and kept so (`hr.manualChanges: keep`): never made again by a reconcile. */
  readonly adminDeleted?: boolean | undefined;
  /** An existing user just taken as this employee's (ours, or adopted): to be placed on the next pass. */
  readonly converged?: boolean | undefined;
  /**
   * The exact BatchCreateUser request sent for this employee, recorded before it is sent and kept until an answer
   * says what became of it. Ownership comes only from an answer: should this one be lost, the same request is
   * replayed (same `clientToken`, same body), and Wickr answers with its first answer if it had applied it. An
   * "already exists" is never taken as our own user.
   */
  readonly pendingCreate?: PendingCreate | undefined;
}

/** A BatchCreateUser request whose answer is not known yet, and the group the employee was to join. */
export interface PendingCreate {
  readonly clientToken: string;
  readonly users: readonly {
    readonly username: string;
    readonly securityGroupIds: readonly string[];
    readonly firstName?: string | undefined;
    readonly lastName?: string | undefined;
  }[];
  /** This employee's entry in `users`, and the group they were to join. */
  readonly username: string;
  readonly groupName: string;
}

/** An employee's desired record (the latest fact), who they are, and what was applied. */
export interface EmployeeRecord
  extends Pick<EmployeeFact, 'networkId' | 'employeeId' | 'version' | 'placement' | 'identity'> {
  /** The latest fact's time. */
  readonly factTime: string;
  readonly identityVersion?: string | undefined;
  readonly applied?: AppliedState | undefined;
  readonly firstSeenAt?: string | undefined;
}

/** The facts a record stands on: its placement's version and its identity's. Reconciled once per basis. */
export const basisOf = (record: Pick<EmployeeRecord, 'version' | 'identityVersion'>) =>
  `${record.version}#${record.identityVersion ?? ''}`;

/** How a fact changed the record. */
export interface FactRecorded {
  readonly placement: boolean;
  readonly identity: boolean;
}

/** How giving back a claimed record went. */
export type ReleaseResult = 'released' | 'moved' | 'lost';

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
export class EmployeeRecordStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** How long a leaver's record is kept (TTL), so late facts about them change nothing. */
    private readonly leaverRetentionSeconds: number,
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
            ...(left ? { ':x': Math.floor(Date.parse(fact.time) / 1000) + this.leaverRetentionSeconds } : {}),
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
      if (keys?.length) throw new Error(`DynamoDB left ${keys.length} employee records unread`);
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
}
