/**
 * `npm run send -- FILE [--time ISO] [--bus NAME] [--region R]`: puts a sample envelope (`events/*.json`) on the
 * running local stack — or, with `--bus`, on a deployed bus with your AWS credentials. The samples are envelopes as
 * EventBridge delivers them; this turns one into a PutEvents entry.
 */
import { readFileSync } from 'node:fs';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { verdictOfOutcome } from '../lib/outcomes.js';
import { loadPolicyFile } from '../lib/policy-file/policy-file.js';
import { signAutopilot, signPagerDuty } from '../lib/webhooks/signature.js';
import { commandLine, existingFile, refuse } from './command-line.js';
import { isServiceSource, putServiceEvents } from './local/events/service-events-client.js';
import {
  accessDeniedHint,
  localCredentials,
  localWebhookSecretNames,
  readLocalEndpoints,
  staleStackReason,
} from './local/local-endpoints.js';
import { loadLocalService, loadServerlessConfig } from './local/serverless-config.js';
import { auditTrail } from './ops/audit.js';
import { waitForOutcomes } from './ops/incident-outcomes.js';

const help = `npm run send -- FILE [options]

Puts a sample event (an envelope as EventBridge delivers it, e.g. events/incident-declared.json) on the running
local stack (npm start -- --serve) — aws.* sources (Security Hub) on the default bus, where their rules listen —
waits until everything it caused is done, and prints what it did: each invocation, then per network applied,
updated, lifted, matched no group, ignored (and why) or refused (field and rule); for an HR fact, what became of
the employee. An event no rule matches says so. Exit 0 when it was acted on, 1 otherwise. With --bus, puts it on
a deployed bus instead, with your AWS credentials, and reads the outcome from the audit trail.

  FILE          the envelope: source, detail-type and detail are sent                    (required)
  --time ISO    the event's time                                                          [now]
  --bus NAME    a deployed bus (e.g. wickr-autopilot-prod) instead of the local stack
  --region R    the deployed bus's region                                                 [the SDK's: AWS_REGION, profile]
  --as KEY      locally, sign as this access key (one npm start -- --identity KEY=ARN mapped; where
                hrPublishers / incidentPublishers are set, the bus admits only their keys)  [local]
  --webhook K   locally, post it to the signed webhook instead, signed with the secret the stack holds:
                pagerduty (the envelope's detail, a V3 webhook body) or events (its detail-type and detail);
                start the stack with --param pagerDutyWebhookSecret=… / webhookSecret=…
  --help        this text

Example: npm run send -- events/incident-declared.json`;

const command = 'send';
const { values, positionals } = commandLine(
  command,
  help,
  {
    time: { type: 'string' },
    bus: { type: 'string' },
    region: { type: 'string' },
    as: { type: 'string' },
    webhook: { type: 'string' },
  },
  { positionals: true },
);
if (positionals.length !== 1) refuse('one envelope file is required', command);
const file = existingFile(command, 'FILE', positionals[0] as string);
let envelope: { source?: unknown; 'detail-type'?: unknown; detail?: unknown };
try {
  envelope = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  refuse(`${file}: not JSON (${(error as Error).message})`, command);
}
for (const field of ['source', 'detail-type'] as const) {
  if (typeof envelope[field] !== 'string') refuse(`${file}: ${field} must be a string`, command);
}
if (typeof envelope.detail !== 'object' || envelope.detail === null)
  refuse(`${file}: detail must be an object`, command);
const time = values.time ? new Date(values.time) : new Date();
if (Number.isNaN(time.getTime())) refuse(`--time: ${values.time} is not an ISO time`, command);

if (values.bus && values.as)
  refuse('--as: only for the local stack (a deployed bus uses your AWS credentials)', command);
const local = values.bus ? undefined : readLocalEndpoints();
const stale = local && (await staleStackReason(local));
if (stale) refuse(stale, command);
if (!values.bus && !local)
  refuse('no local stack is running (start one with npm start -- --serve), or pass --bus', command);
if (values.webhook) {
  if (!local) refuse('--webhook: only for the running local stack (npm start -- --serve)', command);
  await postWebhook(values.webhook, envelope, local);
}
const client = new EventBridgeClient({
  // Without --region the SDK finds it as usual (AWS_REGION, the profile).
  ...((local?.region ?? values.region) ? { region: local?.region ?? values.region } : {}),
  ...(local ? { endpoint: local.eventBridgeEndpoint, credentials: localCredentials(values.as) } : {}),
});
const sentAt = new Date().toISOString();
// Security Hub (any aws.* source) publishes on the account's default bus, where its rule listens; a partner's events (Okta: aws.partner/…) on the partner bus named after its source.
const source = String(envelope.source);
const bus =
  values.bus ?? (source.startsWith('aws.partner/') ? source : source.startsWith('aws.') ? 'default' : local?.busName);
