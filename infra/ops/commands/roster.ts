/** `ops roster`: a roster snapshot put in the roster bucket, and what it did. */
import { numberOption, refuse } from '../../command-line.js';
import { type OpsCommand, targetOptionsHelp } from '../ops-command.js';
import { rosterUploadText, uploadRoster } from '../roster-upload.js';

/** `ops roster`. */
export const rosterCommand: OpsCommand = {
  help: `npm run --silent ops -- roster upload FILE (--local | --stage S) [--wait-seconds N | --no-wait]

Puts FILE in the deployment's roster bucket as roster/<its name>, as an HR system's export job would: one complete
snapshot of the workforce (CSV with a header, or JSON Lines; columns employeeId, username, firstName, lastName,
department, team, employmentType, status active|left, updatedAt). Waits for what the HR consumer concluded: accepted
(rows, bad rows by line and field, chunks queued) or refused and why (not CSV or JSON Lines, a wrong header, no rows,
over 50 MB, more than 20 % bad rows); then for its chunks to take effect, and says what they did (created, moved,
suspended… by count; ops audit has the ids). People provisioned here whom the file does not list are held for a
decision, never deprovisioned by the file. Exit 0 when accepted, 1 when refused or unanswered, 2 for a bad file name
or size.

  --wait-seconds N     how long to wait for the answer and the chunks                       [60]
  --no-wait            upload, and print where it went only
${targetOptionsHelp}

Example: npm run --silent ops -- roster upload examples/roster.csv --local`,
  async run({ values, positionals, target, print }) {
    const [action, file] = positionals;
    if (action !== 'upload' || !file) refuse('roster upload FILE', 'ops');
    const waitSeconds = numberOption('ops', 'wait-seconds', values['wait-seconds'], { min: 1, max: 900 });
    const upload = await uploadRoster(target, file, {
      stage: values.stage ?? 'local',
      timeoutMs: waitSeconds * 1000,
      noWait: values['no-wait'] === true,
    });
    print(upload, () => rosterUploadText(upload, waitSeconds));
    if (!values['no-wait'] && upload.outcome?.detailType !== 'Wickr Roster Accepted') process.exitCode = 1;
  },
};
