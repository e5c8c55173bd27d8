import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AutomationError } from '../failure.js';
import type { GroupMapping, GroupMappings } from '../hr/group-mapping.js';
import { isConditionFailure } from './dynamodb-client.js';
import { queryPages } from './query-pages.js';

// Apart from the incident state's `NETWORK#` partitions, so IAM can keep each capability to its own items.
const pk = (networkId: string) => `HR#NETWORK#${networkId}`;
const groupSk = (name: string) => `HRGROUP#${name}`;

/**
 * Group mappings in the state table, since security groups carry no tags: normalized group name → group id, with
 * the creation intent written first (employees' records are in employee-record-store.ts).
 */
export class HrMappingStore implements GroupMappings {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** How many groups this deployment created on the network (adopted ones not counted). */
  async countCreatedGroups(networkId: string): Promise<number> {
    let count = 0;
    for await (const page of queryPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :group)',
      FilterExpression: 'attribute_not_exists(mapping.adopted) OR mapping.adopted = :no',
      ExpressionAttributeValues: { ':pk': pk(networkId), ':group': 'HRGROUP#', ':no': false },
      Select: 'COUNT',
    })) {
      count += page.Count ?? 0;
    }
    return count;
  }

  /**
   * Takes one of the `cap` group creations the network allows, with one conditional write on a counter (first
   * seeded from the mappings), so concurrent reconciles cannot together pass the cap; false when none is left. A
   * creation taken and then not needed (another reconcile made the group) is not given back: the cap errs on
   * the safe side.
   */
  async reserveGroupCreation(networkId: string, cap: number): Promise<boolean> {
    const seed = await this.countCreatedGroups(networkId);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: pk(networkId), sk: 'HRGROUPS#CREATED' },
          UpdateExpression: 'SET created = if_not_exists(created, :seed) + :one',
          ConditionExpression: '(attribute_not_exists(created) AND :seed < :cap) OR created < :cap',
          ExpressionAttributeValues: { ':seed': seed, ':one': 1, ':cap': cap },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async getGroup(networkId: string, name: string): Promise<GroupMapping | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: pk(networkId), sk: groupSk(name) },
        ConsistentRead: true,
      }),
    );
    return Item?.mapping as GroupMapping | undefined;
  }

  /** Records a mapping only if none exists; answers the one that stands either way. */
  async putGroupIfAbsent(networkId: string, mapping: GroupMapping): Promise<GroupMapping> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: pk(networkId), sk: groupSk(mapping.name), mapping },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return mapping;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.getGroup(networkId, mapping.name)) as GroupMapping;
    }
  }

  /** Moves a mapping forward (creating → created → ready); never back, never to another group. */
  async advanceGroup(networkId: string, mapping: GroupMapping): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: pk(networkId), sk: groupSk(mapping.name) },
          UpdateExpression: 'SET mapping = :mapping',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(mapping.groupId) OR mapping.groupId = :groupId)',
          ExpressionAttributeValues: { ':mapping': mapping, ':groupId': mapping.groupId },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new AutomationError(`Group mapping ${mapping.name} points at another group; not overwriting it`, {
        retryable: true,
        code: 'MAPPING_CHANGED',
      });
    }
  }

  /**
   * Replaces a mapping with `next` only if it is still as seen: the same owner of an unfinished intent (a take-over
   * once that owner's time ran out), or the same group id (a group an admin deleted, made again). True if replaced.
   */
  async replaceGroup(networkId: string, seen: GroupMapping, next: GroupMapping): Promise<boolean> {
    const [condition, values] = seen.groupId
      ? ['mapping.groupId = :seen', { ':seen': seen.groupId }]
      : seen.owner
        ? ['mapping.#owner = :seen AND attribute_not_exists(mapping.groupId)', { ':seen': seen.owner }]
        : ['attribute_not_exists(mapping.#owner) AND attribute_not_exists(mapping.groupId)', {}];
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: pk(networkId), sk: groupSk(next.name) },
          UpdateExpression: 'SET mapping = :next',
          ConditionExpression: `attribute_exists(pk) AND ${condition}`,
          ...(seen.groupId ? {} : { ExpressionAttributeNames: { '#owner': 'owner' } }),
          ExpressionAttributeValues: { ':next': next, ...values },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return false;
    }
  }
}
