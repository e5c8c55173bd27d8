/**
 * The local stack's control plane, under `/_local/` on the bus's endpoint (loopback only): what ran, what failed
 * and redrive, schedules fired on demand, service events put as the service would, the tables' policy verdicts.
 */

/** The local control plane's routes, as `GET /_local/` lists them. */
export const localRoutes = [
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

/** What the control plane asks of the bus (the local bus is one). */
export interface ControlledBus {
  readonly invocations: unknown;
  readonly events: unknown;
  readonly notifications: unknown;
  fireSchedule(name: string, time?: Date): unknown;
  scheduleViews(now: Date): unknown;
  expediteDelays(): number;
  putServiceEvents(entries: readonly Record<string, unknown>[]): unknown;
  drain(): Promise<void>;
  failures(): unknown;
  redriveFailures(messageIds: readonly string[] | undefined, principalArn: string): unknown;
  takeFailures(): readonly unknown[];
  stats(): unknown;
  principalOf(authorization: string | undefined): string;
  tableVerdict(accessKeyId: string, table: string, action: string, leadingKeys: readonly string[]): unknown;
}

/** A control route's answer: an HTTP status and a JSON body. */
export interface ControlAnswer {
  readonly status: number;
  readonly body: unknown;
}

const invalid = (field: string, reason: string, message = 'Invalid body'): ControlAnswer => ({
  status: 400,
  body: { message, reasons: [{ field, reason }] },
});

/** The access key a control request acts as (default `local`), bounded. */
const keyOf = (value: unknown) => String(value ?? 'local').slice(0, 128);

/** Answers one control request (`raw`: its body). */
export async function answerControl(bus: ControlledBus, method: string, url: URL, raw: string): Promise<ControlAnswer> {
  const route = `${method} ${url.pathname}`;
  if (route === 'GET /_local/') return { status: 200, body: { routes: localRoutes } };
  let control: Record<string, unknown> | undefined;
  try {
    control = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
  } catch {
    return invalid('body', 'must be JSON', 'The body is not JSON');
  }
  const schedule = url.pathname.match(/^\/_local\/schedules\/([^/]+)\/fire$/);
  if (method === 'POST' && schedule?.[1]) {
    const at = control?.time;
    if (at !== undefined && (typeof at !== 'string' || Number.isNaN(Date.parse(at)))) {
      return invalid('time', 'must be an ISO 8601 date-time', 'Invalid time');
    }
    return { status: 200, body: bus.fireSchedule(decodeURIComponent(schedule[1]), at ? new Date(at) : undefined) };
  }
  switch (route) {
    case 'GET /_local/schedules':
      return { status: 200, body: { schedules: bus.scheduleViews(new Date()) } };
    case 'POST /_local/delays/expire':
      return { status: 200, body: { released: bus.expediteDelays() } };
    case 'POST /_local/service-events': {
      const entries = control?.Entries;
      if (!Array.isArray(entries)) return invalid('Entries', 'must be a list');
      return { status: 200, body: bus.putServiceEvents(entries as Record<string, unknown>[]) };
    }
    case 'POST /_local/drain':
      await bus.drain();
      return { status: 200, body: { drained: true } };
    case 'GET /_local/invocations':
      return { status: 200, body: { invocations: bus.invocations } };
    case 'GET /_local/events':
      return { status: 200, body: { events: bus.events } };
    case 'GET /_local/notifications':
      return { status: 200, body: { notifications: bus.notifications } };
    case 'GET /_local/failures':
      return { status: 200, body: { failures: bus.failures() } };
    case 'POST /_local/failures/redrive': {
      const ids = control?.messageIds;
      if (ids !== undefined && !(Array.isArray(ids) && ids.every((id) => typeof id === 'string'))) {
        return invalid('messageIds', 'must be a list of message ids');
      }
      // As the operator who asks (`accessKeyId`, default `local`): the bus policy applies to them.
      const principal = bus.principalOf(`Credential=${keyOf(control?.accessKeyId)}/`);
      return { status: 200, body: bus.redriveFailures(ids as string[] | undefined, principal) };
    }
    case 'DELETE /_local/failures':
      return { status: 200, body: { cleared: bus.takeFailures().length } };
    case 'GET /_local/stats':
      return { status: 200, body: bus.stats() };
    case 'GET /_local/whoami':
      // The principal an access key stands for (the ops CLI names it in the break-glass's audit entries).
      return {
        status: 200,
        body: { principalArn: bus.principalOf(`Credential=${keyOf(url.searchParams.get('accessKeyId'))}/`) },
      };
    case 'GET /_local/dynamodb/authorize': {
      const q = url.searchParams;
      const leadingKeys = q.getAll('leadingKey').map((k) => k.slice(0, 256));
      const table = (q.get('table') ?? 'StateTable').slice(0, 64);
      const action = (q.get('action') ?? '').slice(0, 64);
      return { status: 200, body: bus.tableVerdict(keyOf(q.get('accessKeyId')), table, action, leadingKeys) };
    }
  }
  return { status: 404, body: { message: `No local control route ${method} ${url.pathname}`, routes: localRoutes } };
}
