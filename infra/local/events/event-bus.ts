/**
 * The local event bus: PutEvents (validated as EventBridge validates, the bus policy applied) routing each event by
 * the rules of serverless.yml to its targets — functions (Lambda's async invoke: retried, then the failure queue),
 * SQS queues, SNS topics (recorded) — plus the service events, schedules, failure queues and redrive around it. Its
 * one endpoint (`bus-endpoint.ts`) also serves the local SQS, the SSM stand-in and the control plane.
 */
import { deniedBy as deniedByPolicy } from '../iam/resource-policy.js';
import { invokeAsync } from '../lambda/async-invoke.js';
import { InvocationLog, type InvocationRecord } from '../lambda/invocation-log.js';
import type { FunctionStats } from '../lambda/lambda-function.js';
import type { QueueSourceStats } from '../lambda/sqs-event-source.js';
import { nextFireTime } from '../scheduler/next-fire-time.js';
import { scheduledEvent } from '../scheduler/scheduled-event.js';
import type { RuleTarget } from '../serverless-config.js';
import { LocalSqs, type QueueMessageView } from '../sqs/local-sqs.js';
import { SsmStandIn } from '../ssm/ssm-stand-in.js';
import { BusEndpoint } from './bus-endpoint.js';
import {
  AwsJsonError,
  type BusEventRecord,
  busNameOf,
  checkPutEventsRequest,
  type DeliveredEvent,
  type EntryResult,
  envelope,
  eventOfEntry,
} from './bus-event.js';
import { deniedBy } from './bus-policy.js';
import type { LocalEventBusOptions } from './event-bus-options.js';
import { matchesPattern } from './event-pattern.js';
import { pick, transformInput } from './input-transformer.js';
import { redriveFailures } from './redrive-failures.js';

export type { InvocationRecord } from '../lambda/invocation-log.js';
export type { BusEventRecord, DeliveredEvent } from './bus-event.js';
export type { LocalEventBusOptions } from './event-bus-options.js';

type TopicTarget = Extract<RuleTarget, { kind: 'topic' }>;

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
  readonly #http: BusEndpoint;
  #endpoint = '';
  readonly #startedAt = new Date();
  readonly #ruleBuses: ReadonlySet<string>;
  readonly #ssm: SsmStandIn;

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
    this.#ssm = new SsmStandIn(options.ssmParameters, this.#region, this.#account);
    this.#http = new BusEndpoint({ bus: this, sqs: this.#sqs, ssm: this.#ssm, secrets: options.secrets });
  }

  /** The principal a request's SigV4 credential names. */
  principalOf(authorization: string | undefined): string {
    const accessKeyId = authorization?.match(/Credential=([^/,\s]+)\//)?.[1] ?? 'anonymous';
    return this.options.identities?.get(accessKeyId) ?? `arn:aws:iam::${this.#account}:user/${accessKeyId}`;
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
    checkPutEventsRequest(entries);
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
    const accepted = eventOfEntry(entry, from, {
      account: this.#account,
      region: this.#region,
      busExists: (bus) => bus === 'default' || bus === this.options.service.busName || this.#ruleBuses.has(bus),
    });
    if (!('event' in accepted)) return accepted;
    this.#route(accepted.event, accepted.busName);
    return { EventId: accepted.event.id };
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

  #invokeAsync(trigger: string, functionName: string, event: DeliveredEvent): Promise<void> {
    const fn = this.options.functions.get(functionName);
    if (!fn) throw new Error(`${trigger} targets unknown function ${functionName}`);
    return invokeAsync(fn, event, {
      trigger,
      functionName,
      log: this.#log,
      retryDelaysMs: this.#retryDelaysMs,
      sqs: this.#sqs,
      functionArn: `arn:aws:lambda:${this.#region}:${this.#account}:function:${functionName}`,
    });
  }

  /**
   * An AWS service's own event (S3's `Object Created`, say) on a bus, routed by the rules there: what the service
   * does on AWS, where no PutEvents caller is involved.
   */
  putServiceEvent(busName: string, source: string, detailType: string, detail: object, resources: string[]): string {
    const event = envelope({ source, detailType, detail, resources, time: new Date() }, this.#account, this.#region);
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
    const { event, delivered, busName } = scheduledEvent(schedule, time, this.#account, this.#region);
    this.events.push({ event, busName, matchedRules: [name] });
    this.#track(this.#invokeAsync(name, schedule.functionName, delivered));
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
   * Puts the events waiting in the failure queues back on their bus, as an operator redrives them (`messageIds`:
   * only those), as `principalArn`: see `redrive-failures.ts`.
   */
  redriveFailures(messageIds?: readonly string[], principalArn = `arn:aws:iam::${this.#account}:user/local`) {
    return redriveFailures(this.takeFailures(), {
      messageIds,
      service: this.options.service,
      keep: (message) => this.#sqs.send(message.queue, JSON.stringify(message.body)),
      putEvents: (entries) => this.putEvents(entries, principalArn),
      putServiceEvents: (entries) => this.putServiceEvents(entries),
    });
  }

  /** The schedules, each with its next fire time after `now`. */
  scheduleViews(now: Date) {
    return this.options.service.schedules.map((s) => ({
      name: s.name,
      functionName: s.functionName,
      kind: s.kind,
      expression: s.expression,
      timeZone: s.timeZone,
      nextFireTime: nextFireTime(s.expression, s.timeZone, now, this.#startedAt)?.toISOString() ?? null,
    }));
  }

  /** Makes delayed messages (the HR consumer's unmatched checks wait up to 15 minutes) visible now; how many. */
  expediteDelays(): number {
    return this.#sqs.logicalIds().reduce((n, q) => n + this.#sqs.expediteDelays(q), 0);
  }

  /**
   * What a table's resource policy says of `action` by the principal of `accessKeyId`: the local DynamoDB has none,
   * so the stack answers for its explicit denies, and the cockpit refuses a write AWS would refuse.
   */
  tableVerdict(accessKeyId: string, table: string, action: string, leadingKeys: readonly string[]) {
    const principalArn = this.principalOf(`Credential=${accessKeyId}/`);
    const denied = deniedByPolicy(
      this.options.service.tablePolicies.get(table) ?? [],
      action,
      `arn:aws:dynamodb:${this.#region}:${this.#account}:table/${table}`,
      { principalArn, leadingKeys: [...leadingKeys] },
    );
    return { principalArn, allowed: !denied, deniedBy: denied?.Sid };
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

  /** Starts serving on 127.0.0.1: PutEvents, SQS, SSM and the control plane on one endpoint. */
  async listen(): Promise<string> {
    this.#endpoint = await this.#http.listen(this.options.port ?? 0);
    return this.#endpoint;
  }

  async close(): Promise<void> {
    await this.#http.close();
  }
}
