import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AutomationError } from '../failure.js';
import type {
  Held,
  Hold,
  HoldDecision,
  HoldOrigin,
  HoldSeal,
  HoldStatus,
  HoldSubject,
  Holds,
  SealAnswer,
} from '../holds/hold.js';
import { isConditionFailure } from './dynamodb-client.js';
import { queryPages } from './query-pages.js';

/** The holds' partition: the functions write here. */
export const holdsPk = 'HOLDS';
/** The decisions' partition: only the operators' entry point writes here (the table's resource policy says so). */
export const decisionsPk = 'HOLD-DECISIONS';

// Well under DynamoDB's 400 KB per item; a bigger burst spreads over several holds of one trip.
const maxSubjectsPerHold = 400;
const maxHoldsPerTrip = 100;
// Settled holds are kept as audit evidence for a year and a bit, then expire.
const settledRetentionSeconds = 400 * 86_400;

const holdOf = (item: Record<string, unknown> | undefined): Hold | undefined =>
  item && {
    holdId: String(item.sk),
    capability: item.capability as Hold['capability'],
    networkId: String(item.networkId),
    safeguard: String(item.safeguard),
    figures: (item.figures ?? {}) as Hold['figures'],
    subjects: (item.subjects ?? []) as HoldSubject[],
    createdAt: String(item.createdAt),
    expiresAt: String(item.expiresAt),
    status: item.status as HoldStatus,
    sealed:
      typeof item.sealedRevision === 'string'
        ? { revision: item.sealedRevision, count: Number(item.sealedCount) }
        : undefined,
    causedBy: item.causedBy as string[] | undefined,
    settledAt: item.settledAt as string | undefined,
    decidedBy: item.decidedBy as string | undefined,
    result: item.result as Hold['result'],
  };

/** Holds and their decisions in the state table: one partition each, so a listing is one query. */
export class HoldStore implements Holds {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hold(origin: HoldOrigin, subjects: readonly HoldSubject[], nowMs: number, holdMs: number): Promise<Held> {
    if (subjects.length > maxSubjectsPerHold) {
      const first = await this.hold(origin, subjects.slice(0, maxSubjectsPerHold), nowMs, holdMs);
      const rest = await this.hold(origin, subjects.slice(maxSubjectsPerHold), nowMs, holdMs);
      return { holdId: first.holdId, created: first.created || rest.created };
    }
    for (let seq = 1; seq <= maxHoldsPerTrip; seq++) {
      const holdId = `${origin.stem}-${seq}`;
      try {
        const answer = await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: holdsPk, sk: holdId },
            UpdateExpression:
              'SET capability = if_not_exists(capability, :c), networkId = if_not_exists(networkId, :n), ' +
              'safeguard = if_not_exists(safeguard, :g), figures = :f, createdAt = if_not_exists(createdAt, :t), ' +
              'expiresAt = if_not_exists(expiresAt, :x), #s = if_not_exists(#s, :open), ' +
              'causedBy = if_not_exists(causedBy, :by), ' +
              'subjects = list_append(if_not_exists(subjects, :none), :subjects)',
            // A sealed hold (decided once) takes no subject: what comes later is a new hold.
            ConditionExpression:
              'attribute_not_exists(pk) OR (#s = :open AND expiresAt > :t AND size(subjects) <= :room ' +
              'AND attribute_not_exists(sealedRevision))',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: {
              ':c': origin.capability,
              ':n': origin.networkId,
              ':g': origin.safeguard,
              ':f': origin.figures,
              ':t': new Date(nowMs).toISOString(),
              ':x': new Date(nowMs + holdMs).toISOString(),
              ':open': 'open',
              ':none': [],
              ':subjects': subjects,
              ':room': maxSubjectsPerHold - subjects.length,
              ':by': [...(origin.causedBy ?? [])],
            },
            ReturnValues: 'UPDATED_OLD',
          }),
        );
        return { holdId, created: answer.Attributes?.createdAt === undefined };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new AutomationError(`more than ${maxHoldsPerTrip} holds in one trip of ${origin.safeguard}`, {
      retryable: false,
      code: 'HOLDS_FULL',
    });
  }

  async get(holdId: string): Promise<Hold | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: holdsPk, sk: holdId }, ConsistentRead: true }),
    );
    return holdOf(Item);
  }

  async list(): Promise<Hold[]> {
    const holds: Hold[] = [];
    for await (const page of queryPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': holdsPk },
      ConsistentRead: true,
    })) {
      for (const item of page.Items ?? []) {
        const hold = holdOf(item);
        if (hold) holds.push(hold);
      }
    }
    return holds;
  }

  async settle(
    holdId: string,
    status: Exclude<HoldStatus, 'open'>,
    by: string,
    nowMs: number,
    result?: Readonly<Record<string, number>>,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: holdsPk, sk: holdId },
          UpdateExpression: 'SET #s = :s, settledAt = :t, decidedBy = :by, #r = :r, expiration = :x',
          ConditionExpression: '#s = :open',
          ExpressionAttributeNames: { '#s': 'status', '#r': 'result' },
          ExpressionAttributeValues: {
            ':s': status,
            ':t': new Date(nowMs).toISOString(),
            ':by': by,
            ':r': result ?? {},
            ':x': Math.floor(nowMs / 1000) + settledRetentionSeconds,
            ':open': 'open',
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async decisionOf(holdId: string): Promise<HoldDecision | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: decisionsPk, sk: holdId }, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      holdId,
      decision: Item.decision === 'approve' ? 'approve' : 'reject',
      decidedBy: String(Item.decidedBy),
      decidedAt: String(Item.decidedAt),
      reason: Item.reason as string | undefined,
      revision: String(Item.revision ?? ''),
      count: Number(Item.count ?? -1),
    };
  }

  async seal(holdId: string, seal: HoldSeal, nowMs: number): Promise<SealAnswer> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: holdsPk, sk: holdId },
          UpdateExpression: 'SET sealedRevision = :rev, sealedCount = :count',
          // Subjects only append: the same count as when the revision was computed is the same subjects.
          ConditionExpression:
            '#s = :open AND expiresAt > :t AND size(subjects) = :count AND attribute_not_exists(sealedRevision)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':rev': seal.revision,
            ':count': seal.count,
            ':open': 'open',
            ':t': new Date(nowMs).toISOString(),
          },
        }),
      );
      return 'sealed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const hold = await this.get(holdId);
    if (!hold) return 'unknown';
    if (hold.sealed) {
      return hold.sealed.revision === seal.revision && hold.sealed.count === seal.count ? 'sealed-already' : 'changed';
    }
    return hold.status !== 'open' || Date.parse(hold.expiresAt) <= nowMs ? 'closed' : 'changed';
  }

  /** A decision, written once (a decision is final: a second one is refused). */
  async decide(decision: HoldDecision): Promise<'written' | 'decided-already'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: decisionsPk, sk: decision.holdId, ...decision },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'written';
    } catch (error) {
      if (isConditionFailure(error)) return 'decided-already';
      throw error;
    }
  }
}
