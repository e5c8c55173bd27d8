/**
 * The local event bus: a PutEvents-compatible endpoint (awsJson1.1, `AWSEvents.PutEvents`) that routes each
 * event by the rules of serverless.yml to its targets — functions, with Lambda's async-invoke semantics (function
 * errors retried, what still fails goes to the function's failure queue), and SQS queues. The same endpoint
 * serves the local SQS (awsJson1.0, `AmazonSQS.*`) and control routes under `/_local/`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { accountPlaceholder, regionPlaceholder, schedulerInput } from '../../rotation-scheduler.js';
import { deniedBy as deniedByPolicy } from '../iam/resource-policy.js';
import { InvocationLog, type InvocationRecord } from '../lambda/invocation-log.js';
import type { FunctionStats, LambdaFunction } from '../lambda/lambda-function.js';
import type { QueueSourceStats, SqsEventSource } from '../lambda/sqs-event-source.js';
import { isLoopbackHost, readBody } from '../read-body.js';
import { nextFireTime } from '../scheduler/next-fire-time.js';
import type { LocalService, RuleTarget } from '../serverless-config.js';
import { LocalSqs, type QueueMessageView, SqsError } from '../sqs/local-sqs.js';
import { verifySigV4 } from '../wickr-emulator/sigv4-verifier.js';
import { deniedBy } from './bus-policy.js';
import { matchesPattern } from './event-pattern.js';
import { transformInput } from './input-transformer.js';
import { redriveVerdict } from './redrive-check.js';

export type { InvocationRecord } from '../lambda/invocation-log.js';

/** The local control plane's routes, as `GET /_local/` lists them. */
const localRoutes = [
  'GET /_local/ — this list',
  'GET /_local/invocations — every invocation: function, trigger, event id, attempt, outcome, error, environment',
  'GET /_local/events — every event put on a bus, with the rules it matched',
  'GET /_local/notifications — what the notification rule would have sent its SNS topic (SNS is not emulated)',
  'GET /_local/failures — the messages in the failure and dead-letter queues',
  'POST /_local/failures/redrive — put their events back on the bus, or {"messageIds": […]} only, as {"accessKeyId"} (default local)',
  'DELETE /_local/failures — empty the failure and dead-letter queues',
  'GET /_local/stats — invocations, cold starts, peak environments, throttles; batches per SQS source',
  'GET /_local/whoami?accessKeyId=KEY — the principal a key stands for (--identity)',
  "GET /_local/dynamodb/authorize?accessKeyId=KEY&action=dynamodb:PutItem&leadingKey=K — the tables' resource policies' verdict",
  'GET /_local/schedules — the schedules and their next fire time',
  'POST /_local/schedules/{name}/fire — fire one now, or at {"time": ISO}',
  'POST /_local/delays/expire — make delayed SQS messages (the HR unmatched checks) visible now',
  'POST /_local/drain — wait until nothing is pending',
  'POST /_local/service-events — an AWS service or partner puts {"Entries": […]} (aws.* sources) on the default or a partner bus',
];
type TopicTarget = Extract<RuleTarget, { kind: 'topic' }>;

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

