/** `ops audit`: the outcome events, in time order, each with what it did; `ops audit verify`: the trail's chain. */

import { auditTrail, durationMs } from '../audit.js';
import { auditExtra } from '../audit-line.js';
import { verificationText, verifyAudit } from '../audit-verify.js';
import { type OpsCommand, targetOptionsHelp } from '../ops-command.js';

/** `ops audit`. */
export const auditCommand: OpsCommand = {
  help: `npm run --silent ops -- audit [--since 24h] [--network ID] [--incident ID] (--local | --stage S)
npm run --silent ops -- audit verify [--since D] [--trail FILE] (--local | --stage S)

The outcome events (applied, lifted, reconciled, provisioned, rotated, failed) in time order: a stage's audit log
group, or the local bus's record.

verify: recomputes every outcome's chain link and holds the trail to the heads anchored hourly in the Object Lock
bucket; names the first missing, altered, moved or unlinked entry (exit 1), or says what it verified (exit 0).

  --since D            how far back: m, h or d                [24h; verify: all, from the chain's start]
  --network ID, --incident ID   filters (not with verify)
  --trail FILE         verify: an exported trail (ops audit --json > FILE) instead of the log
${targetOptionsHelp}

Example: npm run --silent ops -- audit verify --local`,
  async run({ values, positionals, target, print, network }) {
    if (positionals[0] === 'verify') {
      const verification = await verifyAudit(target, values.stage ?? 'local', {
        sinceMs: values.since === undefined ? undefined : durationMs(values.since),
        trailFile: values.trail,
      });
      print(verification, () => verificationText(verification));
      if (verification.problems.length > 0) process.exitCode = 1;
      return;
    }
    const entries = await auditTrail(target, {
      sinceMs: durationMs(values.since ?? '24h'),
      networkId: network,
      incidentId: values.incident,
    });
    print({ entries }, () =>
      entries
        .map(
          (e) =>
            `${e.time} ${e.detailType}${e.networkId ? ` ${e.networkId}` : ''}${e.incidentId ? ` ${e.incidentId}` : ''}${typeof e.detail.actor === 'string' ? ` by ${e.detail.actor}` : ''}${auditExtra(e.detail)}`,
        )
        .join('\n'),
    );
  },
};