const sendEntry = {
  EventBusName: bus,
  Source: envelope.source as string,
  DetailType: envelope['detail-type'] as string,
  Detail: JSON.stringify(envelope.detail),
  Time: time,
};
if (isServiceSource(source) && !local) {
  console.error(
    `refused: ${source} is an AWS service's or a partner's source, which no PutEvents caller may use on AWS`,
  );
  process.exit(1);
}
// An aws.* source is put as its service delivers it (the local control plane): EventBridge refuses it from callers.
const answer = await (local && isServiceSource(source)
  ? putServiceEvents(local.eventBridgeEndpoint, [sendEntry])
  : client.send(new PutEventsCommand({ Entries: [sendEntry] }))
).catch((error: Error) => {
  console.error(`refused: ${error.name}: ${error.message}${accessDeniedHint(error, local !== undefined)}`);
  process.exit(1);
});
const entry = answer.Entries?.[0];
if (!entry?.EventId) {
  // A partner's bus exists only where the stack names its source: say which parameter, as the Security Hub hint does.
  const partner = source.startsWith('aws.partner/okta.com/')
    ? 'oktaEventSource'
    : source.startsWith('aws.partner/pagerduty.com/')
      ? 'pagerDutyEventSource'
      : undefined;
  const hint =
    partner && /does not exist/.test(entry?.ErrorMessage ?? '')
      ? ` (start the stack with --param ${partner}=${source}, and the policy's sources section, to connect it)`
      : '';
  console.error(`refused by EventBridge: ${entry?.ErrorCode} ${entry?.ErrorMessage}${hint}`);
  process.exit(1);
}
const eventId = entry.EventId;
console.log(`sent ${envelope['detail-type']} to ${bus} as event ${eventId}`);
const detail = envelope.detail as { incidentId?: unknown; networkIds?: unknown; employeeId?: unknown };
// Okta's System Log feeds HR too: its person is the employee `okta:<user id>`.
const oktaUser =
  envelope['detail-type'] === 'SystemLog'
    ? (envelope.detail as { target?: { type?: string; id?: string }[] }).target?.find((t) => t.type === 'User')?.id
    : undefined;
const isHr =
  envelope.source === 'hr.system' || String(envelope['detail-type']).startsWith('Employee ') || oktaUser !== undefined;
if (local) {
  const base = local.eventBridgeEndpoint;
  const { events } = (await (await fetch(new URL('/_local/events', base))).json()) as {
    events: { event: { id: string }; busName: string; matchedRules: string[] }[];
  };
  const record = events.find((e) => e.event.id === eventId);
  if (!record || record.matchedRules.length === 0) {
    const hint =
      envelope.source === 'aws.securityhub'
        ? ' (the Security Hub rule is off unless the stack runs with --param securityHubEnabled=true)'
        : ' (check the source and the bus)';
    console.log(
      `matched no rule on ${bus}: nothing acts on ${String(envelope.source)} / ${String(envelope['detail-type'])} there${hint}`,
    );
    process.exit(1);
  }
  if (isHr) {
    const window = Number(readParam('hrBatchingWindowSeconds') ?? 10);
    console.log(`waiting for the HR batch (window ${window} s)…`);
  }
  await fetch(new URL('/_local/drain', base), { method: 'POST' });
  const { invocations } = (await (await fetch(new URL('/_local/invocations', base))).json()) as {
    invocations: {
      eventId: string;
      messageIds?: string[];
      startedAt: string;
      functionName: string;
      attempt: number;
      outcome: string;
      error?: { name: string; message: string };
    }[];
  };
  // Its own invocations, and the batches of queue consumers (HR) that ran since: they carry message ids.
  const caused = invocations.filter((x) => x.eventId === eventId || (x.messageIds && x.startedAt >= sentAt));
  for (const i of caused) {
    const why = i.error ? ` — ${i.error.name}: ${i.error.message}` : '';
    console.log(`  ${i.functionName} attempt ${i.attempt}: ${i.outcome}${why}`);
  }
}
// What it did: the outcome events that name it (incidents, findings), or the employee's (HR).
const target = {
  localEndpoint: local?.eventBridgeEndpoint,
  region: local?.region ?? values.region ?? 'us-east-1',
  busName: local?.busName ?? values.bus ?? '',
};
if (isHr) {
  // Every HR fact ends in one answer naming its event: what became of the employee, or why nobody.
  const window = Number(readParam('hrBatchingWindowSeconds') ?? 10);
  const reply = await firstAnswer(target, eventId, (window + 30) * 1000);
  if (!reply) {
    console.log(`no outcome named this event within ${window + 30} s (npm run ops -- audit shows what came)`);
    process.exit(1);
  }
  const d = reply.detail;
  const verdict = verdictOfOutcome(reply.detailType);
  const held = d.holdId ? ` — held in ${String(d.holdId)}` : '';
  const where = d.groupId
    ? ` in ${d.groupName ? `${String(d.groupName)} (${String(d.groupId)})` : String(d.groupId)}`
    : '';
  console.log(
    verdict === 'ignored' || (verdict === 'refused' && !d.employeeId)
      ? `${verdict}: ${String(d.reason ?? reply.detailType)}`
      : `${String(d.employeeId)}: ${String(d.action)}${where}${d.code ? ` (${String(d.code)})` : ''}${held}`,
  );
  process.exit(verdict === 'refused' ? 1 : 0);
}
// An incident fact answers per network; any other fact (an account's, a finding's for containment) once.
const incidentTypes = [
  'Incident Declared',
  'Incident Updated',
  'Incident Resolved',
  'Security Hub Findings - Imported',
];
if (
  incidentTypes.includes(String(envelope['detail-type'])) ||
  source === 'wickr.autopilot.webhook.pagerduty' ||
  envelope['detail-type'] === 'PagerDuty Webhook'
) {
  const networks =
    Array.isArray(detail.networkIds) && detail.networkIds.length > 0
      ? (detail.networkIds as string[])
      : loadPolicyFile(String(loadLocalService('serverless.yml').providerEnvironment.POLICY_FILE)).networks.map(
          (n) => n.networkId,
        );
  const outcomes = await waitForOutcomes(target, eventId, networks, { timeoutMs: 30_000 });
  for (const o of outcomes) console.log(o.text);
  if (outcomes.length === 0) {
    console.log('no outcome named this event within 30 s (npm run ops -- audit shows what came)');
    process.exit(1);
  }
  // Applied, unchanged, ignored and why, held: 0; refused: 1 — as the outcome table says.
  process.exit(outcomes.some((o) => o.kind === 'refused') ? 1 : 0);
}
const reply = await firstAnswer(target, eventId, 30_000);
if (!reply) {
  console.log('no outcome named this event within 30 s (npm run ops -- audit shows what came)');
  process.exit(1);
}
console.log(outcomeText(reply.detailType, reply.detail));
process.exit(verdictOfOutcome(reply.detailType) === 'refused' ? 1 : 0);

