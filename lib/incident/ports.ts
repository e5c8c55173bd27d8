/** Publishes an outcome event to the project's bus. */
export interface OutcomePublisher {
  publish(detailType: string, detail: Readonly<Record<string, unknown>>): Promise<void>;
}

/** Runs a business step at most once per key, returning the first run's result to every repeat. */
export interface Idempotency {
  once<T extends Record<string, unknown>>(key: Readonly<Record<string, string>>, work: () => Promise<T>): Promise<T>;
}

/** Where decisions are logged; ids and decisions only, never personal data. */
export interface DecisionLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}

/** The invocation a step runs in. */
export interface Invocation {
  readonly requestId: string;
  readonly remainingMs: () => number;
}
