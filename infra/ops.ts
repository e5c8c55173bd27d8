/**
 * `npm run --silent ops -- <command> [options]`: the operator's cockpit over the same store readers, schemas and
 * clients as the functions — status, break-glass incidents, failures and redrive, audit, the rotation plan, an
 * employee. No business logic of its own: each command is a module of `infra/ops/commands/`.
 */
import { commandLine, forTerminal, refuse } from './command-line.js';
import { accessDeniedHint, readLocalEndpoints, staleStackReason } from './local/local-endpoints.js';
import { accessReviewCommand } from './ops/commands/access-review.js';
import { accountsCommand } from './ops/commands/accounts.js';
import { auditCommand } from './ops/commands/audit.js';
import { failuresCommand } from './ops/commands/failures.js';
import { holdsCommand } from './ops/commands/holds.js';
import { hrCommand } from './ops/commands/hr.js';
import { incidentsCommand } from './ops/commands/incidents.js';
import { planCommand } from './ops/commands/plan.js';
import { postureCommand } from './ops/commands/posture.js';
import { preflightCommand } from './ops/commands/preflight.js';
import { redriveCommand } from './ops/commands/redrive.js';
import { removalCheckCommand } from './ops/commands/removal-check.js';
import { rosterCommand } from './ops/commands/roster.js';
import { smokeCommand } from './ops/commands/smoke.js';
import { statusCommand } from './ops/commands/status.js';
import { type OpsCommand, opsOptions, targetOptionsHelp } from './ops/ops-command.js';
import { opsTarget } from './ops/ops-target.js';

const commands: Readonly<Record<string, OpsCommand>> = {
  status: statusCommand,
  incidents: incidentsCommand,
  failures: failuresCommand,
  redrive: redriveCommand,
  audit: auditCommand,
  plan: planCommand,
  hr: hrCommand,
  holds: holdsCommand,
  preflight: preflightCommand,
  accounts: accountsCommand,
  posture: postureCommand,
  'access-review': accessReviewCommand,
  roster: rosterCommand,
  smoke: smokeCommand,
  'removal-check': removalCheckCommand,
};

const help = `npm run ops -- <command> [options]

The operator's cockpit (add --silent after run to keep npm's banner out of --json). Commands (each has --help):
  status                       is each network locked down, by which incidents, which fields are held
  incidents declare|resolve    the break-glass: put a declaration or resolution on the bus
  failures                     what waits in the failure and dead-letter queues, and why
  redrive                      put those events back on the bus
  audit [verify]               the outcome events, in time order; verify: their chain against the anchors
  plan                         what a rotation tick would change (npm run policy:plan)
  hr employee ID               an employee's desired record and Wickr user
  holds                        what safeguards hold for a decision; show, approve or reject one
  accounts contain|release     contain a compromised account (suspended, devices signed out), or release it
  accounts status              the accounts under containment, and their open cases
  access-review                run an access review now: every account classified, the report, what is not ok
  roster upload FILE           put a roster snapshot (CSV or JSON Lines) in the roster bucket; say what it did
  preflight                    read-only: who you are, each network reachable, what the automation would do there
  smoke                        after a deploy: a dry-run incident through bus, function, Wickr and audit, timed
  removal-check                whether the stack may be removed: no network locked, no hold open (osls remove runs it)

${targetOptionsHelp}

Example: npm run --silent ops -- status --local --json`;

const [name = '', ...rest] = process.argv.slice(2);
if (name === '--help' || name === '') {
  console.log(help);
  process.exit(0);
}
if (name.startsWith('--')) refuse(`Unknown option '${name}'`, 'ops');
const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
if (!command) refuse(`unknown command ${name}; commands: ${Object.keys(commands).join(', ')}`, 'ops');
// `ops plan` is policy:plan: its options are that command's.
if ('passThrough' in command && !rest.includes('--help')) process.exit(command.passThrough(rest));
process.argv = [process.argv[0] ?? '', process.argv[1] ?? '', ...rest];
const { values, positionals } = commandLine('ops', command.help, opsOptions, { positionals: true });
const target = opsTarget(values);
if (target.kind === 'local') {
  const local = readLocalEndpoints();
  const stale = local && (await staleStackReason(local));
  if (stale) refuse(stale, 'ops');
}
try {
  if (!('run' in command)) process.exit(0);
  await command.run({
    values,
    positionals,
    target,
    network: values.network?.[0],
    // For machines (JSON, where control characters are escaped) or for the terminal — where a failure's reason or
    // an event's field could carry escape sequences that rewrite the screen, so controls (but newlines) are dropped.
    print: (data, text) => console.log(values.json ? JSON.stringify(data, null, 2) : forTerminal(text())),
  });
} catch (error) {
  const hint = accessDeniedHint(error, target.kind === 'local');
  console.error(`${name}: ${(error as Error).name}: ${(error as Error).message}${hint}`);
  process.exit(1);
}
