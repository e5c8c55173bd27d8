/**
 * The signed webhook: PagerDuty's V3 subscriptions (`POST /pagerduty`) and any tool speaking our contracts
 * (`POST /events`). The signature is the authentication (the function URL has none): a request without a
 * well-formed (and, for ours, timely) signature is answered 401 before any I/O; a signed one is checked on the raw
 * body before anything is parsed, against the current secrets — re-read at most every 5 minutes, and once more
 * (rate-limited) before a 401, so a rotated secret works at once. An unverified request gets 401 and nothing else — no
 * reason, no event — and is logged with its source IP and a reason code. A verified one becomes an event on the
 * project's bus (ours dated by the signed `t`), so everything downstream is what our own events meet; 2xx only once
 * the bus accepted it, so the sender retries otherwise.
 */
import * as z from 'zod/mini';
import { HrFactEvent } from '../events/hr-events.js';
import { IncidentDeclaredEvent, IncidentResolvedEvent } from '../events/incident-events.js';
import { fieldIssues } from '../schema-issues.js';
import { type SignatureVerdict, verifyAutopilotSignature, verifyPagerDutySignature } from './signature.js';

/** A request as the function URL hands it over (payload format 2.0), its body as raw bytes. */
export interface WebhookRequest {
  readonly method: string;
  readonly path: string;
  /** Lower-case names, as Lambda gives them. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
  readonly sourceIp: string;
}

/** The answer: a status and a short, generic body. */
export interface WebhookResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** One route's secrets: one, or two during a rotation. */
export interface SecretSource {
  /** Whether the deployment names a parameter for it at all (no I/O); not: the route is closed (404). */
  readonly configured: boolean;
  /** The usable secrets (at least 32 characters each), as last read — at most 5 minutes old; none: closed (404). */
  current(): Promise<readonly string[] | undefined>;
  /** Reads them again now, unless that was done moments ago (a flood of bad signatures reads nothing more). */
  refresh(): Promise<readonly string[] | undefined>;
}

/** What the webhook needs; every side effect a port. */
export interface WebhookDeps {
  readonly secrets: { readonly pagerDuty: SecretSource; readonly events: SecretSource };
  /** Puts one event on the project's bus (dated `time` when given); false when the bus did not accept it. */
  readonly putEvent: (entry: { source: string; detailType: string; detail: unknown; time?: Date }) => Promise<boolean>;
  readonly sources: { readonly incident: string; readonly hr: string; readonly pagerDutyWebhook: string };
  readonly nowMs: () => number;
  readonly logger: {
    info(message: string, extra: Record<string, unknown>): void;
    warn(message: string, extra: Record<string, unknown>): void;
  };
}

export const maxBodyBytes = 256 * 1024;

const answer = (statusCode: number, body: unknown): WebhookResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Our own contracts, by detail type, and the source each is put with. */
const ContractEvent = (sources: WebhookDeps['sources']) => ({
  'Incident Declared': { schema: IncidentDeclaredEvent, source: sources.incident },
  'Incident Updated': { schema: IncidentDeclaredEvent, source: sources.incident },
  'Incident Resolved': { schema: IncidentResolvedEvent, source: sources.incident },
  'Employee Onboarded': { schema: HrFactEvent, source: sources.hr },
  'Employee Transferred': { schema: HrFactEvent, source: sources.hr },
  'Employee Offboarded': { schema: HrFactEvent, source: sources.hr },
});

const GenericBody = z.object({
  'detail-type': z.string().check(z.maxLength(64)),
  detail: z.record(z.string(), z.unknown()),
});
const PagerDutyBody = z.object({
  event: z.object({ event_type: z.string().check(z.maxLength(64)), resource_type: z.optional(z.string()) }),
});

/** Why a signature is not even worth checking (absent, malformed, out of time), with no secret and no I/O. */
function unsignedVerdict(route: string, request: WebhookRequest, nowMs: number): SignatureVerdict | undefined {
  // Checked against no secret: only the form (and our timestamp's window) can fail, as 'mismatch' means "well-formed".
  const verdict =
    route === '/pagerduty'
      ? verifyPagerDutySignature(request.body, request.headers['x-pagerduty-signature'], [])
      : verifyAutopilotSignature(request.body, request.headers['x-autopilot-signature'], [], nowMs);
  return verdict === 'mismatch' ? undefined : verdict;
}

/** The signature's verdict against the current secrets, and once more against freshly read ones before a refusal. */
async function verdictOf(route: string, request: WebhookRequest, source: SecretSource, nowMs: number) {
  const verify = (secrets: readonly string[]) =>
    route === '/pagerduty'
      ? verifyPagerDutySignature(request.body, request.headers['x-pagerduty-signature'], secrets)
      : verifyAutopilotSignature(request.body, request.headers['x-autopilot-signature'], secrets, nowMs);
  const secrets = await source.current();
  if (!secrets || secrets.length === 0) return 'closed' as const;
  const verdict = verify(secrets);
  if (verdict !== 'mismatch') return verdict;
  // A secret rotated since the last read: the new one must work now, not when this environment is recycled.
  const fresh = await source.refresh();
  return fresh && fresh.length > 0 ? verify(fresh) : verdict;
}

/** Handles one webhook request. */
export async function handleWebhook(request: WebhookRequest, deps: WebhookDeps): Promise<WebhookResponse> {
  const route = request.path.replace(/\/+$/, '');
  if (route !== '/pagerduty' && route !== '/events') return answer(404, { message: 'not found' });
  if (request.method !== 'POST') return answer(405, { message: 'method not allowed' });
  const source = route === '/pagerduty' ? deps.secrets.pagerDuty : deps.secrets.events;
  if (!source.configured) return answer(404, { message: 'not found' });
  if (request.body.length > maxBodyBytes) return answer(413, { message: 'body too large' });
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return answer(415, { message: 'content type must be application/json' });
  const nowMs = deps.nowMs();
  const unsigned = unsignedVerdict(route, request, nowMs);
  const verdict = unsigned ?? (await verdictOf(route, request, source, nowMs));
  if (verdict === 'closed') return answer(404, { message: 'not found' });
  if (verdict !== 'ok') {
    deps.logger.warn('Webhook refused', { route, sourceIp: request.sourceIp, reason: verdict });
    return answer(401, { message: 'unauthorized' });
  }
  let json: unknown;
  try {
    json = JSON.parse(request.body.toString('utf8'));
  } catch {
    return answer(400, { message: 'body must be JSON' });
  }
  const entry = route === '/pagerduty' ? pagerDutyEntry(json, deps) : contractEntry(json, deps, signedTime(request));
  if ('status' in entry) return answer(entry.status, entry.body);
  if (!(await deps.putEvent(entry))) return answer(503, { message: 'not accepted yet: retry' });
  deps.logger.info('Webhook accepted', { route, detailType: entry.detailType });
  return answer(202, { accepted: true });
}

/** The `t` our signature signed: when the sender stated the fact, not when it reached us. */
function signedTime(request: WebhookRequest): Date {
  const t = request.headers['x-autopilot-signature']?.match(/(?:^|,)\s*t=(\d{1,12})/)?.[1];
  return new Date(Number(t) * 1000);
}

type Entry = { source: string; detailType: string; detail: unknown; time?: Date } | { status: number; body: unknown };

/** A PagerDuty V3 incident event, as the incident sources function reads it; other events are acknowledged. */
function pagerDutyEntry(json: unknown, deps: WebhookDeps): Entry {
  const parsed = PagerDutyBody.safeParse(json);
  if (!parsed.success)
    return { status: 400, body: { message: 'not a PagerDuty V3 webhook', issues: fieldIssues(parsed.error.issues) } };
  if (!parsed.data.event.event_type.startsWith('incident.'))
    return { status: 202, body: { accepted: false, reason: 'not an incident event' } };
  return { source: deps.sources.pagerDutyWebhook, detailType: 'PagerDuty Webhook', detail: json };
}

/** One of our contracts' events, checked with the functions' own schema before it goes on the bus. */
function contractEntry(json: unknown, deps: WebhookDeps, time: Date): Entry {
  const body = GenericBody.safeParse(json);
  const contracts = ContractEvent(deps.sources);
  const detailType = body.success ? body.data['detail-type'] : '';
  const contract = contracts[detailType as keyof typeof contracts];
  if (!body.success || !contract) {
    return { status: 400, body: { message: `detail-type must be one of ${Object.keys(contracts).join(', ')}` } };
  }
  const envelope = {
    version: '0',
    id: '00000000-0000-0000-0000-000000000000',
    'detail-type': detailType,
    source: contract.source,
    account: '000000000000',
    time: time.toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: body.data.detail,
  };
  const checked = contract.schema.safeParse(envelope);
  if (!checked.success) return { status: 400, body: { message: 'refused', issues: fieldIssues(checked.error.issues) } };
  return { source: contract.source, detailType, detail: body.data.detail, time };
}
