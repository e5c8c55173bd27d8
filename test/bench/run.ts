/**
 * `npm run bench [-- --json]`: the performance figures, each as a ratio to a bound or a baseline measured in
 * the same run. Targets are reported, never asserted in tests.
 */
import { lockdownFanOut } from './lockdown-fan-out.js';
import { rotationFanOut } from './rotation-fan-out.js';

const json = process.argv.includes('--json');
const lockdown = await lockdownFanOut();
const rotation = await rotationFanOut();
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);

const figures = { lockdownFanOut: lockdown, rotationFanOut: rotation, benchProcessPeakRssMb: peakRssMb };
if (json) {
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
} else {
  const rows: [string, string, string][] = [
    ['lockdown: groups × networks', `${lockdown.groups} across ${lockdown.networks}`, ''],
    ['emulator', `${lockdown.latencyMs} ms latency, ${lockdown.rateLimitPerSecond} req/s`, ''],
    ['requests (minimum)', `${lockdown.requests} (${lockdown.minimumRequests})`, 'equal'],
    ['429 answers', String(lockdown.rateLimited), '0'],
    ['failed groups', String(lockdown.failedGroups), '0'],
    ['wall time', `${lockdown.wallMs} ms`, ''],
    ['÷ rate-limit bound', `${lockdown.ratioToBound} (bound ${lockdown.boundMs} ms)`, '≤ 1.25'],
    ['÷ paced baseline, same run', `${lockdown.ratioToBaseline} (baseline ${lockdown.baselineMs} ms)`, ''],
    ['rotation: groups (drifted)', `${rotation.groups} (${rotation.drifted}), patched ${rotation.patched}`, ''],
    ['requests (minimum)', `${rotation.requests} (${rotation.minimumRequests})`, 'equal'],
    ['429 answers', String(rotation.rateLimited), '0'],
    [
      '÷ rate-limit bound',
      `${rotation.ratioToBound} (wall ${rotation.wallMs} ms, bound ${rotation.boundMs} ms)`,
      '≤ 1.25',
    ],
    ['bench process peak RSS', `${peakRssMb} MB`, ''],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
}
