import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { AutomationError } from '../failure.js';
import {
  type Admission,
  admit,
  currentWindow,
  type SafeguardWindows,
  type WindowState,
} from '../holds/safeguard-window.js';
import { isConditionFailure } from './dynamodb-client.js';

const attempts = 8;

/**
 * Safeguard windows in the state table, one item per scope under the capability's partition prefix (its role may
 * write only there). Each admission is a compare-and-set on the window as read, so two reconciles at once never
 * admit more than the limit between them.
 */
export class SafeguardWindowStore implements SafeguardWindows {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** The capability's partition prefix, e.g. `HR#`. */
    private readonly prefix: string,
  ) {}

  async admit(
    scope: string,
    wanted: number,
    nowMs: number,
    floor: number,
    limitFor: () => Promise<number>,
  ): Promise<Admission> {
    const key = { pk: `${this.prefix}SAFEGUARD#${scope}`, sk: 'WINDOW' };
    let limit: number | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const { Item } = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      const state = Item ? (Item.window as WindowState) : undefined;
      let answer = admit(state, wanted, nowMs, floor);
      if (answer.admitted < wanted && !currentWindow(state, nowMs).tripped) {
        limit ??= await limitFor();
        if (limit > floor) answer = admit(state, wanted, nowMs, limit);
      }
      // A window that had tripped already is left as it is: nothing to write.
      if (answer.next === state) return answer;
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...key, window: answer.next, expiration: Math.floor(nowMs / 1000) + 86_400 },
            ...(Item
              ? {
                  ConditionExpression: '#w.startMs = :s AND #w.#c = :c',
                  ExpressionAttributeNames: { '#w': 'window', '#c': 'count' },
                  ExpressionAttributeValues: { ':s': state?.startMs, ':c': state?.count },
                }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          }),
        );
        return answer;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new AutomationError('the safeguard window kept moving under concurrent writes', {
      retryable: true,
      code: 'SAFEGUARD_CONTENDED',
    });
  }
}
