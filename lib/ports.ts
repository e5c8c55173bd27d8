import type { OutcomeType } from './outcomes.js';

/**
 * The cross-cutting ports every capability declares the same way: where outcomes are said, where decisions are
 * logged, and a step done at most once. lib/runtime implements them; tests pass plain objects.
 */

/** Where a use case says what it did: an outcome event on the project's bus, of a type the outcome table lists. */
export interface Publisher {
  publish(detailType: OutcomeType, detail: Readonly<Record<string, unknown>>): Promise<void>;
}

/** Where a use case logs its decisions: ids, counts and reasons only, never names or e-mails. */
export interface DecisionLog {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}

/** Runs a step at most once per key: a retried or duplicated step answers with its first result. */
export type Once = <T extends Record<string, unknown>>(
  key: Readonly<Record<string, string>>,
  work: () => Promise<T>,
) => Promise<T>;
