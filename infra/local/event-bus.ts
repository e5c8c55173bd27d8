/**
 * The local event bus: a PutEvents-compatible endpoint (awsJson1.1, `AWSEvents.PutEvents`) that routes each
 * event by the rules of serverless.yml to its functions, with Lambda's async-invoke semantics (function errors
 * retried, what still fails goes to the function's failure queue). It also answers SQS `SendMessage`
 * (awsJson1.0) for those queues, and serves control endpoints under `/_local/`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { matchesPattern } from './event-pattern.js';
import type { LocalFunction } from './local-function.js';
import { readBody } from './read-body.js';
import type { LocalRule, LocalService } from './serverless-config.js';

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

/** One attempt to run a function for an event. */
export interface InvocationRecord {
  readonly seq: number;
  readonly functionName: string;
  readonly rule: string;
  readonly eventId: string;
  readonly detailType: string;
  readonly attempt: number;
  readonly requestId: string;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly outcome: 'succeeded' | 'refused' | 'failed';
  readonly error?: { readonly name: string; readonly message: string } | undefined;
}

/** An event the bus accepted, and where it went. */
export interface BusEventRecord {
  readonly event: DeliveredEvent;
  readonly busName: string;
  readonly matchedRules: readonly string[];
}

/** A message in one of the local queues. */
export interface QueueMessage {
  readonly queue: string;
  readonly messageId: string;
  readonly sentAt: number;
  readonly body: unknown;
}

/** How the local bus behaves. */
export interface LocalEventBusOptions {
  readonly service: LocalService;
  readonly functions: ReadonlyMap<string, LocalFunction>;
  readonly region?: string;
  readonly accountId?: string;
  /** Waits before each retry of a failed invocation; Lambda waits about 1 and 2 minutes. */
  readonly retryDelaysMs?: readonly number[];
  readonly port?: number;
}

interface EntryResult {
  readonly EventId?: string;
  readonly ErrorCode?: string;
  readonly ErrorMessage?: string;
}

const maxRequestBytes = 256 * 1024;

class AwsJsonError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The local bus. Start it with `listen()`. */
export class LocalEventBus {
  readonly invocations: InvocationRecord[] = [];
  readonly events: BusEventRecord[] = [];
  readonly queues = new Map<string, QueueMessage[]>();
  readonly #pending = new Set<Promise<void>>();
  readonly #region: string;
  readonly #account: string;
  readonly #retryDelaysMs: readonly number[];
  #server: Server | undefined;
  #endpoint = '';
  #seq = 0;

  constructor(private readonly options: LocalEventBusOptions) {
    this.#region = options.region ?? 'us-east-1';
    this.#account = options.accountId ?? '000000000000';
    this.#retryDelaysMs = options.retryDelaysMs ?? [100, 200];
    for (const queue of options.service.queues) this.queues.set(queue, []);
  }

  /** `http://127.0.0.1:PORT`, once listening. */
  get endpoint(): string {
    return this.#endpoint;
  }

  /** The URL a function uses to send to a queue, by its logical id. */
  queueUrl(logicalId: string): string {
    return `${this.#endpoint}/${this.#account}/${logicalId}`;
  }

  /** Accepts entries as PutEvents does: validates each, answers per entry, and routes the accepted ones. */
  putEvents(entries: readonly Record<string, unknown>[]): { FailedEntryCount: number; Entries: EntryResult[] } {
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
    const results = entries.map((entry) => this.#accept(entry));
    return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
  }

  #accept(entry: Record<string, unknown>): EntryResult {
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
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    const busName =
      String(entry.EventBusName ?? 'default')
        .split('/')
        .pop() ?? 'default';
    if (busName !== 'default' && busName !== this.options.service.busName) {
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
    const event: DeliveredEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: this.#account,
      time: isoSeconds(time),
      region: this.#region,
      resources: resources as string[],
      detail,
    };
    this.#route(event, busName);
    return { EventId: event.id };
  }

