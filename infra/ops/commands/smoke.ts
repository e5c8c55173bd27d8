/** `ops smoke`: after a deploy: a dry-run incident through bus, function, Wickr and audit, timed. */
import { numberOption } from '../../command-line.js';
import { type OpsCommand, targetOptionsHelp } from '../ops-command.js';
import { smoke, smokeText } from '../smoke.js';

/** `ops smoke`. */
export const smokeCommand: OpsCommand = {
  help: `npm run --silent ops -- smoke (--local | --stage S) [--wait-seconds N]

After a deploy: puts a dry-run SEV1 declaration on the bus as an incident publisher (the caller must be one where
incidentPublishers is set). The incident function plans it against every network of the policy — reading Wickr,
recording and changing nothing — and answers Wickr Lockdown Planned, which the smoke test reads back from the audit
trail. Prints each hop and its time: put → bus, bus → incident function, function → Wickr (per network, with what a
SEV1 would change), outcome → audit trail. Exit 0 only when every hop answered for every network; 1 naming the hop
that did not (a failed invocation with its error, a network Wickr refused, or no answer in time).

  --wait-seconds N     how long to wait for the answers                                     [60]
${targetOptionsHelp}

Example: npm run --silent ops -- smoke --stage prod`,
  async run({ values, target, print }) {
    const timeoutMs = numberOption('ops', 'wait-seconds', values['wait-seconds'], { min: 1, max: 900 }) * 1000;
    const report = await smoke(target, { timeoutMs });
    print(report, () => smokeText(report));
    if (!report.ok) process.exitCode = 1;
  },
};
