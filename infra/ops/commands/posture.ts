/** `ops posture`: each network's posture against its baseline; `ops posture accept`: re-record one. */
import { numberOption, refuse } from '../../command-line.js';
import { type OpsCommand, targetOptionsHelp } from '../ops-command.js';
import { acceptPostureOf, postureStatus } from '../posture.js';

const show = (value: unknown) => (value === null || value === undefined ? 'none' : JSON.stringify(value));

/** `ops posture`. */
export const postureCommand: OpsCommand = {
  help: `npm run --silent ops -- posture [--network N]
npm run --silent ops -- posture accept --network N

Each managed network's posture — data retention (the setting and its bot), the SSO configuration (issuer, client id,
company id, redirect, scopes, compared as digests: the secret is never read out), the encryption key, the counts of
users and bots (past posture.maxGrowthPercent) — read live now against the baseline the hourly check recorded, and
what drifted. Exit 1 when anything drifted. \`accept\` re-records the network's baseline as it is now through the
operators' entry point (only operatorsRoleArn may), in the name AWS authenticated, audited as Wickr Posture Accepted;
the PostureDrift alarm clears at the next check.

  --wait-seconds N     how long to wait for the accept's answer                              [60]
${targetOptionsHelp}

Example: npm run --silent ops -- posture --local`,
  async run({ values, positionals, target, print, network }) {
    const [action = 'show'] = positionals;
    if (action === 'accept') {
      if (!network) refuse('posture accept: needs --network N', 'ops');
      const timeoutMs = numberOption('ops', 'wait-seconds', values['wait-seconds'], { min: 1, max: 900 }) * 1000;
      const { eventId, answer } = await acceptPostureOf(target, network, timeoutMs);
      const accepted = answer?.detailType === 'Wickr Posture Accepted';
      print({ eventId, answer }, () =>
        accepted
          ? `${network}: baseline re-recorded by ${String(answer?.detail.acceptedBy)} (${((answer?.detail.accepted ?? []) as unknown[]).length} drifted item(s) accepted)`
          : `${network}: not accepted — ${answer ? String(answer.detail.reason ?? answer.detailType) : 'no answer in time'}`,
      );
      if (!accepted) process.exitCode = 1;
      return;
    }
    if (action !== 'show') refuse('posture [accept]', 'ops');
    const networks = await postureStatus(target, values.network);
    print({ networks }, () =>
      networks
        .map((n) => {
          if (n.error) return `${n.networkId}: unreadable — ${n.error}`;
          if (!n.baseline) return `${n.networkId}: no baseline yet (the hourly check records the first)`;
          const head = `${n.networkId}: baseline of ${n.baseline.recordedAt} by ${n.baseline.recordedBy}`;
          if (n.drift.length === 0) return `${head}; no drift`;
          return [`${head}; drifted:`, ...n.drift.map((d) => `  ${d.item}: ${show(d.before)} → ${show(d.after)}`)].join(
            '\n',
          );
        })
        .join('\n'),
    );
    if (networks.some((n) => n.drift.length > 0 || n.error)) process.exitCode = 1;
  },
};
