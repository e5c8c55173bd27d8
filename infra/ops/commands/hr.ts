/** `ops hr`: an employee's desired record and Wickr user. */
import { refuse } from '../../command-line.js';
import { employeeText, employeeView } from '../hr-employee.js';
import { type OpsCommand, targetOptionsHelp } from '../ops-command.js';

/** `ops hr`. */
export const hrCommand: OpsCommand = {
  help: `npm run --silent ops -- hr employee ID [--network ID] (--local | --stage S)

The employee's desired record (latest fact, whether onboarded, what was applied) and their Wickr user.
${targetOptionsHelp}

Example: npm run --silent ops -- hr employee E-1001 --local`,
  async run({ positionals, target, print, network }) {
    if (positionals[0] !== 'employee' || !positionals[1]) refuse('hr employee ID', 'ops');
    const view = await employeeView(
      target,
      positionals[1],
      network ?? target.policy.hr.defaultNetworkId ?? target.policy.networks[0]?.networkId ?? '',
    );
    if (!view.record) {
      print(view, () => `no employee ${view.employeeId} on network ${view.networkId}: no fact about them was recorded`);
      process.exitCode = 1;
      return;
    }
    print(view, () => employeeText(view));
  },
};
