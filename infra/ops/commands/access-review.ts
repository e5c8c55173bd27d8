/** `ops access-review`: an access review now: every account classified, the report, what is not ok. */
import { writeFileSync } from 'node:fs';
import { numberOption, refuse } from '../../command-line.js';
import { reviewText, runAccessReview } from '../access-review.js';
import { callerArn } from '../incident-outcomes.js';
import { type OpsCommand, targetOptionsHelp } from '../ops-command.js';

/** `ops access-review`. */
export const accessReviewCommand: OpsCommand = {
  help: `npm run --silent ops -- access-review [--network ID] (--local | --stage S) [--csv FILE] [--wait-seconds N]

Runs an access review now, as the schedule would: every Wickr account of the network (or of every network of the
policy) classified against the HR records — ok, wrong-group, leaver-active, orphan, inactive, pending-invite,
invite-expired, suspended, admin, exempt — with its evidence. Waits for each network's report (a CSV and a JSON in the
reports bucket), prints the counts and every account that is not ok. Exit 0 when every network was reviewed.

  --network ID         one network only
  --csv FILE           also write the report's CSV to FILE (one network)
  --wait-seconds N     how long to wait for the reports                                     [60]
${targetOptionsHelp}

Example: npm run --silent ops -- access-review --network 12345678 --local`,
  async run({ values, target, print, network }) {
    if (values.csv && !network && target.policy.networks.length > 1) {
      refuse('access-review --csv: name one --network (one report per file)', 'ops');
    }
    const waitSeconds = numberOption('ops', 'wait-seconds', values['wait-seconds'], { min: 1, max: 900 });
    const requestedBy = await callerArn(target, values.as).catch(() => undefined);
    const result = await runAccessReview(target, {
      network,
      requestedBy,
      stage: values.stage ?? 'local',
      timeoutMs: waitSeconds * 1000,
    });
    const first = result.reports[0];
    if (values.csv && first) writeFileSync(values.csv, await result.csvOf(first));
    const { csvOf: _csv, ...shown } = result;
    print(shown, () => reviewText(result, waitSeconds));
    if (result.reports.length < result.expected) process.exitCode = 1;
  },
};
