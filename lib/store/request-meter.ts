import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AutomationError } from '../failure.js';
import { isConditionFailure } from './dynamodb-client.js';

/** The meter could not hand out slots. */
export class RequestMeterError extends AutomationError {
  override name = 'RequestMeterError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, { retryable: true, code: 'METER_BUSY' }, options);
  }
}

// Each attempt loses only to another environment's reservation, which moved the meter forward.
const maxAttempts = 8;

/**
 * How far ahead of now the meter may legitimately run: every environment of the pool holding a block it has not
 * used yet (9 environments × 200 ms) with plenty of room. A `tat` beyond it was not written by a reservation —
 * someone set it by hand, and waiting for it would starve every lockdown — so it is reset.
 */
export const meterHorizonMs = 30_000;

/**
 * A request rate shared by the environments of several functions, as one item of the state table (`BUDGET#<pool>`):
 * `tat`, the time at which the next free slot starts (the generic cell rate algorithm). A reservation moves it by
 * its slots × interval in one conditional write, so slots never overlap, whoever asks.
 */
export class DynamoRequestMeter {
  readonly #key: { pk: string; sk: string };

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    pool: string,
  ) {
    this.#key = { pk: `BUDGET#${pool}`, sk: 'METER' };
  }

  /** Reserves `slots` consecutive slots; answers when the first starts (epoch ms). */
  async reserve(slots: number, intervalMs: number, nowMs: number): Promise<number> {
    const span = slots * intervalMs;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      // The meter runs ahead of now while the rate is in use: the block starts where the last one ended.
      const busy = await this.#update('SET tat = tat + :span', 'tat BETWEEN :now AND :horizon', {
        ':span': span,
        ':now': nowMs,
        ':horizon': nowMs + meterHorizonMs,
      });
      if (busy !== undefined) return busy - span;
      // Idle since (or poisoned beyond the horizon): the block starts now.
      const idle = await this.#update('SET tat = :end', 'attribute_not_exists(tat) OR tat < :now OR tat > :horizon', {
        ':end': nowMs + span,
        ':now': nowMs,
        ':horizon': nowMs + meterHorizonMs,
      });
      if (idle !== undefined) return nowMs;
    }
    throw new RequestMeterError(`No slot of ${this.#key.pk} after ${maxAttempts} attempts`);
  }

  async #update(expression: string, condition: string, values: Record<string, number>): Promise<number | undefined> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.#key,
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(Attributes?.tat);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw new RequestMeterError(`The meter ${this.#key.pk} failed`, { cause: error });
    }
  }
}
