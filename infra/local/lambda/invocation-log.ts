import type { Invocation } from './lambda-function.js';

/** One attempt to run a function, whatever triggered it. */
export interface InvocationRecord {
  readonly seq: number;
  readonly functionName: string;
  /** The rule, schedule or queue that triggered it. */
  readonly trigger: string;
  /** The EventBridge event id; for an SQS batch, its first message's id. */
  readonly eventId: string;
  readonly detailType: string;
  /** The SQS messages of a batch. */
  readonly messageIds?: readonly string[] | undefined;
  readonly attempt: number;
  readonly requestId: string;
  readonly environmentId: string;
  readonly coldStart: boolean;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationMs: number;
  readonly outcome: 'succeeded' | 'refused' | 'failed';
  readonly error?: { readonly name: string; readonly message: string } | undefined;
  /** For an SQS batch: messages refused (to the failure queue) and failed (back to the queue), with why. */
  readonly items?:
    | {
        readonly total: number;
        readonly failed: number;
        readonly refused: readonly { readonly employeeId?: string | undefined; readonly reason: string }[];
      }
    | undefined;
}

/** What every trigger of the local stack appends to: the record behind `/_local/invocations`. */
export class InvocationLog {
  readonly records: InvocationRecord[] = [];
  #seq = 0;
  readonly #listeners: ((record: InvocationRecord) => void)[] = [];

  /** Calls `listener` with every invocation as it ends (`npm start -- --serve` prints a line for each). */
  onRecord(listener: (record: InvocationRecord) => void): void {
    this.#listeners.push(listener);
  }

  /** Records one invocation as it ran. */
  add(
    invocation: Invocation,
    what: Pick<InvocationRecord, 'functionName' | 'trigger' | 'eventId' | 'detailType' | 'attempt' | 'requestId'> & {
      readonly messageIds?: readonly string[];
    },
  ): InvocationRecord {
    const { result } = invocation;
    const answer = (result.ok ? result.result : undefined) as
      | { status?: unknown; refused?: unknown; batchItemFailures?: unknown }
      | null
      | undefined;
    const refusedItems = Array.isArray(answer?.refused)
      ? (answer.refused as { employeeId?: string; reason: string }[])
      : [];
    const total = what.messageIds?.length ?? 0;
    // A batch all of whose messages were refused is a refusal, as an event refused whole is.
    const refused = answer?.status === 'refused' || (total > 0 && refusedItems.length === total);
    const record: InvocationRecord = {
      seq: ++this.#seq,
      ...what,
      environmentId: invocation.environmentId,
      coldStart: invocation.coldStart,
      startedAt: invocation.startedAt.toISOString(),
      endedAt: invocation.endedAt.toISOString(),
      durationMs: invocation.endedAt.getTime() - invocation.startedAt.getTime(),
      outcome: result.ok ? (refused ? 'refused' : 'succeeded') : 'failed',
      error: result.ok ? (refused ? refusalOf(result.result) : undefined) : result.error,
      ...(what.messageIds && result.ok
        ? {
            items: {
              total,
              failed: Array.isArray(answer?.batchItemFailures) ? answer.batchItemFailures.length : 0,
              refused: refusedItems.map(({ employeeId, reason }) => ({ employeeId, reason })),
            },
          }
        : {}),
    };
    this.records.push(record);
    for (const listener of this.#listeners) listener(record);
    return record;
  }
}

function refusalOf(result: unknown): { name: string; message: string } {
  const { errorType, reason, refused } = (result ?? {}) as { errorType?: unknown; reason?: unknown; refused?: unknown };
  if (Array.isArray(refused)) {
    return { name: 'Refused', message: refused.map((r: { reason: string }) => r.reason).join('; ') };
  }
  return { name: typeof errorType === 'string' ? errorType : 'Refused', message: String(reason ?? '') };
}
