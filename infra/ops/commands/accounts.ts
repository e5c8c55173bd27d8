/** `ops accounts`: contain or release a compromised account; the accounts under containment. */
import { numberOption, refuse } from '../../command-line.js';
import { accountAnswerText, accountFact, accountStatus } from '../accounts.js';
import { type OpsCommand, targetOptionsHelp } from '../ops-command.js';

/** `ops accounts`. */
export const accountsCommand: OpsCommand = {
  help: `npm run --silent ops -- accounts contain (--user U | --guest HASH | --bot NAME) --case C [--reason "…"]
npm run --silent ops -- accounts release (--user U | --guest HASH | --bot NAME) --case C
npm run --silent ops -- accounts status [--user USERID|EMPLOYEE-ID]

Contain a compromised account at once — suspended, every device signed out — or release it when the case is
cleared. U is the Wickr username (e-mail) or the HR employee id of someone this deployment provisioned (others only
with containment.anyUser). Puts an Account Compromised / Account Cleared fact on the bus as the incident publishers
do (where incidentPublishers is set, you must be one) and prints what it did. The account is released when its last
open case is cleared; a suspension that was not the containment's stays, and signed-out devices stay signed out
(the person signs in again). A guest — a person of another network, named by the username hash ListGuestUsers
shows — is blocked instead, on every managed network that saw them, and unblocked at release only where the
containment blocked. A bot — an account with a static password, named by its username — is suspended (and
quarantined where the policy says) on every managed network that has it, released exactly. Your own containments pass containment.maxPerHour. Exit 0 when the account is as asked, 1
otherwise, 2 for bad options.

  --wait-seconds N     how long to wait for the answer                                      [60]
${targetOptionsHelp}

Example: npm run --silent ops -- accounts contain --user alice@example.com --case IR-42 --reason "token theft" --local`,
  async run({ values, positionals, target, print, network }) {
    const [action = 'status'] = positionals;
    if (action === 'status') {
      const accounts = await accountStatus(target, values.user);
      print({ accounts }, () =>
        accounts.length === 0
          ? 'no account under containment'
          : accounts
              .map(
                (a) =>
                  `${a.networkId} ${a.userId.replace(/^(guest|bot):/, '$1 ').replace(/^(?!guest |bot )/, 'user ')}${a.employeeId ? ` (${a.employeeId})` : ''}: ${a.contained ? `contained since ${a.containedSince}${a.suspendedByUs ? '' : ', suspended by someone else'}` : 'not contained'}; open cases: ${a.openCases.map((c) => `${c.caseId} (${c.source})`).join(', ') || 'none'}`,
              )
              .join('\n'),
      );
      return;
    }
    if (action !== 'contain' && action !== 'release') refuse('accounts contain|release|status', 'ops');
    const named = [values.user, values.guest, values.bot].filter(Boolean).length;
    if (!values.case || named !== 1)
      refuse(`accounts ${action}: needs --case and one of --user, --guest or --bot`, 'ops');
    const timeoutMs = numberOption('ops', 'wait-seconds', values['wait-seconds'], { min: 1, max: 900 }) * 1000;
    const result = await accountFact(target, action, {
      user: values.guest ? `guest:${values.guest}` : values.bot ? `bot:${values.bot}` : values.user,
      case: values.case,
      reason: values.reason,
      network: network,
      timeoutMs,
    });
    const { code, text } = accountAnswerText(action, result);
    print(result, () => text);
    process.exitCode = code;
  },
};