/** The first outcome that answers this event (a report answers none), or undefined at the deadline. */
async function firstAnswer(where: typeof target, id: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const trail = await auditTrail(where, { sinceMs: 15 * 60_000 });
    const found = trail.find(
      (e) => e.detail.eventId === id && (verdictOfOutcome(e.detailType) ?? 'report') !== 'report',
    );
    if (found || Date.now() >= deadline) return found;
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** An answer in one line: its verdict, its type and what it names (ids and reasons, never a name). */
function outcomeText(detailType: string, d: Record<string, unknown>): string {
  const ids = ['networkId', 'userId', 'employeeId', 'caseId', 'holdId'].flatMap((k) =>
    d[k] ? [`${k} ${String(d[k])}`] : [],
  );
  const why = d.reason ? `: ${String(d.reason)}` : '';
  return `${verdictOfOutcome(detailType)}: ${detailType}${ids.length ? ` (${ids.join(', ')})` : ''}${why}`;
}

/** A parameter of the running stack as serverless.yml defaults it (the local stack does not say which it runs). */
function readParam(name: string): string | undefined {
  const params = (loadServerlessConfig('serverless.yml').params as { default?: Record<string, unknown> } | undefined)
    ?.default;
  const value = params?.[name];
  return value === undefined ? undefined : String(value);
}

/** Posts the sample to the local signed webhook, signed with the secret the stack's SSM stand-in holds; exits. */
async function postWebhook(
  kind: string,
  sample: { 'detail-type'?: unknown; detail?: unknown },
  stack: NonNullable<ReturnType<typeof readLocalEndpoints>>,
): Promise<never> {
  if (kind !== 'pagerduty' && kind !== 'events') refuse('--webhook: pagerduty or events', command);
  const url = stack.functionUrls.webhooks;
  if (!url) refuse('--webhook: the running stack serves no webhook URL', command);
  const ssm = new SSMClient({
    region: stack.region,
    endpoint: stack.eventBridgeEndpoint,
    credentials: localCredentials(),
  });
  const secret = await ssm
    .send(new GetParameterCommand({ Name: localWebhookSecretNames[kind], WithDecryption: true }))
    .then((a) => a.Parameter?.Value?.split('\n')[0])
    .catch(() => undefined);
  if (!secret)
    refuse(
      `--webhook ${kind}: the stack holds no secret; start it with --param ${kind === 'pagerduty' ? 'pagerDutyWebhookSecret' : 'webhookSecret'}=…`,
      command,
    );
  const body = JSON.stringify(
    kind === 'pagerduty' ? sample.detail : { 'detail-type': sample['detail-type'], detail: sample.detail },
  );
  const headers =
    kind === 'pagerduty'
      ? { 'x-pagerduty-signature': signPagerDuty(body, secret) }
      : { 'x-autopilot-signature': signAutopilot(body, secret, Date.now()) };
  const answer = await fetch(new URL(kind === 'pagerduty' ? '/pagerduty' : '/events', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  console.log(`${answer.status} ${await answer.text()}`);
  process.exit(answer.status >= 200 && answer.status < 300 ? 0 : 1);
}