/** How the local bus behaves. */
export interface LocalEventBusOptions {
  readonly service: LocalService;
  readonly functions: ReadonlyMap<string, LambdaFunction>;
  /** The queues its rules and functions send to; the service's own queues when absent. */
  readonly sqs?: LocalSqs;
  readonly log?: InvocationLog;
  /** The event source mappings, for drain and stats. */
  readonly queueSources?: () => readonly SqsEventSource[];
  readonly region?: string;
  readonly accountId?: string;
  /** Waits before each retry of a failed invocation; Lambda waits about 1 and 2 minutes. */
  readonly retryDelaysMs?: readonly number[];
  readonly port?: number;
  /**
   * Who a SigV4 access key id is (principal ARN), for the bus policy. An access key not listed is a principal
   * of the account named after it, and so is refused wherever the policy names its publishers.
   */
  readonly identities?: ReadonlyMap<string, string>;
  /**
   * Secret access keys of mapped identities: a request signed with one of these keys must carry a valid signature
   * (`--identity KEY:SECRET=ARN`). A key without a secret is trusted as it is named, as before.
   */
  readonly secrets?: ReadonlyMap<string, string>;
  /**
   * The SSM stand-in's parameters (name → value): `GetParameter` as the webhook reads its secrets, `PutParameter` as an
   * operator rotates one (SecureStrings; versions counted, no history kept).
   */
  readonly ssmParameters?: Map<string, string> | undefined;
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
  readonly events: BusEventRecord[] = [];
  /** What SNS targets would have been sent, in order. */
  readonly notifications: { topicArn: string; rule: string; eventId: string; message: string }[] = [];
  readonly #pending = new Set<Promise<void>>();
  readonly #region: string;
  readonly #account: string;
  readonly #retryDelaysMs: readonly number[];
  readonly #sqs: LocalSqs;
  readonly #log: InvocationLog;
  #server: Server | undefined;
  #endpoint = '';
  readonly #startedAt = new Date();
  readonly #ruleBuses: ReadonlySet<string>;
  readonly #ssmVersions = new Map<string, number>();

  constructor(private readonly options: LocalEventBusOptions) {
    this.#region = options.region ?? 'us-east-1';
    this.#account = options.accountId ?? '000000000000';
    this.#ruleBuses = new Set(options.service.rules.map((r) => r.eventBus));
    this.#retryDelaysMs = options.retryDelaysMs ?? [100, 200];
    this.#sqs =
      options.sqs ??
      new LocalSqs({
        queues: options.service.queues,
        region: this.#region,
        accountId: this.#account,
        endpoint: () => this.#endpoint,
      });
    this.#log = options.log ?? new InvocationLog();
  }

