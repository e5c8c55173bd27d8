import type { OutcomeChain } from '../audit/outcome-chain.js';
import { AutomationError } from '../failure.js';
import { awsJson } from './aws-json.js';
import { headlineOf } from './outcome-headline.js';

/** A failure to publish an outcome event. */
export class OutcomePublishError extends AutomationError {
  override name = 'OutcomePublishError';
  constructor(message: string) {
    // EventBridge refusing an entry now (throttling, a bad moment) may accept it on the retry.
    super(message, { retryable: true, code: 'PUBLISH_FAILED' });
  }
}

// PutEvents refuses requests over 256 KB; keep a wide margin for the other fields and for multi-byte text.
const maxDetailBytes = 200 * 1024;

type Detail = Readonly<Record<string, unknown>>;

/** The longest list in a detail, at the top level or one level down (e.g. `groups`, `plan.groups`). */
function largestList(detail: Detail): { path: string[]; items: unknown[] } | undefined {
  let best: { path: string[]; items: unknown[] } | undefined;
  const consider = (path: string[], value: unknown) => {
    if (
      Array.isArray(value) &&
      value.length > 1 &&
      (!best || JSON.stringify(value).length > JSON.stringify(best.items).length)
    ) {
      best = { path, items: value };
    }
  };
  for (const [key, value] of Object.entries(detail)) {
    consider([key], value);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, v] of Object.entries(value)) consider([key, inner], v);
    }
  }
  return best;
}

function withList(detail: Detail, path: string[], items: unknown[]): Detail {
  const [head, inner] = path as [string, string?];
  if (inner === undefined) return { ...detail, [head]: items };
  return { ...detail, [head]: { ...(detail[head] as Record<string, unknown>), [inner]: items } };
}

/**
 * Splits a detail too large for one event into parts that each fit, dividing its longest list (a per-group
 * diff of 1,000 groups does not fit in one event). Every part repeats the other fields and says which part it is.
 */
export function splitDetail(detail: Detail, limit = maxDetailBytes): Detail[] {
  if (Buffer.byteLength(JSON.stringify(detail)) <= limit) return [detail];
  const list = largestList(detail);
  if (!list)
    throw new OutcomePublishError(`An outcome detail of ${JSON.stringify(detail).length} bytes has no list to split`);
  const half = Math.ceil(list.items.length / 2);
  return [
    ...splitDetail(withList(detail, list.path, list.items.slice(0, half)), limit),
    ...splitDetail(withList(detail, list.path, list.items.slice(half)), limit),
  ];
}

/**
 * Publishes outcome events (`Wickr Lockdown Applied`, …) to the project's bus; with `chain`, each part carries the
 * next link of this environment's outcome chain (lib/audit/outcome-chain.ts).
 */
export class EventBridgeOutcomePublisher {
  constructor(
    private readonly putEvents: PutEvents,
    private readonly busName: string,
    private readonly source: string,
    /** Who acted, named in every outcome event for the audit trail: the function. */
    private readonly actor?: string,
    private readonly chain?: OutcomeChain,
  ) {}

  async #put(detailType: string, detail: Detail): Promise<void> {
    const answer = await this.putEvents([
      { EventBusName: this.busName, Source: this.source, DetailType: detailType, Detail: JSON.stringify(detail) },
    ]);
    const failed = answer.Entries?.[0];
    if ((answer.FailedEntryCount ?? 0) > 0) {
      throw new OutcomePublishError(`Could not publish ${detailType}: ${failed?.ErrorCode} ${failed?.ErrorMessage}`);
    }
  }

  async publish(detailType: string, detail: Detail): Promise<void> {
    // Every part carries the headline the notification rule's card shows.
    const headline = headlineOf(detailType, detail);
    const parts = splitDetail({ ...detail, ...(this.actor ? { actor: this.actor } : {}), headline });
    for (const [index, part] of parts.entries()) {
      const numbered = parts.length > 1 ? { ...part, part: { index: index + 1, count: parts.length } } : part;
      if (this.chain) await this.chain.append(detailType, numbered, (linked) => this.#put(detailType, linked));
      else await this.#put(detailType, numbered);
    }
  }
}

/** An entry of PutEvents, in the API's members (`Time` sent as epoch seconds, as the JSON protocol has it). */
export interface PutEventsEntry {
  readonly EventBusName: string;
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly Time?: Date | undefined;
}

/** PutEvents' answer: an entry per entry sent, in order, with its event id or its error. */
export interface PutEventsOutput {
  readonly FailedEntryCount?: number;
  readonly Entries?: readonly { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[];
}

/** EventBridge's PutEvents. */
export type PutEvents = (entries: readonly PutEventsEntry[]) => Promise<PutEventsOutput>;

/**
 * PutEvents on the bus of `region`, or on the local bus when an endpoint is given, signing with `accessKeyId` there
 * (the local bus knows the function's role by it).
 */
export function eventBridgePutEvents(region: string, endpoint?: string, accessKeyId = 'local'): PutEvents {
  const call = awsJson('events', {
    region,
    endpoint,
    ...(endpoint ? { credentials: { accessKeyId, secretAccessKey: 'local' } } : {}),
  });
  return (entries) =>
    call<PutEventsOutput>('PutEvents', {
      Entries: entries.map(({ Time, ...entry }) => (Time ? { ...entry, Time: Time.getTime() / 1000 } : entry)),
    });
}
