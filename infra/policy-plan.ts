/**
 * `npm run policy:plan -- --network <id> [--at <ISO time>] [--policy FILE]`: the changes a rotation run would make
 * at that time (group, field, current → desired), against the network at `WICKR_ENDPOINT` (or the regional API).
 * Changes nothing. Incident lockdowns are not consulted here: a run leaves the fields they hold alone.
 */
import { parseArgs } from 'node:util';
import { loadPolicyFile } from '../lib/policy-file/policy-file.js';
import { planNetwork } from '../lib/rotation/rotate-network.js';
import { runtimeConfig } from '../lib/runtime/config.js';
import { WickrAdminClient } from '../lib/wickr/index.js';

const { values } = parseArgs({
  options: {
    network: { type: 'string' },
    at: { type: 'string' },
    policy: { type: 'string', default: 'infra/policy.yml' },
  },
});
if (!values.network) {
  console.error('usage: npm run policy:plan -- --network <8-digit id> [--at <ISO time>] [--policy FILE]');
  process.exit(2);
}
const at = values.at ? new Date(values.at) : new Date();
if (Number.isNaN(at.getTime())) {
  console.error(`--at: ${values.at} is not an ISO time`);
  process.exit(2);
}
const policy = loadPolicyFile(values.policy);
const config = runtimeConfig();
const wickr = new WickrAdminClient({
  region: config.region,
  endpoint: config.wickrEndpoint,
  // A local emulator needs no real credentials.
  ...(config.localEndpoints ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
});
const { plan, period } = await planNetwork(
  { wickr, rotation: policy.rotation, locks: async () => ({ groups: new Map(), popup: false }), concurrency: 1 },
  values.network,
  at,
);

const show = (v: unknown) =>
  v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v);
console.log(
  `Rotation plan for network ${values.network} at ${at.toISOString()} (${policy.rotation.timeZone}${period ? `, period ${period}` : ''})`,
);
const rows = plan.groups.flatMap((g) =>
  g.changes.map((c) => [`${g.groupName} (${g.groupId})`, c.field, `${show(c.from)} → ${show(c.to)}`]),
);
const popupText = (p: { enabled: boolean; header: string } | null) =>
  p ? `${p.enabled ? 'enabled' : 'disabled'} "${p.header}"` : '—';
if (plan.popup) rows.push(['(network)', 'consentPopup', `${popupText(plan.popup.from)} → ${popupText(plan.popup.to)}`]);
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