  /** The principal a request's SigV4 credential names. */
  principalOf(authorization: string | undefined): string {
    const accessKeyId = authorization?.match(/Credential=([^/,\s]+)\//)?.[1] ?? 'anonymous';
    return this.options.identities?.get(accessKeyId) ?? `arn:aws:iam::${this.#account}:user/${accessKeyId}`;
  }

  /** Why a request signed with a key whose secret is known fails its signature check, or undefined. */
  async #checkSignature(req: IncomingMessage, url: URL, raw: string, service: string): Promise<string | undefined> {
    const accessKeyId = req.headers.authorization?.match(/Credential=([^/,\s]+)\//)?.[1];
    const secretAccessKey = accessKeyId ? this.options.secrets?.get(accessKeyId) : undefined;
    if (!accessKeyId || !secretAccessKey) return undefined;
    return verifySigV4(
      {
        method: req.method ?? 'POST',
        path: url.pathname,
        rawQuery: url.search.slice(1),
        headers: req.headers,
        body: raw,
      },
      { accessKeyId, secretAccessKey },
      service,
    );
  }

  /** Every invocation so far, whatever triggered it. */
  get invocations(): InvocationRecord[] {
    return this.#log.records;
  }

  /** `http://127.0.0.1:PORT`, once listening. */
  get endpoint(): string {
    return this.#endpoint;
  }

  /** The URL a function uses to send to a queue, by its logical id. */
  queueUrl(logicalId: string): string {
    return this.#sqs.queueUrl(logicalId);
  }

  /** Accepts entries as PutEvents does: validates each, answers per entry, and routes the accepted ones. */
  putEvents(
    entries: readonly Record<string, unknown>[],
    principalArn = `arn:aws:iam::${this.#account}:root`,
  ): { FailedEntryCount: number; Entries: EntryResult[] } {
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
    // The bus policy: an explicit deny for any entry on our bus refuses the whole request, and nothing is delivered.
    const ours = entries.filter((e) => busNameOf(e.EventBusName) === this.options.service.busName);
    const sources = ours.map((e) => String(e.Source ?? ''));
    const busArn = `arn:aws:events:${this.#region}:${this.#account}:event-bus/${this.options.service.busName}`;
    if (ours.length > 0 && deniedBy(this.options.service.busPolicy, { principalArn, sources, busArn })) {
      throw new AwsJsonError(
        'AccessDeniedException',
        `User: ${principalArn} is not authorized to perform: events:PutEvents on resource: arn:aws:events:${this.#region}:${this.#account}:event-bus/${this.options.service.busName} with an explicit deny in a resource-based policy`,
      );
    }
    const results = entries.map((entry) => this.#accept(entry, 'caller'));
    return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
  }

  /**
   * Entries an AWS service (GuardDuty, Security Hub, S3) or a partner (Okta, PagerDuty) puts on the default bus or a
   * partner bus: the `aws.*` sources no PutEvents caller may use. The control plane's `POST /_local/service-events`.
   */
  putServiceEvents(entries: readonly Record<string, unknown>[]): { FailedEntryCount: number; Entries: EntryResult[] } {
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10) {
      throw new AwsJsonError('ValidationException', 'Entries must be a list of 1 to 10 entries');
    }
    const results = entries.map((entry) => {
      const bus = busNameOf(entry.EventBusName);
      if (bus === this.options.service.busName) {
        return {
          ErrorCode: 'InvalidArgument',
          ErrorMessage: 'AWS services and partners put on the default or a partner bus',
        };
      }
      return this.#accept(entry, 'service');
    });
    return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
  }

  #accept(entry: Record<string, unknown>, from: 'caller' | 'service'): EntryResult {
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
    if (busName !== 'default' && busName !== this.options.service.busName && !this.#ruleBuses.has(busName)) {
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
    for (const rule of rules) {
      const { target } = rule;
      if (target.kind === 'function') this.#track(this.#invokeAsync(rule.name, target.functionName, event));
      else if (target.kind === 'topic') this.#toTopic(rule.name, rule.eventBus, target, event);
      else {
        const input = target.inputPath ? pick(event, target.inputPath) : event;
        this.#toQueue(target.queue, input, rule.deadLetterQueue, this.#ruleArn(rule.eventBus, rule.name));
      }
    }
  }

  /** What an SNS target would have been sent (SNS is not emulated): the transformed input, kept in order. */
  #toTopic(ruleName: string, bus: string, target: TopicTarget, event: DeliveredEvent): void {
    const ruleArn = this.#ruleArn(bus, ruleName);
    const message = target.inputTransformer
      ? transformInput(event, target.inputTransformer, { ruleName, ruleArn, ingestionTime: event.time })
      : JSON.stringify(event);
    this.notifications.push({ topicArn: target.topicArn, rule: ruleName, eventId: event.id, message });
  }

