import { type DynamoDBDocumentClient, GetCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { AutomationError } from '../failure.js';
import { isConditionFailure } from './dynamodb-client.js';

/** A storage failure of the incident state: a write that found its item changed (a later delivery re-reads). */
export class IncidentStateStoreError extends AutomationError {
  override name = 'IncidentStateStoreError';
  constructor(message: string) {
    super(message, { retryable: true, code: 'STATE_CHANGED' });
  }
}

export const networkPk = (networkId: string) => `NETWORK#${networkId}`;
/** The network's desired-state item: the version that moves with every fact, the lease, the watch and sweep. */
export const desiredSk = 'INCIDENTS';

/** Reads and conditional updates of a network's desired-state item, which the facts and the lease share. */
export class DesiredItem {
  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** Updates the item; answers the attributes its `ReturnValues` asks for. */
  async update(
    networkId: string,
    update: Omit<UpdateCommandInput, 'TableName' | 'Key'>,
  ): Promise<Record<string, unknown>> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({ TableName: this.tableName, Key: { pk: networkPk(networkId), sk: desiredSk }, ...update }),
    );
    return Attributes ?? {};
  }

  /** The same, answering undefined instead of throwing when its condition does not hold. */
  async updateIf(
    networkId: string,
    update: Omit<UpdateCommandInput, 'TableName' | 'Key'>,
  ): Promise<Record<string, unknown> | undefined> {
    try {
      return await this.update(networkId, update);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async read(networkId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: networkPk(networkId), sk: desiredSk },
        ConsistentRead: true,
      }),
    );
    return Item;
  }
}
