/**
 * What AWS would bill for what ran on the local stack, counted as AWS counts it: Lambda requests and GB-seconds
 * (each invocation's duration rounded up to the millisecond, at the function's memory), DynamoDB request units (the
 * metering proxy), SQS requests (64 KB chunks: each message sent — by a function or an EventBridge target — and for
 * each polled batch the event source's receive and delete), EventBridge events put (custom and partner events, 64 KB
 * chunks; AWS services' own events are free), Scheduler invocations, log bytes ingested (what functions print, the
 * platform's START/END/REPORT lines, and each outcome in the audit log group), custom metrics (each distinct name and
 * dimension set, billed per hour it is sent), S3 requests and Wickr requests.
 */
import type { LocalStack } from '../local/local-stack.js';
import type { DynamoMeter } from './dynamodb-meter.js';

/** Usage over a span of the run. */
export interface Usage {
  readonly lambdaRequests: number;
  readonly lambdaGbSeconds: number;
  readonly dynamodbReadUnits: number;
  readonly dynamodbWriteUnits: number;
  readonly sqsRequests: number;
  readonly eventBridgeEvents: number;
  readonly schedulerInvocations: number;
  readonly logBytes: number;
  /** Distinct metrics (name and dimensions) sent in the span. */
  readonly metrics: readonly string[];
  readonly s3PutRequests: number;
  readonly s3GetRequests: number;
  readonly wickrRequests: number;
}

/** Bytes Lambda writes per invocation to its log group besides the function's own: START, END and REPORT lines. */
export const platformLogBytes = 330;
const chunk = 64 * 1024;

interface Mark {
  readonly invocations: number;
  readonly events: number;
  readonly lines: number;
  readonly s3: { readonly PUT: number; readonly GET: number };
  readonly wickr: number;
  readonly dynamo: { readonly read: number; readonly write: number };
  readonly failures: number;
}

/** Counts a running stack's usage; `capture()` must be on while functions print. */
export class UsageMeter {
  readonly #lines: string[] = [];
  #restore: (() => void) | undefined;

  constructor(
    private readonly stack: LocalStack,
    private readonly dynamo: DynamoMeter,
  ) {}

  /** Takes what the functions print (their logs and EMF metrics), still passing it on when `echo`. */
  capture(echo = false): void {
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((text: string | Uint8Array, ...rest: never[]) => {
      this.#lines.push(...String(text).split('\n').filter(Boolean));
      return echo ? write(text, ...rest) : true;
    }) as typeof process.stdout.write;
    this.#restore = () => {
      process.stdout.write = write;
    };
  }

  release(): void {
    this.#restore?.();
  }

  /** Where the counts stand now. */
  mark(): Mark {
    return {
      invocations: this.stack.bus.invocations.length,
      events: this.stack.bus.events.length,
      lines: this.#lines.length,
      s3: { ...this.stack.s3.requests },
      wickr: this.stack.emulator.journal().length,
      dynamo: { read: this.dynamo.usage.readRequestUnits, write: this.dynamo.usage.writeRequestUnits },
      failures: this.stack.bus.failures().length,
    };
  }

  /** The usage between a mark and now. */
  since(from: Mark): Usage {
    const now = this.mark();
    const memory = new Map(this.stack.service.functions.map((f) => [f.name, f.memorySize]));
    const schedules = new Set(this.stack.service.schedules.map((s) => s.name));
    const invocations = this.stack.bus.invocations.slice(from.invocations, now.invocations);
    const events = this.stack.bus.events.slice(from.events, now.events).map((e) => e.event);
    const lines = this.#lines.slice(from.lines, now.lines);
    const polled = invocations.filter((i) => i.trigger.startsWith('sqs:'));
    const chunks = (value: unknown) => Math.max(1, Math.ceil(Buffer.byteLength(JSON.stringify(value)) / chunk));
    const metrics = new Set<string>();
    for (const line of lines) {
      if (!line.includes('"_aws"')) continue;
      const emf = JSON.parse(line) as Record<string, unknown> & {
        _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
      };
      for (const directive of emf._aws.CloudWatchMetrics) {
        const dims = directive.Dimensions.flat()
          .map((d) => `${d}=${String(emf[d])}`)
          .join(',');
        for (const m of directive.Metrics) metrics.add(`${m.Name}{${dims}}`);
      }
    }
    const outcomes = events.filter((e) => e.source === 'wickr.autopilot');
    return {
      lambdaRequests: invocations.length,
      lambdaGbSeconds: invocations.reduce(
        (n, i) => n + (Math.ceil(i.durationMs) / 1000) * ((memory.get(i.functionName) ?? 128) / 1024),
        0,
      ),
      dynamodbReadUnits: now.dynamo.read - from.dynamo.read,
      dynamodbWriteUnits: now.dynamo.write - from.dynamo.write,
      // Each polled batch: its messages were sent (one request each), received and deleted (one each per batch).
      sqsRequests: polled.reduce((n, i) => n + (i.messageIds?.length ?? 1) + 2, 0) + (now.failures - from.failures),
      eventBridgeEvents: events
        .filter((e) => !e.source.startsWith('aws.') || e.source.startsWith('aws.partner/'))
        .reduce((n, e) => n + chunks(e), 0),
      schedulerInvocations: invocations.filter((i) => schedules.has(i.trigger) && i.attempt === 1).length,
      logBytes:
        lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) +
        invocations.length * platformLogBytes +
        outcomes.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0),
      metrics: [...metrics].sort(),
      s3PutRequests: now.s3.PUT - from.s3.PUT,
      s3GetRequests: now.s3.GET - from.s3.GET,
      wickrRequests: now.wickr - from.wickr,
    };
  }
}
