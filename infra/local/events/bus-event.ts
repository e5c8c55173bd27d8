/**
 * What the local bus puts on its buses: the envelope EventBridge delivers, the record of where each went, a
 * PutEvents entry checked as EventBridge checks it, and the awsJson errors it answers with.
 */
import { randomUUID } from 'node:crypto';

/** The envelope EventBridge delivers. */
export interface DeliveredEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
}

/** An event the bus accepted, and where it went. */
export interface BusEventRecord {
  readonly event: DeliveredEvent;
  readonly busName: string;
  readonly matchedRules: readonly string[];
}

export interface EntryResult {
  readonly EventId?: string;
  readonly ErrorCode?: string;
  readonly ErrorMessage?: string;
}

/** The most a PutEvents request may carry (the UTF-8 bytes of its entries' fields). */
export const maxRequestBytes = 256 * 1024;

/** An awsJson error answer: its `__type`, message and HTTP status. */
export class AwsJsonError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** A time as EventBridge writes it: whole seconds. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * An entry checked as PutEvents checks it — its fields, a caller's `aws.*` source, its detail, its bus, its time —
 * and made the envelope EventBridge delivers, or the entry's error.
 */
export function eventOfEntry(
  entry: Record<string, unknown>,
  from: 'caller' | 'service',
  where: { readonly account: string; readonly region: string; readonly busExists: (bus: string) => boolean },
): { readonly event: DeliveredEvent; readonly busName: string } | EntryResult {
  const invalid = (name: string, reason: string): EntryResult => ({
    ErrorCode: 'InvalidArgument',
    ErrorMessage: `Parameter ${name} is not valid. Reason: ${reason}`,
  });
  if (typeof entry.Source !== 'string' || entry.Source === '')
    return invalid('Source', 'Source is a required argument.');
  if (typeof entry.DetailType !== 'string' || entry.DetailType === '') {
    return invalid('DetailType', 'DetailType is a required argument.');
  }
  if (typeof entry.Detail !== 'string') return invalid('Detail', 'Detail is a required argument.');
  // As EventBridge: the `aws.` sources belong to AWS services and their partners, never to a PutEvents caller.
  if (from === 'caller' && entry.Source.startsWith('aws.')) {
    return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  const busName = busNameOf(entry.EventBusName);
  // The default bus, ours, and the partner buses our rules are on (on AWS the customer associates those with the
  // partner's source; locally they exist because a rule names them).
  if (!where.busExists(busName)) {
    return { ErrorCode: 'InvalidArgument', ErrorMessage: `Event bus ${busName} does not exist.` };
  }
  const resources = entry.Resources ?? [];
  if (!Array.isArray(resources) || resources.some((r) => typeof r !== 'string')) {
    return invalid('Resources', 'Resources must be a list of strings.');
  }
  const time =
    entry.Time === undefined
      ? new Date()
      : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : String(entry.Time));
  if (Number.isNaN(time.getTime())) return invalid('Time', 'Time is not a timestamp.');
  const fields = { source: entry.Source, detailType: entry.DetailType, detail, resources: resources as string[], time };
  return { event: envelope(fields, where.account, where.region), busName };
}

/** The bus an entry names, by name or ARN; `default` when it names none. */
export function busNameOf(value: unknown): string {
  const text = String(value ?? 'default');
  // A partner bus's name has slashes of its own (`aws.partner/okta.com/acme/wickr`): an ARN's name is all after `event-bus/`.
  const name = text.startsWith('arn:') ? text.slice(text.indexOf(':event-bus/') + 11) : text;
  return name || 'default';
}

/** A PutEvents request's own limits, as EventBridge checks them before any entry: 1–10 entries, 256 KB in all. */
export function checkPutEventsRequest(entries: readonly Record<string, unknown>[]): void {
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10) {
    throw new AwsJsonError(
      'ValidationException',
      "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10",
    );
  }
  // Sized as EventBridge sizes entries: the UTF-8 bytes of their fields, not of their JSON encoding.
  const size = entries.reduce(
    (n, e) =>
      n +
      (e.Time === undefined ? 0 : 14) +
      [e.Source, e.DetailType, e.Detail, ...((e.Resources as unknown[] | undefined) ?? [])].reduce(
        (m: number, f) => m + (typeof f === 'string' ? Buffer.byteLength(f) : 0),
        0,
      ),
    0,
  );
  if (size > maxRequestBytes) {
    throw new AwsJsonError('ValidationException', 'Total size of the entries in the request is over the limit.');
  }
}

/** The envelope EventBridge delivers, with a new id, in `account` and `region`. */
export function envelope(
  e: { source: string; detailType: string; detail: unknown; resources: readonly string[]; time: Date },
  account: string,
  region: string,
): DeliveredEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': e.detailType,
    source: e.source,
    account,
    time: isoSeconds(e.time),
    region,
    resources: e.resources,
    detail: e.detail,
  };
}
