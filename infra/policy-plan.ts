/**
 * `npm run policy:plan -- --network <id> [--at <ISO time>] [--policy FILE] [--local | --state-table NAME]`: the
 * changes a rotation run would make at that time (group, field, current → desired), fields held by an incident
 * lockdown shown as skipped when the incident state is read. Changes nothing.
 */
import { loadPolicyFile, PolicyFileError } from '../lib/policy-file/policy-file.js';
import { planNetwork } from '../lib/rotation/rotate-network.js';
import { runtimeConfig } from '../lib/runtime/config.js';
import { createDynamoDBClient, documentClient } from '../lib/store/dynamodb-client.js';
import { lockedFields } from '../lib/store/incident-locks-view.js';
import { IncidentStateStore } from '../lib/store/incident-state-store.js';
import { WickrAdminClient, WickrError } from '../lib/wickr/index.js';
import { commandLine, existingFile, refuse } from './command-line.js';
import { localCredentials, readLocalEndpoints } from './local/local-endpoints.js';

const help = `npm run policy:plan -- --network ID [--at ISO] [--policy FILE] [--local | --state-table NAME]

What a rotation run would change on one network at a time (group, field, current → desired), read from the Wickr
network at WICKR_ENDPOINT (the emulator: set ALLOW_LOCAL_ENDPOINTS=true; no AWS credentials needed) or the
regional API. Changes nothing. With the incident state (--local, --state-table), fields an active lockdown holds
show as skipped, as a real run skips them; without it, the plan says lockdowns were not considered.

  --network ID         the network, one of the policy file's (8 digits)                    (required)
  --at ISO             the time of the tick                                                 [now]
  --policy FILE        the policy file                                                      [infra/policy.yml]
  --local              the running local stack (npm start -- --serve): its emulator and incident state
  --state-table NAME   a deployed stage's state table (wickr-autopilot-<stage>-state), read with your credentials
  --help               this text

Example: WICKR_ENDPOINT=http://127.0.0.1:4010 ALLOW_LOCAL_ENDPOINTS=true npm run policy:plan -- --network 12345678`;

const { values } = commandLine('policy:plan', help, {
  network: { type: 'string' },
  at: { type: 'string' },
  policy: { type: 'string', default: 'infra/policy.yml' },
  local: { type: 'boolean', default: false },
  'state-table': { type: 'string' },
});
if (!values.network) refuse('--network is required', 'policy:plan');
const at = values.at ? new Date(values.at) : new Date();
if (Number.isNaN(at.getTime())) refuse(`--at: ${values.at} is not an ISO time`, 'policy:plan');
let policy: ReturnType<typeof loadPolicyFile>;
try {
  policy = loadPolicyFile(existingFile('policy:plan', '--policy', values.policy));
} catch (error) {
  console.error(error instanceof PolicyFileError ? error.message : (error as Error).message);
  process.exit(1);
}
const managed = policy.networks.map((n) => n.networkId);
if (!managed.includes(values.network)) {
  refuse(`--network ${values.network} is not in ${values.policy} (it manages ${managed.join(', ')})`, 'policy:plan');
}
// A bad environment is a configuration error of this command: one line naming the variable and the fix, exit 2.
const config = (() => {
  try {
    return runtimeConfig();
  } catch (error) {
    return refuse((error as Error).message.replace(/^Invalid environment: /, 'environment: '), 'policy:plan');
  }
})();
const local = values.local ? readLocalEndpoints() : undefined;
if (values.local && !local) refuse('--local: no local stack is running (npm start -- --serve)', 'policy:plan');
const wickr = new WickrAdminClient({
  region: config.region,
  endpoint: local?.wickrEndpoint ?? config.wickrEndpoint,
  // A local emulator needs no real credentials.
  ...(local || config.localEndpoints ? { credentials: localCredentials() } : {}),
});
const stateTable = local?.stateTable ?? values['state-table'];
const incidents = stateTable
  ? new IncidentStateStore(
      documentClient(createDynamoDBClient(config.region, local?.dynamodbEndpoint ?? config.dynamodbEndpoint)),
      stateTable,
    )
  : undefined;
const locks = incidents
  ? (networkId: string) => lockedFields(incidents, networkId)
  : async () => ({ groups: new Map(), popup: false });
const network = values.network;
const { plan, period } = await planNetwork({ wickr, rotation: policy.rotation, locks }, network, at).catch(
  (error: unknown) => {
    // One line, with the network and what Wickr said; no stack trace.
    const what = error instanceof WickrError ? `${error.name}: ${error.message}` : (error as Error).message;
    console.error(`network ${network}: ${what}`);
    process.exit(1);
  },
);

const show = (v: unknown) =>
  v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v);
console.log(
  `Rotation plan for network ${values.network} at ${at.toISOString()} (${policy.rotation.timeZone}${period ? `, period ${period}` : ''})`,
);
console.log(
  incidents
    ? `  (incident state read from ${stateTable}: fields an active lockdown holds are skipped)`
    : '  (incident lockdowns NOT considered — pass --local or --state-table: a real run skips the fields they hold)',
);
const rows = plan.groups.flatMap((g) =>
  g.changes.map((c) => [`${g.groupName} (${g.groupId})`, c.field, `${show(c.from)} → ${show(c.to)}`]),
);
const popupText = (p: { enabled: boolean; header: string } | null) =>
  p ? `${p.enabled ? 'enabled' : 'disabled'} "${p.header}"` : '—';
if (plan.popup) rows.push(['(network)', 'consentPopup', `${popupText(plan.popup.from)} → ${popupText(plan.popup.to)}`]);
const names = new Map(plan.groups.map((g) => [g.groupId, g.groupName]));
for (const skip of plan.skipped) {
  const group = names.has(skip.groupId) ? `${names.get(skip.groupId)} (${skip.groupId})` : skip.groupId;
  rows.push([group, skip.field, `skipped: ${skip.reason}`]);
}
if (rows.length === 0) console.log('  no drift: nothing would change');
else {
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length), i === 0 ? 5 : 5));
  console.log(`  ${'group'.padEnd(widths[0] ?? 0)}  ${'field'.padEnd(widths[1] ?? 0)}  current → desired`);
  for (const [g, f, c] of rows)
    console.log(`  ${(g ?? '').padEnd(widths[0] ?? 0)}  ${(f ?? '').padEnd(widths[1] ?? 0)}  ${c}`);
}
const drifted = plan.groups.length;
const percent = plan.checked ? ((drifted / plan.checked) * 100).toFixed(1) : '0';
const { maxChanges, maxChangePercent } = policy.rotation.guards;
const tripped = drifted > maxChanges || Number(percent) > maxChangePercent;
console.log(
  `  ${plan.checked} groups checked, ${drifted} drifted (${percent}%); guards ${maxChanges} / ${maxChangePercent}%: ${tripped ? 'a run would be STOPPED' : 'a run would apply this'}`,
);
