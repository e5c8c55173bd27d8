/**
 * `npm start`: starts the local stack (DynamoDB, the Wickr emulator, the event bus running every function of
 * serverless.yml) and runs a demo scenario through the real rules, printing a timeline and the state of the
 * security groups before, during and after.
 *
 * `npm start -- --serve [--seed FILE] [--policy FILE] [--param key=value]… [--identity AKID=ARN]…` keeps the stack
 * up until SIGINT/SIGTERM and prints one JSON ready line.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { loadPolicyFile } from '../../lib/policy-file/policy-file.js';
import { minSecretLength, usableSecrets } from '../../lib/runtime/secret-reader.js';
import { readConsentPopup } from '../../lib/wickr/consent-popup.js';
import { commandLine, numberOption, refuse } from '../command-line.js';
import { parameterProblems } from '../parameters.js';
import { invocationLine } from './invocation-line.js';
import {
  localCredentials,
  localPrincipals,
  localWebhookSecretNames,
  readLocalEndpoints,
  removeLocalEndpoints,
  writeLocalEndpoints,
} from './local-endpoints.js';
import { endpointsOf, type LocalStack, startLocalStack } from './local-stack.js';
import { loadServerlessConfig } from './serverless-config.js';
import { demoSeed } from './wickr-emulator/index.js';
import { readSeedFile } from './wickr-emulator/seed-file.js';

const help = `npm start -- [options]

Starts the whole system locally — DynamoDB, the Wickr emulator, EventBridge, SQS and Lambda running every function
of serverless.yml — and runs the demo (an incident, HR joiners and movers, a policy rotation), or serves.

  --serve                  keep the stack running until Ctrl-C; print one JSON line with the endpoints, then a line
                           per invocation as it ends (time, function, event, attempt, outcome, Wickr calls, reason)
  --quiet                  with --serve: the JSON line only
  --port N                 with --serve: the bus's port (EventBridge, SQS, /_local/)             [free port]
  --wickr-port N           with --serve: the Wickr emulator's port                                [free port]
  --seed FILE              the Wickr emulator's networks (seed format in the README) instead of the demo network
  --policy FILE            another policy file, validated as packaging validates it
  --param key=value        override a serverless.yml parameter, as osls --param does (repeatable); locally also
                           pagerDutyWebhookSecret=… and webhookSecret=…: the webhook's secrets, held by the SSM
                           stand-in (a deployment names SSM SecureStrings instead)
  --identity AKID=ARN      who a SigV4 access key is, for the bus and queue policies (repeatable);
                           AKID:SECRET=ARN also checks the request's signature with that secret
  --help                   this text

Unless --param names others, the stack has two principals (named in the JSON line): an operator, key
\`operator\` = arn:aws:iam::000000000000:role/local-operators (operatorsRoleArn, and an incident publisher: ops
signs hold decisions, overrides, the kill switch and containment with it), and a publisher, key \`local\` (any
unmapped key) = arn:aws:iam::000000000000:user/local (incidentPublishers and hrPublishers: send, ops incidents
declare|resolve and ops roster upload sign with it). Whoever caused a hold may not decide it: the publisher's
HR holds are the operator's to decide.

Example: npm start -- --serve --param incidentPublishers=arn:aws:iam::000000000000:role/tool --identity TOOL=arn:aws:iam::000000000000:role/tool`;

const { values } = commandLine('start', help, {
  serve: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  port: { type: 'string', default: '0' },
  'wickr-port': { type: 'string', default: '0' },
  seed: { type: 'string' },
  policy: { type: 'string' },
  param: { type: 'string', multiple: true, default: [] },
  identity: { type: 'string', multiple: true, default: [] },
});
const pairs = (option: string, list: readonly string[]) =>
  list.map((item) => {
    const at = item.indexOf('=');
    if (at <= 0) {
      console.error(`--${option} ${item}: expected key=value`);
      process.exit(2);
    }
    return [item.slice(0, at), item.slice(at + 1)] as const;
  });
const given = Object.fromEntries(pairs('param', values.param));
// Local only: the webhook's secrets and PagerDuty's API key, held by the SSM stand-in under the names the stack is given.
const localSecrets = {
  pagerDutyWebhookSecret: ['pagerDutyWebhookSecretParameter', localWebhookSecretNames.pagerduty, minSecretLength],
  webhookSecret: ['webhookSecretParameter', localWebhookSecretNames.events, minSecretLength],
  pagerDutyApiKey: ['pagerDutyApiKeyParameter', localWebhookSecretNames.pagerDutyApiKey, 1],
} as const;
const ssmParameters = new Map<string, string>();
for (const [secretParam, [nameParam, name, minimum]] of Object.entries(localSecrets)) {
  const value = given[secretParam];
  if (value === undefined) continue;
  const guessable = `must be at least ${minimum} characters (an HMAC key one could guess authenticates no one)`;
  if (minimum > 1 && usableSecrets(value).length === 0) refuse(`--param ${secretParam}: ${guessable}`, 'start');
  delete given[secretParam];
  given[nameParam] = name;
  ssmParameters.set(name, value);
}
if (given.pagerDutyApiKeyParameter) given.pagerDutyFrom ||= 'wickr-autopilot@example.com'; // PagerDuty's key: any length
const params = given;
// A misspelt name (`incidentPublisher=`, which would leave the bus open) or a bad value: one line each, exit 2.
const declared = (loadServerlessConfig('serverless.yml').params as { default?: Record<string, unknown> }).default;
const paramProblems = parameterProblems(params, Object.keys(declared ?? {}));
if (paramProblems.length > 0) {
  console.error(paramProblems.join('\n'));
  process.exit(2);
}
if (values.policy) {
  // The same validation as packaging, with field, rule and line; refused before anything starts.
  try {
    loadPolicyFile(values.policy);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  params.policyFile = values.policy;
}
// Two principals unless the command line names others: the operator decides, overrides and contains; the publisher
// (the key any unmapped client signs with) publishes incident and HR facts — and so may not decide what it caused.
const identities = new Map(pairs('identity', values.identity).map(([key, arn]) => [key.split(':')[0] ?? key, arn]));
const { operator, publisher } = localPrincipals;
if (params.operatorsRoleArn === undefined) {
  params.operatorsRoleArn = operator.arn;
  if (!identities.has(operator.accessKeyId)) identities.set(operator.accessKeyId, operator.arn);
}
params.incidentPublishers ??= `${publisher.arn},${params.operatorsRoleArn}`;
params.hrPublishers ??= publisher.arn;
// The demo sends HR facts one step at a time: Lambda's 10-second batching window would only make it wait.
if (!values.serve) params.hrBatchingWindowSeconds ??= '1';
const seed = values.seed ? readSeedFile('start', values.seed) : undefined;
{
  // A policy and an emulator that disagree on the networks would have events refused or lockdowns miss a network:
  // say so before starting. Every managed network must be in the emulator (the seed, or the demo network).
  const managed = loadPolicyFile(params.policyFile ?? 'infra/policy.yml').networks.map((n) => n.networkId);
  const seeded = (seed ?? demoSeed).networks.map((n) => n.networkId);
  const missing = managed.filter((id) => !seeded.includes(id));
  if (missing.length > 0) {
    refuse(
      seed
        ? `--seed ${values.seed}: the policy's networks ${missing.join(', ')} are not in it (it has ${seeded.join(', ')}); pass --policy FILE naming its networks, or seed them`
        : `--policy ${values.policy}: its networks ${missing.join(', ')} are not in the emulator (the demo network ${seeded.join(', ')}); pass --seed FILE with them`,
      'start',
    );
  }
}
if (values.serve) {
  // One stack at a time: a second would silently take over .wickr-autopilot/local.json from the first.
  const running = readLocalEndpoints();
  if (
    running &&
    (await fetch(new URL('/_local/', running.eventBridgeEndpoint))
      .then((r) => r.ok)
      .catch(() => false))
  ) {
    refuse(
      `a local stack is already running at ${running.eventBridgeEndpoint} (stop it first: Ctrl-C where it runs)`,
      'start',
    );
  }
}
const busPort = numberOption('start', 'port', values.port, { min: 0, max: 65_535, integer: true });
const wickrPort = numberOption('start', 'wickr-port', values['wickr-port'], { min: 0, max: 65_535, integer: true });
const stack = await startLocalStack({
  ...(seed ? { seed } : {}),
  busPort,
  wickrPort,
  params,
  ssmParameters,
  // KEY=ARN, or KEY:SECRET=ARN to have the bus check the signature too.
  identities,
  secrets: new Map(
    pairs('identity', values.identity).flatMap(([key]) => {
      const [id, secret] = key.split(':');
      return id && secret ? [[id, secret] as const] : [];
    }),
  ),
  logLevel: values.serve ? 'WARN' : 'CRITICAL',
}).catch((error: NodeJS.ErrnoException & { port?: number }) =>
  refuse(
    error.code === 'EADDRINUSE'
      ? `port ${error.port ?? error.message.match(/:(\d+)$/)?.[1] ?? '?'} is in use; pass another --port / --wickr-port, or 0 for a free one`
      : error.message,
    'start',
  ),
);

if (values.serve) {
  // Where other commands (`npm run send`, `policy:plan -- --local`) find the running stack; gone when it stops.
  const operatorKey = [...identities].find(([, arn]) => arn === params.operatorsRoleArn)?.[0];
  const ready = {
    eventBridgeEndpoint: stack.eventBridgeEndpoint,
    // The SSM stand-in (GetParameter, PutParameter): rotate a webhook secret with the AWS CLI or SDK here.
    ssmEndpoint: stack.eventBridgeEndpoint,
    wickrEndpoint: stack.wickrEndpoint,
    dynamodbEndpoint: stack.dynamodbEndpoint,
    busName: stack.busName,
    // Who signs what: the operator decides, overrides and contains; the publisher publishes (and so never decides).
    principals: {
      operator: { ...(operatorKey ? { accessKeyId: operatorKey } : {}), arn: String(params.operatorsRoleArn) },
      publisher: { accessKeyId: publisher.accessKeyId, arn: identities.get(publisher.accessKeyId) ?? publisher.arn },
    },
    functionUrls: Object.fromEntries(stack.functionUrls),
    s3Endpoint: stack.s3Endpoint,
  };
  writeLocalEndpoints({ ...endpointsOf(stack), ...ready });
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  if (!values.quiet) stack.onInvocation((record) => console.log(invocationLine(stack, record)));
  const stop = () =>
    void stack.close().then(() => {
      removeLocalEndpoints();
      process.exit(0);
    });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} else {
  const ok = await demo(stack);
  await stack.close();
  process.exit(ok ? 0 : 1);
}

function table(stack: LocalStack, title: string): string {
  const network = stack.emulator.snapshot().networks[0];
  const rows = (network?.securityGroups ?? []).map((g) => {
    const s = g.securityGroupSettings;
    return [
      g.name,
      String(s.maxNonSsoSessionMinutes ?? '—'),
      String(s.alwaysReauthenticate ?? '—'),
      String(s.lockoutThreshold ?? '—'),
    ];
  });
  const header = ['security group', 'maxNonSsoSessionMinutes', 'alwaysReauthenticate', 'lockoutThreshold'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `  | ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const popup = readConsentPopup(
    network?.consentPopup
      ? [{ optionName: 'consentPopup', type: 'json', value: JSON.stringify(network.consentPopup) }]
      : [],
  );
  const popupText =
    popup.status === 'read'
      ? `${popup.config.enabled ? 'ENABLED' : 'disabled'}${popup.config.enabled ? ` — "${popup.config.header}"` : ''}`
      : popup.status;
  return [
    `\n${title} (network ${network?.networkId})`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    `  consent popup: ${popupText}`,
  ].join('\n');
}

async function demo(stack: LocalStack): Promise<boolean> {
  const eventBridge = new EventBridgeClient({
    region: stack.region,
    endpoint: stack.eventBridgeEndpoint,
    credentials: localCredentials(),
  });
  // What the lockdown may touch: every group's settings and the popup (`modified` moves with any PATCH).
  const settingsNow = () => {
    const network = stack.emulator.snapshot().networks[0];
    return JSON.stringify([network?.securityGroups.map((g) => [g.id, g.securityGroupSettings]), network?.consentPopup]);
  };
  const initial = settingsNow();
  let seen = { invocations: 0, journal: 0, events: 0 };

  const send = (label: string, entry: Omit<PutEventsRequestEntry, 'EventBusName'>) =>
    step(label, async () => {
      const answer = await eventBridge.send(
        new PutEventsCommand({ Entries: [{ ...entry, EventBusName: stack.busName }] }),
      );
      if (answer.FailedEntryCount) console.log(`  PutEvents refused it: ${answer.Entries?.[0]?.ErrorMessage}`);
    });

  // Runs one trigger, waits for everything it caused, and prints the timeline of it.
  async function step(label: string, trigger: () => Promise<void>) {
    console.log(`\n▶ ${label}`);
    await trigger();
    await stack.bus.drain();
    const events = stack.bus.events.slice(seen.events);
    const invocations = stack.bus.invocations.slice(seen.invocations);
    const journal = stack.emulator.journal().filter((e) => e.seq > seen.journal);
    for (const { event, matchedRules } of events) {
      const rules = matchedRules.length ? matchedRules.join(', ') : 'no rule';
      console.log(`  event   ${event['detail-type']} (${event.source}) → ${rules}`);
    }
    for (const inv of invocations) {
      const calls = journal.filter((j) => j.at >= Date.parse(inv.startedAt) && j.at <= Date.parse(inv.endedAt));
      const counts = new Map<string, number>();
      for (const c of calls) counts.set(c.operation, (counts.get(c.operation) ?? 0) + 1);
      const wickr = [...counts].map(([op, n]) => `${n}× ${op}`).join(', ') || 'none';
      const why = inv.error ? ` — ${inv.error.name}: ${inv.error.message}` : '';
      console.log(`  lambda  ${inv.functionName} attempt ${inv.attempt}: ${inv.outcome} in ${inv.durationMs} ms${why}`);
      console.log(`  wickr   ${wickr}`);
    }
    seen = {
      invocations: stack.bus.invocations.length,
      journal: stack.emulator.journal().at(-1)?.seq ?? seen.journal,
      events: stack.bus.events.length,
    };
  }

  const incident = (detailType: string, detail: Record<string, unknown>) => ({
    Source: 'security.incidents',
    DetailType: detailType,
    Detail: JSON.stringify(detail),
  });

  console.log('wickr-autopilot local stack');
  console.log(
    `  bus ${stack.busName} at ${stack.eventBridgeEndpoint} · Wickr emulator ${stack.wickrEndpoint} · DynamoDB ${stack.dynamodbEndpoint}`,
  );
  console.log(table(stack, 'BEFORE'));

  const first = incident('Incident Declared', {
    incidentId: 'INC-2026-001',
    severity: 'SEV2',
    title: 'Credential phishing campaign',
  });
  await send('Security operations declare SEV2 incident INC-2026-001', first);
  await send('EventBridge delivers the same declaration again', first);
  console.log(table(stack, 'DURING INC-2026-001 (SEV2)'));
  const lockedDown = settingsNow() !== initial;

  await send(
    'A second, overlapping SEV1 incident INC-2026-002',
    incident('Incident Declared', {
      incidentId: 'INC-2026-002',
      severity: 'SEV1',
      title: 'Compromised admin account',
    }),
  );
  console.log(table(stack, 'DURING INC-2026-001 + INC-2026-002 (strictest: SEV1)'));

  await send(
    'INC-2026-002 is resolved: back to the SEV2 lockdown',
    incident('Incident Resolved', { incidentId: 'INC-2026-002' }),
  );
  await send('INC-2026-001 is resolved: the last one', incident('Incident Resolved', { incidentId: 'INC-2026-001' }));
  console.log(table(stack, 'AFTER'));
  const restored = settingsNow() === initial;
  // The steps above must have worked: every invocation succeeded, and the lockdown changed the network.
  const refusedSteps = stack.bus.invocations.filter((i) => i.outcome !== 'succeeded');
  for (const r of refusedSteps)
    console.log(`  ✘ ${r.functionName} ${r.outcome}: ${r.error?.name} ${r.error?.message ?? ''}`);
  if (!lockedDown) console.log('  ✘ the SEV2 declaration changed nothing on the network');
  console.log(
    restored ? '  ✔ every group and the popup are exactly as before' : '  ✘ the network was not restored exactly',
  );
  const incidentsWorked = restored && lockedDown && refusedSteps.length === 0;

  await send('A malformed declaration (no severity)', incident('Incident Declared', { incidentId: 'INC-bad' }));
  for (const failure of stack.bus.failures()) {
    const body = failure.body as { reason?: string };
    console.log(`  failure queue ${failure.queue}: ${body.reason}`);
  }

  const hr = (detailType: string, detail: Record<string, unknown>, time?: Date) => ({
    Source: 'hr.system',
    DetailType: detailType,
    Detail: JSON.stringify(detail),
    ...(time ? { Time: time } : {}),
  });
  await send(
    'HR: employee E-1001 joins Legal, a department with no Wickr group yet',
    hr('Employee Onboarded', {
      employeeId: 'E-1001',
      username: 'dana.doe@example.com',
      firstName: 'Dana',
      lastName: 'Doe',
      department: 'Legal',
    }),
  );
  await send(
    'HR: employee E-1001 transfers to Finance',
    hr('Employee Transferred', { employeeId: 'E-1001', department: 'FINANCE ' }),
  );
  await send(
    'HR: contractor E-2002 joins Finance',
    hr('Employee Onboarded', {
      employeeId: 'E-2002',
      username: 'sam.roe@example.com',
      department: 'Finance',
      employmentType: 'CONTRACTOR',
    }),
  );
  await send(
    'HR: E-3003 left at 10:00 — and that offboarding arrives before their onboarding of 09:00',
    hr('Employee Offboarded', { employeeId: 'E-3003' }, new Date(Date.now() - 60_000)),
  );
  await send(
    'HR: the late onboarding of E-3003 (09:00) arrives: older than the leave, it creates no account',
    hr(
      'Employee Onboarded',
      { employeeId: 'E-3003', username: 'lee.poe@example.com', department: 'Legal' },
      new Date(Date.now() - 120_000),
    ),
  );
  console.log(table(stack, 'SECURITY GROUPS AFTER HR'));
  const network = stack.emulator.snapshot().networks[0];
  const groupName = new Map(network?.securityGroups.map((g) => [g.id, g.name]));
  for (const user of network?.users ?? []) {
    console.log(
      `  user ${user.userId} → ${user.securityGroupIds.map((id) => groupName.get(id)).join(', ')}${user.suspended ? ' (suspended)' : ''}`,
    );
  }

  const leaverAccount = network?.users.some((u) => u.username === 'lee.poe@example.com');
  console.log(
    leaverAccount ? '  ✘ a leaver got an account' : '  ✔ the leaver whose facts came out of order has no account',
  );

  const hourly = stack.service.schedules[0]?.name ?? '';
  const saturdayNoon = new Date('2026-11-28T11:00:00Z');
  await step(`Compliance: schedule ${hourly} fires for Saturday 12:00 Berlin time`, async () => {
    stack.bus.fireSchedule(hourly, saturdayNoon);
  });
  await step('The same tick is delivered again', async () => {
    stack.bus.fireSchedule(hourly, saturdayNoon);
  });
  const rotated = stack.bus.events.filter((e) => e.event['detail-type'] === 'Wickr Policy Rotated');
  for (const { event } of rotated) {
    const report = event.detail as {
      networks?: unknown;
      counts?: Record<string, number>;
      plan?: { groups: { groupName: string; changes: { field: string; from: unknown; to: unknown }[] }[] };
    };
    console.log(`  rotated: ${JSON.stringify(report.counts)}`);
    for (const g of report.plan?.groups ?? []) {
      for (const c of g.changes)
        console.log(`    ${g.groupName}: ${c.field} ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`);
    }
  }
  console.log(table(stack, 'AFTER ROTATION'));
  return incidentsWorked && !leaverAccount;
}

/** One line per invocation: when it ended, what ran, on what, how it went, and the Wickr calls made meanwhile. */