  #route(event: DeliveredEvent, busName: string): void {
    const rules = this.options.service.rules.filter(
      (r) => r.enabled && r.eventBus === busName && matchesPattern(r.pattern, event),
    );
    this.events.push({ event, busName, matchedRules: rules.map((r) => r.name) });
    for (const rule of rules) this.#track(this.#invokeAsync(rule, event));
  }

  #track(work: Promise<void>): void {
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
  }

  async #invokeAsync(rule: Pick<LocalRule, 'name' | 'functionName'>, event: DeliveredEvent): Promise<void> {
    const fn = this.options.functions.get(rule.functionName);
    if (!fn) throw new Error(`Rule ${rule.name} targets unknown function ${rule.functionName}`);
    const attempts = 1 + fn.definition.maximumRetryAttempts;
    const requestId = randomUUID();
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const startedAt = Date.now();
      const result = await fn.invoke(event, requestId);
      const refused = result.ok && (result.result as { status?: unknown } | null)?.status === 'refused';
      this.invocations.push({
        seq: ++this.#seq,
        functionName: rule.functionName,
        rule: rule.name,
        eventId: event.id,
        detailType: event['detail-type'],
        attempt,
        requestId,
        startedAt,
        durationMs: Date.now() - startedAt,
        outcome: result.ok ? (refused ? 'refused' : 'succeeded') : 'failed',
        error: result.ok ? undefined : result.error,
      });
      if (result.ok) return;
      if (attempt < attempts) {
        await new Promise((r) => setTimeout(r, this.#retryDelaysMs[attempt - 1] ?? this.#retryDelaysMs.at(-1) ?? 0));
        continue;
      }
      // What Lambda's on-failure destination receives.
      const queue = fn.definition.failureQueue;
      if (queue) {
        this.#enqueue(queue, {
          version: '1.0',
          timestamp: new Date().toISOString(),
          requestContext: {
            requestId,
            functionArn: `arn:aws:lambda:${this.#region}:${this.#account}:function:${rule.functionName}`,
            condition: 'RetriesExhausted',
            approximateInvokeCount: attempts,
          },
          requestPayload: event,
          responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
          responsePayload: { errorType: result.error.name, errorMessage: result.error.message },
        });
      }
    }
  }

  #enqueue(queue: string, body: unknown): QueueMessage {
    const messages = this.queues.get(queue);
    if (!messages)
      throw new AwsJsonError('AWS.SimpleQueueService.NonExistentQueue', `The queue ${queue} does not exist.`);
    const message = { queue, messageId: randomUUID(), sentAt: Date.now(), body };
    messages.push(message);
    return message;
  }

  /** Fires a schedule rule as EventBridge Scheduler would at `time` (now by default). */
  fireSchedule(name: string, time: Date = new Date()): DeliveredEvent {
    const schedule = this.options.service.schedules.find((s) => s.name === name);
    if (!schedule) throw new AwsJsonError('ResourceNotFoundException', `Schedule ${name} does not exist.`, 404);
    const event: DeliveredEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: this.#account,
      time: isoSeconds(time),
      region: this.#region,
      resources: [`arn:aws:events:${this.#region}:${this.#account}:rule/${name}`],
      detail: {},
    };
    this.events.push({ event, busName: 'default', matchedRules: [name] });
    this.#track(
      this.#invokeAsync({ name, functionName: schedule.functionName }, (schedule.input as DeliveredEvent) ?? event),
    );
    return event;
  }

  /** Resolves once no invocation or retry is pending, including those the drained ones caused. */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** Every message waiting in a failure queue, with the queue it is in. */
  failures(): QueueMessage[] {
    return [...this.queues.values()].flat();
  }

  /** Takes every message out of the failure queues, as an operator does before redriving them. */
  takeFailures(): QueueMessage[] {
    const taken = this.failures();
    for (const messages of this.queues.values()) messages.length = 0;
    return taken;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://bus');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...headers });
      res.end(text);
    };
    const raw = await readBody(req);
    try {
      if (url.pathname.startsWith('/_local/')) {
        const schedule = url.pathname.match(/^\/_local\/schedules\/([^/]+)\/fire$/);
        if (req.method === 'POST' && schedule?.[1]) {
          const at = raw ? (JSON.parse(raw) as { time?: string }).time : undefined;
          return json(200, this.fireSchedule(decodeURIComponent(schedule[1]), at ? new Date(at) : undefined));
        }
        if (req.method === 'POST' && url.pathname === '/_local/drain') {
          await this.drain();
          return json(200, { drained: true });
        }
        if (req.method === 'GET' && url.pathname === '/_local/invocations')
          return json(200, { invocations: this.invocations });
        if (req.method === 'GET' && url.pathname === '/_local/events') return json(200, { events: this.events });
        if (req.method === 'GET' && url.pathname === '/_local/failures')
          return json(200, { failures: this.failures() });
        return json(404, { message: `No local control route ${req.method} ${url.pathname}` });
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      if (target === 'AWSEvents.PutEvents') {
        return json(200, this.putEvents(body.Entries as Record<string, unknown>[]), {
          'content-type': 'application/x-amz-json-1.1',
        });
      }
      if (target === 'AmazonSQS.SendMessage') {
        const queue =
          String(body.QueueUrl ?? '')
            .split('/')
            .pop() ?? '';
        const text = String(body.MessageBody ?? '');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {}
        const message = this.#enqueue(queue, parsed);
        return json(
          200,
          { MessageId: message.messageId, MD5OfMessageBody: createHash('md5').update(text).digest('hex') },
          {
            'content-type': 'application/x-amz-json-1.0',
          },
        );
      }
      throw new AwsJsonError('UnknownOperationException', `The local bus does not serve ${target || 'this request'}`);
    } catch (error) {
      if (error instanceof AwsJsonError) {
        return json(error.status, { __type: error.type, message: error.message }, { 'x-amzn-errortype': error.type });
      }
      if (error instanceof SyntaxError) {
        return json(400, { __type: 'SerializationException', message: 'The request body is not JSON' });
      }
      return json(500, { __type: 'InternalFailure', message: (error as Error).message });
    }
  }

  /** Starts serving on 127.0.0.1. */
  async listen(): Promise<string> {
    const server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => server.listen(this.options.port ?? 0, '127.0.0.1', resolve));
    this.#server = server;
    this.#endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.#endpoint;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