  #ruleArn(bus: string, name: string): string {
    return `arn:aws:events:${this.#region}:${this.#account}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;
  }

  /**
   * An SQS target: the event (or the part `InputPath` names) as the message body, sent by EventBridge on the rule's
   * behalf (so the queue's policy sees `aws:SourceArn`); undeliverable → the rule's DLQ.
   */
  #toQueue(queue: string, input: unknown, deadLetterQueue: string | undefined, ruleArn: string): void {
    const caller = { sourceArn: ruleArn, sourceAccount: this.#account };
    try {
      this.#sqs.send(queue, JSON.stringify(input), 0, caller);
    } catch (error) {
      if (!deadLetterQueue) throw error;
      this.#sqs.send(deadLetterQueue, JSON.stringify(input), 0, caller);
    }
  }

  #track(work: Promise<void>): void {
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
  }

  async #invokeAsync(trigger: string, functionName: string, event: DeliveredEvent): Promise<void> {
    const fn = this.options.functions.get(functionName);
    if (!fn) throw new Error(`${trigger} targets unknown function ${functionName}`);
    const attempts = 1 + fn.definition.maximumRetryAttempts;
    const requestId = randomUUID();
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const invocation = await fn.invoke(event, requestId);
      this.#log.add(invocation, {
        functionName,
        trigger,
        eventId: event.id,
        detailType: event['detail-type'],
        attempt,
        requestId,
      });
      const { result } = invocation;
      if (result.ok) return;
      if (attempt < attempts) {
        await new Promise((r) => setTimeout(r, this.#retryDelaysMs[attempt - 1] ?? this.#retryDelaysMs.at(-1) ?? 0));
        continue;
      }
      // What Lambda's on-failure destination receives, sent as the function's role.
      const queue = fn.definition.failureQueue;
      if (queue) {
        this.#sqs.send(
          queue,
          JSON.stringify({
            version: '1.0',
            timestamp: new Date().toISOString(),
            requestContext: {
              requestId,
              functionArn: `arn:aws:lambda:${this.#region}:${this.#account}:function:${functionName}`,
              condition: 'RetriesExhausted',
              approximateInvokeCount: attempts,
            },
            requestPayload: event,
            responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
            responsePayload: { errorType: result.error.name, errorMessage: result.error.message },
          }),
          0,
          { principalArn: fn.definition.roleArn },
        );
      }
    }
  }

  /**
   * An AWS service's own event (S3's `Object Created`, say) on a bus, routed by the rules there: what the service
   * does on AWS, where no PutEvents caller is involved.
   */
  putServiceEvent(busName: string, source: string, detailType: string, detail: object, resources: string[]): string {
    const event: DeliveredEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source,
      account: this.#account,
      time: isoSeconds(new Date()),
      region: this.#region,
      resources,
      detail: detail as DeliveredEvent['detail'],
    };
    this.#route(event, busName);
    return event.id;
  }

  /**
   * Fires a schedule at `time` (now by default): a Scheduler schedule delivers its input with the context
   * attributes filled in (`<aws.scheduler.scheduled-time>` …), a schedule rule the `Scheduled Event` envelope.
   */
  fireSchedule(name: string, time: Date = new Date()): DeliveredEvent {
    const schedule = this.options.service.schedules.find((s) => s.name === name);
    if (!schedule) {
      const names = this.options.service.schedules.map((s) => s.name).join(', ');
      throw new AwsJsonError('ResourceNotFoundException', `Schedule ${name} does not exist; schedules: ${names}`, 404);
    }
    if (schedule.kind === 'scheduler') {
      const input = JSON.parse(
        schedulerInput
          .replace(accountPlaceholder, this.#account)
          .replace(regionPlaceholder, this.#region)
          .replace('<aws.scheduler.execution-id>', randomUUID())
          .replace('<aws.scheduler.scheduled-time>', isoSeconds(time))
          .replace(
            '<aws.scheduler.schedule-arn>',
            `arn:aws:scheduler:${this.#region}:${this.#account}:schedule/default/${name}`,
          ),
      ) as DeliveredEvent;
      this.events.push({ event: input, busName: 'scheduler', matchedRules: [name] });
      this.#track(this.#invokeAsync(name, schedule.functionName, input));
      return input;
    }
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
    this.#track(this.#invokeAsync(name, schedule.functionName, (schedule.input as DeliveredEvent) ?? event));
    return event;
  }

  /**
   * Resolves once no invocation or retry is pending and every queue a function polls is empty, including the
   * work the drained invocations caused.
   */
  async drain(): Promise<void> {
    for (;;) {
      while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
      const sources = this.options.queueSources?.() ?? [];
      if (sources.every((s) => s.idle()) && this.#pending.size === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Queues no function polls: failure queues and dead-letter queues. */
  #failureQueues(): string[] {
    const polled = new Set((this.options.queueSources?.() ?? []).map((s) => s.source.queue));
    return this.#sqs.logicalIds().filter((q) => !polled.has(q));
  }

  /** Every message waiting in a failure or dead-letter queue, with the queue it is in. */
  failures(): QueueMessageView[] {
    return this.#failureQueues().flatMap((q) => this.#sqs.messages(q));
  }

  /** Takes every message out of the failure queues, as an operator does before redriving them. */
  takeFailures(): QueueMessageView[] {
    const taken = this.failures();
    for (const queue of this.#failureQueues()) this.#sqs.purge(queue);
    return taken;
  }

  /**
   * Puts the events waiting in the failure queues back on their bus, as an operator redrives them: the event of a
   * Lambda destination record, of a refusal, or a dead-letter queue's event itself — only where the queue's own
   * function would accept it (`redrive-check.ts`), never an override. A refused event fails the same way again (and
   * says so in its failure queue). Messages without a redrivable event, and those the bus refuses, stay.
   */
  redriveFailures(
    messageIds?: readonly string[],
    principalArn = `arn:aws:iam::${this.#account}:user/local`,
  ): {
    redriven: number;
    kept: number;
    refused: { messageId: string; reason: string }[];
  } {
    let redriven = 0;
    let kept = 0;
    const refused: { messageId: string; reason: string }[] = [];
    for (const message of this.takeFailures()) {
      const keep = () => {
        this.#sqs.send(message.queue, JSON.stringify(message.body));
        kept++;
      };
      if (messageIds && !messageIds.includes(message.messageId)) {
        keep();
        continue;
      }
      const verdict = redriveVerdict(this.options.service, message.queue, message.body);
      if (!verdict.redrive) {
        refused.push({ messageId: message.messageId, reason: verdict.reason });
        keep();
        continue;
      }
      const { event } = verdict;
      try {
        const entry = {
          EventBusName: verdict.bus,
          Source: event.source,
          DetailType: event['detail-type'],
          Detail: JSON.stringify(event.detail ?? {}),
          ...(event.time ? { Time: Date.parse(event.time) / 1000 } : {}),
        };
        // A service's event (GuardDuty's, Security Hub's) cannot be put by a caller: an operator asks the service
        // to send it again (a finding's update); locally the control plane does that.
        const answer = event.source.startsWith('aws.')
          ? this.putServiceEvents([entry])
          : this.putEvents([entry], principalArn);
        if (answer.FailedEntryCount > 0) throw new Error(answer.Entries[0]?.ErrorMessage ?? 'refused');
        redriven++;
      } catch (error) {
        refused.push({ messageId: message.messageId, reason: (error as Error).message });
        keep();
      }
    }
    return { redriven, kept, refused };
  }

  /** Per function: invocations, cold starts, peak concurrent environments; per queue source: batches. */
  stats(): { functions: Record<string, FunctionStats>; queueSources: Record<string, QueueSourceStats> } {
    return {
      functions: Object.fromEntries([...this.options.functions].map(([name, fn]) => [name, fn.stats()])),
      queueSources: Object.fromEntries(
        (this.options.queueSources?.() ?? []).map((s) => [`${s.source.queue}→${s.source.functionName}`, s.stats()]),
      ),
    };
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://bus');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...headers });
      res.end(text);
    };
    let raw: string;
    try {
      raw = await readBody(req, maxRequestBytes * 4);
    } catch (error) {
      return json(413, { __type: 'RequestEntityTooLarge', message: (error as Error).message });
    }
    try {
      if (url.pathname.startsWith('/_local/')) {
        if (!isLoopbackHost(req.headers.host)) {
          return json(403, { message: 'The local control plane answers requests to 127.0.0.1 or localhost only' });
        }
        if (req.method === 'GET' && url.pathname === '/_local/') return json(200, { routes: localRoutes });
        let control: { time?: unknown } | undefined;
        try {
          control = raw ? (JSON.parse(raw) as { time?: unknown }) : undefined;
        } catch {
          return json(400, { message: 'The body is not JSON', reasons: [{ field: 'body', reason: 'must be JSON' }] });
        }
        const schedule = url.pathname.match(/^\/_local\/schedules\/([^/]+)\/fire$/);
        if (req.method === 'POST' && schedule?.[1]) {
          const at = control?.time;
          if (at !== undefined && (typeof at !== 'string' || Number.isNaN(Date.parse(at)))) {
            return json(400, {
              message: 'Invalid time',
              reasons: [{ field: 'time', reason: 'must be an ISO 8601 date-time' }],
            });
          }
          return json(200, this.fireSchedule(decodeURIComponent(schedule[1]), at ? new Date(at) : undefined));
        }
        if (req.method === 'GET' && url.pathname === '/_local/schedules') {
          const now = new Date();
          return json(200, {
            schedules: this.options.service.schedules.map((s) => ({
              name: s.name,
              functionName: s.functionName,
              kind: s.kind,
              expression: s.expression,
              timeZone: s.timeZone,
              nextFireTime: nextFireTime(s.expression, s.timeZone, now, this.#startedAt)?.toISOString() ?? null,
            })),
          });
        }
        if (req.method === 'POST' && url.pathname === '/_local/delays/expire') {
          // Delayed messages (the HR consumer's unmatched checks wait up to 15 minutes) become visible now.
          const released = this.#sqs.logicalIds().reduce((n, q) => n + this.#sqs.expediteDelays(q), 0);
          return json(200, { released });
        }
        if (req.method === 'POST' && url.pathname === '/_local/service-events') {
          const entries = (control as { Entries?: unknown } | undefined)?.Entries;
          if (!Array.isArray(entries)) {
            return json(400, { message: 'Invalid body', reasons: [{ field: 'Entries', reason: 'must be a list' }] });
          }
          return json(200, this.putServiceEvents(entries as Record<string, unknown>[]));
        }
        if (req.method === 'POST' && url.pathname === '/_local/drain') {
          await this.drain();
          return json(200, { drained: true });
        }
        if (req.method === 'GET' && url.pathname === '/_local/invocations')
          return json(200, { invocations: this.invocations });
        if (req.method === 'GET' && url.pathname === '/_local/events') return json(200, { events: this.events });
        if (req.method === 'GET' && url.pathname === '/_local/notifications')
          return json(200, { notifications: this.notifications });
        if (req.method === 'GET' && url.pathname === '/_local/failures')
          return json(200, { failures: this.failures() });
        if (req.method === 'POST' && url.pathname === '/_local/failures/redrive') {
          const ids = (control as { messageIds?: unknown } | undefined)?.messageIds;
          if (ids !== undefined && !(Array.isArray(ids) && ids.every((id) => typeof id === 'string'))) {
            return json(400, {
              message: 'Invalid body',
              reasons: [{ field: 'messageIds', reason: 'must be a list of message ids' }],
            });
          }
          // As the operator who asks (`accessKeyId`, default `local`): the bus policy applies to them.
          const key = String((control as { accessKeyId?: unknown } | undefined)?.accessKeyId ?? 'local').slice(0, 128);
          return json(200, this.redriveFailures(ids as string[] | undefined, this.principalOf(`Credential=${key}/`)));
        }
        if (req.method === 'DELETE' && url.pathname === '/_local/failures')
          return json(200, { cleared: this.takeFailures().length });
        if (req.method === 'GET' && url.pathname === '/_local/stats') return json(200, this.stats());
        if (req.method === 'GET' && url.pathname === '/_local/whoami') {
          // The principal an access key stands for (the ops CLI names it in the break-glass's audit entries).
          const key = (url.searchParams.get('accessKeyId') ?? 'local').slice(0, 128);
          return json(200, { principalArn: this.principalOf(`Credential=${key}/`) });
        }
        if (req.method === 'GET' && url.pathname === '/_local/dynamodb/authorize') {
          // The local DynamoDB has no resource policies: the stack answers for its tables' explicit denies, so the
          // cockpit refuses a write AWS would refuse (a hold's decision by anyone but the operators).
          const key = (url.searchParams.get('accessKeyId') ?? 'local').slice(0, 128);
          const table = (url.searchParams.get('table') ?? 'StateTable').slice(0, 64);
          const action = (url.searchParams.get('action') ?? '').slice(0, 64);
          const leadingKeys = url.searchParams.getAll('leadingKey').map((k) => k.slice(0, 256));
          const principalArn = this.principalOf(`Credential=${key}/`);
          const denied = deniedByPolicy(
            this.options.service.tablePolicies.get(table) ?? [],
            action,
            `arn:aws:dynamodb:${this.#region}:${this.#account}:table/${table}`,
            { principalArn, leadingKeys },
          );
          return json(200, { principalArn, allowed: !denied, deniedBy: denied?.Sid });
        }
        return json(404, { message: `No local control route ${req.method} ${url.pathname}`, routes: localRoutes });
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const refusedSignature = await this.#checkSignature(
        req,
        url,
        raw,
        target.startsWith('AmazonSQS.') ? 'sqs' : target.startsWith('AmazonSSM.') ? 'ssm' : 'events',
      );
      if (refusedSignature) throw new AwsJsonError('InvalidSignatureException', refusedSignature, 403);
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      if (target === 'AWSEvents.PutEvents') {
        const principal = this.principalOf(req.headers.authorization);
        return json(200, this.putEvents(body.Entries as Record<string, unknown>[], principal), {
          'content-type': 'application/x-amz-json-1.1',
        });
      }
      if (target === 'AmazonSSM.PutParameter') {
        const name = String(body.Name ?? '');
        const parameters = this.options.ssmParameters;
        if (!parameters || !/^[\w./-]{1,2048}$/.test(name) || typeof body.Value !== 'string') {
          throw new AwsJsonError('ValidationException', 'Name and Value are required');
        }
        if (parameters.has(name) && body.Overwrite !== true) {
          throw new AwsJsonError(
            'ParameterAlreadyExists',
            'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
          );
        }
        const version = (this.#ssmVersions.get(name) ?? 0) + 1;
        this.#ssmVersions.set(name, version);
        parameters.set(name, body.Value);
        return json(200, { Version: version, Tier: 'Standard' }, { 'content-type': 'application/x-amz-json-1.1' });
      }
      if (target === 'AmazonSSM.GetParameter') {
        // SSM Parameter Store's GetParameter, for SecureStrings: the value decrypted only when asked.
        const name = String(body.Name ?? '');
        const value = this.options.ssmParameters?.get(name);
        if (value === undefined) throw new AwsJsonError('ParameterNotFound', `Parameter ${name} not found.`);
        const parameter = {
          Name: name,
          Type: 'SecureString',
          Value: body.WithDecryption === true ? value : Buffer.from(`encrypted:${name}`).toString('base64'),
          Version: this.#ssmVersions.get(name) ?? 1,
          ARN: `arn:aws:ssm:${this.#region}:${this.#account}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
        };
        return json(200, { Parameter: parameter }, { 'content-type': 'application/x-amz-json-1.1' });
      }
      if (target.startsWith('AmazonSQS.')) {
        const caller = { principalArn: this.principalOf(req.headers.authorization) };
        const answer = await this.#sqs.handle(target.slice('AmazonSQS.'.length), body, caller);
        return json(200, answer, { 'content-type': 'application/x-amz-json-1.0' });
      }
      throw new AwsJsonError('UnknownOperationException', `The local bus does not serve ${target || 'this request'}`);
    } catch (error) {
      if (error instanceof SqsError) {
        return json(
          error.status,
          { __type: `com.amazonaws.sqs#${error.type}`, message: error.message },
          { 'x-amzn-query-error': `${error.queryError};Sender` },
        );
      }
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
    // Clients keep sockets alive between calls (the SDK, fetch): a longer idle timeout than Node's 5 s, as AWS
    // endpoints allow, so a reused socket is not closed under a request that is on its way.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
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

/** The bus an entry names, by name or ARN; `default` when it names none. */
function busNameOf(value: unknown): string {
  const text = String(value ?? 'default');
  // A partner bus's name has slashes of its own (`aws.partner/okta.com/acme/wickr`): an ARN's name is all after `event-bus/`.
  const name = text.startsWith('arn:') ? text.slice(text.indexOf(':event-bus/') + 11) : text;
  return name || 'default';
}

/** The part of an event a rule target's `InputPath` names (`$` or `$.a.b`, the forms rules use). */
function pick(event: unknown, path: string): unknown {
  if (path === '$') return event;
  let node: unknown = event;
  for (const key of path.replace(/^\$\./, '').split('.')) node = (node as Record<string, unknown> | null)?.[key];
  return node;
}
