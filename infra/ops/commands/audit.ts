/** `ops audit`: the outcome events, in time order, each with what it did. */

import { auditTrail, durationMs } from '../audit.js';
import { auditExtra } from '../audit-line.js';
import { type OpsCommand, targetOptionsHelp } from '../ops-command.js';

/** `ops audit`. */
export const auditCommand: OpsCommand = {
  help: `npm run --silent ops -- audit [--since 24h] [--network ID] [--incident ID] (--local | --stage S)

The outcome events (applied, lifted, reconciled, provisioned, rotated, failed) in time order: a stage's audit log
group, or the local bus's record.

  --since D            how far back: m, h or d                                              [24h]
  --network ID, --incident ID   filters
${targetOptionsHelp}

Example: npm run --silent ops -- audit --since 1h --local`,
  async run({ values, target, print, network }) {
    const entries = await auditTrail(target, {
      sinceMs: durationMs(values.since),
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
