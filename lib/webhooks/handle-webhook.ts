/**
 * The signed webhook: PagerDuty's V3 subscriptions (`POST /pagerduty`) and any tool speaking our contracts
 * (`POST /events`). The signature is the authentication (the function URL has none): it is checked on the raw body
 * before anything is parsed; an unverified request gets 401 and nothing else — no reason, no event — and is logged
 * with its source IP and a reason code. A verified one becomes an event on the project's bus, so everything
 * downstream is what our own events meet; 2xx only once the bus accepted it, so the sender retries otherwise.
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

/** What the webhook needs; every side effect a port. */
export interface WebhookDeps {
  /** The current secrets (two during a rotation), read once per environment; none: the route is closed (404). */
  readonly secrets: {
    pagerDuty(): Promise<readonly string[] | undefined>;
    events(): Promise<readonly string[] | undefined>;
  };
  /** Puts one event on the project's bus; false when the bus did not accept it. */
  readonly putEvent: (entry: { source: string; detailType: string; detail: unknown }) => Promise<boolean>;
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

/** Handles one webhook request. */
export async function handleWebhook(request: WebhookRequest, deps: WebhookDeps): Promise<WebhookResponse> {
  const route = request.path.replace(/\/+$/, '');
  if (route !== '/pagerduty' && route !== '/events') return answer(404, { message: 'not found' });
  if (request.method !== 'POST') return answer(405, { message: 'method not allowed' });
  const secrets = route === '/pagerduty' ? await deps.secrets.pagerDuty() : await deps.secrets.events();
  if (!secrets || secrets.length === 0) return answer(404, { message: 'not found' });
  if (request.body.length > maxBodyBytes) return answer(413, { message: 'body too large' });
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return answer(415, { message: 'content type must be application/json' });
  const verdict: SignatureVerdict =
    route === '/pagerduty'
      ? verifyPagerDutySignature(request.body, request.headers['x-pagerduty-signature'], secrets)
      : verifyAutopilotSignature(request.body, request.headers['x-autopilot-signature'], secrets, deps.nowMs());
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
  const entry = route === '/pagerduty' ? pagerDutyEntry(json, deps) : contractEntry(json, deps);
  if ('status' in entry) return answer(entry.status, entry.body);
  if (!(await deps.putEvent(entry))) return answer(503, { message: 'not accepted yet: retry' });
  deps.logger.info('Webhook accepted', { route, detailType: entry.detailType });
  return answer(202, { accepted: true });
}

type Entry = { source: string; detailType: string; detail: unknown } | { status: number; body: unknown };

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
function contractEntry(json: unknown, deps: WebhookDeps): Entry {
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
    time: new Date(deps.nowMs()).toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: body.data.detail,
  };
  const checked = contract.schema.safeParse(envelope);
  if (!checked.success) return { status: 400, body: { message: 'refused', issues: fieldIssues(checked.error.issues) } };
  return { source: contract.source, detailType, detail: body.data.detail };
}
