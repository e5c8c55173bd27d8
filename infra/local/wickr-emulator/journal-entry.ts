/** One request the emulator received, as the journal keeps it. */
export interface JournalEntry {
  readonly seq: number;
  readonly at: number;
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** 0 when the connection was dropped. */
  readonly status: number;
  readonly clientToken?: string | undefined;
  readonly body?: unknown;
  /** The injected fault, if any. */
  readonly fault?: string | undefined;
  /** True when a clientToken replay answered with the first response. */
  readonly replayed?: boolean | undefined;
  /** True when the request changed state. */
  readonly applied: boolean;
}
