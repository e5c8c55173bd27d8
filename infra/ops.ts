/**
 * `npm run --silent ops -- <command> [options]`: the operator's cockpit over the same store readers, schemas and
 * clients as the functions — status, break-glass incidents, failures and redrive, audit, the rotation plan, an
 * employee. No business logic of its own.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { IncidentStateStore } from '../lib/store/incident-state-store.js';
import { commandLine, forTerminal, numberOption, refuse } from './command-line.js';
import { accessDeniedHint, readLocalEndpoints, staleStackReason } from './local/local-endpoints.js';
import { reviewText, runAccessReview } from './ops/access-review.js';
import { accountAnswerText, accountFact, accountStatus } from './ops/accounts.js';
import { auditTrail, durationMs } from './ops/audit.js';
import { auditExtra } from './ops/audit-line.js';
import { listFailures, redrive } from './ops/failures.js';
import { decideHold, HoldDecisionRefusedError, holdLine, holdPlanText, listHolds } from './ops/holds.js';
import { employeeView } from './ops/hr-employee.js';
import { putIncidentEvent } from './ops/incident-events.js';
import { callerArn, exitCodeOf, waitForOutcomes } from './ops/incident-outcomes.js';
import { opsTarget } from './ops/ops-target.js';
import {
  checkPermissions,
  type DeployerStatement,
  iamSimulator,
  type PermissionCheck,
  permissionText,
  simulationCalls,
} from './ops/permission-check.js';
import { preflight, preflightText } from './ops/preflight.js';
import { removalBlockers } from './ops/removal-check.js';
import { rosterUploadText, uploadRoster } from './ops/roster-upload.js';
import { smoke, smokeText } from './ops/smoke.js';
import { networkStatus, statusText } from './ops/status.js';

const where = `  --local              the running local stack (npm start -- --serve)
  --as KEY             with --local: sign as this access key, one npm start -- --identity KEY=ARN mapped
                       (where incidentPublishers is set, the bus admits only their keys)           [local]
  --stage S            a deployed stage (resource names from serverless.yml), with --region R     [us-east-1]
  --json               JSON instead of text
  --help               this text`;

const helps: Record<string, string> = {
  '': `npm run ops -- <command> [options]

The operator's cockpit (add --silent after run to keep npm's banner out of --json). Commands (each has --help):
  status                       is each network locked down, by which incidents, which fields are held
  incidents declare|resolve    the break-glass: put a declaration or resolution on the bus
  failures                     what waits in the failure and dead-letter queues, and why
  redrive                      put those events back on the bus
  audit                        the outcome events, in time order
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

${where}

Example: npm run --silent ops -- status --local --json`,
  status: `npm run --silent ops -- status [--network ID] (--local | --stage S)

Per network: locked, the active incidents (id, severity, title, declared at), the fields held (group, field,
original value → value set), whether the popup is held, a reconcile pending or running, when it was last
reconciled, the resolutions remembered, and the rotation's last tick (from the audit trail).

  --network ID         one network only
${where}

Example: npm run --silent ops -- status --local --json`,
  incidents: `npm run --silent ops -- incidents declare --id ID --severity SEV1-4 [--title T] [--network ID]… [--groups P,P]
npm run --silent ops -- incidents resolve --id ID [--network ID]… [--override --reason "…"]
npm run --silent ops -- incidents release-all --network ID --override --reason "…"

Waits for what the fact did and prints it (per network: applied, updated or lifted with the groups and fields,
matched no group, ignored and why, or refused with the field and rule); --no-wait only sends. Exit 0 when it was
acted on, 1 when it was refused or ignored or did nothing, 2 for bad options.

  --override --reason  resolve what another channel declared (a Security Hub incident): incident publishers only,
                       audited with your identity and the reason
  release-all          the kill switch: every incident active on the network resolved by override, restored exactly
  --no-wait            send, and print the event id only
  --wait-seconds N     how long to wait for the outcome                                      [60]

Builds the contract's event, checks it with the functions' own schema (a bad value: exit 2 naming it, nothing
sent), and puts it on the deployment's bus with the incident source — the break-glass when the incident tool is
down. Where the deployment names its incidentPublishers, the caller must be one of them.
${where}

Example: npm run --silent ops -- incidents declare --id INC-7 --severity SEV1 --title "Breach" --local`,
  failures: `npm run --silent ops -- failures [--function NAME] (--local | --stage S)

The messages in the failure queues and the rules' dead-letter queue: queue, function, error type, reason with the
fields named, event id, age.

  --function NAME      one function's only
${where}

Example: npm run --silent ops -- failures --local`,
  redrive: `npm run --silent ops -- redrive (--all | --id MESSAGE_ID | --function NAME) [--yes | --dry-run] (--local | --stage S)

Shows what it would put back on the bus, then puts it, deleting each message only once its event was accepted; a
refused event is refused again and says so in its failure queue. Only an event the queue's own function accepts
(by its rule's pattern) is redriven — never one that asks for an override, and never another function's: a
message planted in a failure queue would otherwise be re-put with your credentials.

  --all                everything waiting (shows the plan only, unless --yes)
  --id MESSAGE_ID      one message (its id as failures lists it)
  --function NAME      one function's
  --yes                send, for --all
  --dry-run            show the plan only
${where}

Example: npm run --silent ops -- redrive --all --local   # then again with --yes`,
  audit: `npm run --silent ops -- audit [--since 24h] [--network ID] [--incident ID] (--local | --stage S)

The outcome events (applied, lifted, reconciled, provisioned, rotated, failed) in time order: a stage's audit log
group, or the local bus's record.

  --since D            how far back: m, h or d                                              [24h]
  --network ID, --incident ID   filters
${where}

Example: npm run --silent ops -- audit --since 1h --local`,
  plan: `npm run --silent ops -- plan --network ID [--at ISO] --local

What a rotation tick would change: npm run policy:plan, with the same options.

Example: npm run --silent ops -- plan --network 12345678 --local`,
  hr: `npm run --silent ops -- hr employee ID [--network ID] (--local | --stage S)

The employee's desired record (latest fact, whether onboarded, what was applied) and their Wickr user.
${where}

Example: npm run --silent ops -- hr employee E-1001 --local`,
  holds: `npm run --silent ops -- holds [list] (--local | --stage S)
npm run --silent ops -- holds show ID (--local | --stage S)
npm run --silent ops -- holds approve ID --revision R --count N [--reason "…"] (--local [--as KEY] | --stage S)
npm run --silent ops -- holds reject ID [--reason "…"] (--local [--as KEY] | --stage S)

A hold keeps actions a safeguard stopped (a burst of deprovisions past safeguards.hr, a rotation past its guard)
until a person decides. list: every hold, open first. show: its plan (subject, field, current → desired) and the
safeguard's figures, its revision and count. approve: exactly those actions (the revision and count show printed;
a hold that changed since is refused — show it again), each re-planned against the facts as they then stand (a
leaver rehired meanwhile stays active); reject: dropped (the desired state keeps the facts). The first decision
seals the hold: later actions start a new one. Decisions go through the operators' entry point, which knows who you
are from your signature: only the operators' role decides, never a principal that could have caused the hold (the
HR publishers for HR holds). Undecided holds expire after safeguards.holdHours as rejected. Waits for the outcome;
exit 0 when it was carried out, 1 when refused or silent.

  --revision R         the hold's revision, as holds show prints it (approve)
  --count N            how many actions it holds, as holds show prints it (approve)

  --reason "…"         why, kept with the decision
  --wait-seconds N     how long to wait for the outcome                                      [60]
${where}

Example: npm run --silent ops -- holds approve hr-12345678-20261130t0300-1 --revision 3f2a9c0d1e4b --count 12 --local`,
  preflight: `npm run --silent ops -- preflight (--local | --stage S)

Read-only, against the networks of the policy file: the caller's identity and (on a stage) a dry IAM simulation
of what osls deploy needs (infra/deployer-policy.json's actions on this stage's resources; "not simulated" where
iam:SimulatePrincipalPolicy is denied); each network reachable (a list and a
settings read); what a SEV1, SEV2, SEV3 and SEV4 lockdown would change there (group, field, current → playbook;
the popup; selectors that would match nothing); which hr.allowedDepartments have a group and which would be
created; what a rotation tick would change now and whether its guard would hold it. Nothing is written. Exit 1
when something would fail or do nothing (a network that does not answer, a playbook that changes nothing).
${where}

Example: npm run --silent ops -- preflight --local`,
  accounts: `npm run --silent ops -- accounts contain --user U --case C [--reason "…"] [--network N]
npm run --silent ops -- accounts release --user U --case C
npm run --silent ops -- accounts status [--user USERID|EMPLOYEE-ID]

Contain a compromised account at once — suspended, every device signed out — or release it when the case is
cleared. U is the Wickr username (e-mail) or the HR employee id of someone this deployment provisioned (others only
with containment.anyUser). Puts an Account Compromised / Account Cleared fact on the bus as the incident publishers
do (where incidentPublishers is set, you must be one) and prints what it did. The account is released when its last
open case is cleared; a suspension that was not the containment's stays, and signed-out devices stay signed out
(the person signs in again). Your own containments pass containment.maxPerHour. Exit 0 when the account is as
asked, 1 otherwise, 2 for bad options.

  --wait-seconds N     how long to wait for the answer                                      [60]
${where}

Example: npm run --silent ops -- accounts contain --user alice@example.com --case IR-42 --reason "token theft" --local`,
  'access-review': `npm run --silent ops -- access-review [--network ID] (--local | --stage S) [--csv FILE] [--wait-seconds N]

Runs an access review now, as the schedule would: every Wickr account of the network (or of every network of the
policy) classified against the HR records — ok, wrong-group, leaver-active, orphan, inactive, pending-invite,
invite-expired, suspended, admin, exempt — with its evidence. Waits for each network's report (a CSV and a JSON in the
reports bucket), prints the counts and every account that is not ok. Exit 0 when every network was reviewed.

  --network ID         one network only
  --csv FILE           also write the report's CSV to FILE (one network)
  --wait-seconds N     how long to wait for the reports                                     [60]
${where}

Example: npm run --silent ops -- access-review --network 12345678 --local`,
  roster: `npm run --silent ops -- roster upload FILE (--local | --stage S) [--wait-seconds N | --no-wait]

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
${where}

Example: npm run --silent ops -- roster upload examples/roster.csv --local`,
  smoke: `npm run --silent ops -- smoke (--local | --stage S) [--wait-seconds N]

After a deploy: puts a dry-run SEV1 declaration on the bus as an incident publisher (the caller must be one where
incidentPublishers is set). The incident function plans it against every network of the policy — reading Wickr,
recording and changing nothing — and answers Wickr Lockdown Planned, which the smoke test reads back from the audit
trail. Prints each hop and its time: put → bus, bus → incident function, function → Wickr (per network, with what a
SEV1 would change), outcome → audit trail. Exit 0 only when every hop answered for every network; 1 naming the hop
that did not (a failed invocation with its error, a network Wickr refused, or no answer in time).

  --wait-seconds N     how long to wait for the answers                                     [60]
${where}

Example: npm run --silent ops -- smoke --stage prod`,
  'removal-check': `npm run --silent ops -- removal-check (--local | --stage S)

Whether the stack may be removed now. A network under lockdown would stay locked with nobody left to restore it,
and an open hold would be lost undecided: each is listed with what to do first. Exit 0 when nothing blocks, 1
otherwise. \`osls remove\` runs it first and refuses while anything is listed (WICKR_AUTOPILOT_FORCE_REMOVE=1 skips it).
${where}

Example: npm run --silent ops -- removal-check --stage prod`,
};

const deployerPolicy = () =>
  JSON.parse(readFileSync('infra/deployer-policy.json', 'utf8')) as { Statement: DeployerStatement[] };

const [command = '', ...rest] = process.argv.slice(2);
if (command === 'plan') {
  const plan = spawnSync(process.execPath, ['--import', 'tsx', 'infra/policy-plan.ts', ...rest], { stdio: 'inherit' });
  process.exit(plan.status ?? 1);
}
if (command === '--help' || command === '') {
  console.log(helps['']);
  process.exit(0);
}
if (command.startsWith('--')) refuse(`Unknown option '${command}'`, 'ops');
if (!(command in helps)) {
  refuse(`unknown command ${command}; commands: ${Object.keys(helps).filter(Boolean).join(', ')}`, 'ops');
}
process.argv = [process.argv[0] ?? '', process.argv[1] ?? '', ...rest];
const { values, positionals } = commandLine(
  'ops',
  helps[command] ?? '',
  {
    local: { type: 'boolean' },
    as: { type: 'string' },
    stage: { type: 'string' },
    region: { type: 'string' },
    json: { type: 'boolean' },
    network: { type: 'string', multiple: true },
    id: { type: 'string' },
    severity: { type: 'string' },
    title: { type: 'string' },
    groups: { type: 'string' },
    function: { type: 'string' },
    all: { type: 'boolean' },
    yes: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    override: { type: 'boolean' },
    reason: { type: 'string' },
    'no-wait': { type: 'boolean' },
    'wait-seconds': { type: 'string', default: '60' },
    since: { type: 'string', default: '24h' },
    incident: { type: 'string' },
    user: { type: 'string' },
    case: { type: 'string' },
    csv: { type: 'string' },
    revision: { type: 'string' },
    count: { type: 'string' },
  },
  { positionals: true },
);
const target = opsTarget(values);
if (target.kind === 'local') {
  const local = readLocalEndpoints();
  const stale = local && (await staleStackReason(local));
  if (stale) refuse(stale, 'ops');
}
/** An employee as the on-call reads it: ids and states, never a name or an e-mail. */
const employeeText = (v: Awaited<ReturnType<typeof employeeView>>) => {
  const r = v.record as {
    latestFact: { time: string; placement: { state: string; groupName?: string } };
    onboarded: boolean;
    applied: { status?: string; userId?: string; groupId?: string; groupName?: string } | null;
  };
  const p = r.latestFact.placement;
  return [
    `employee ${v.employeeId} on ${v.networkId}: ${p.state === 'active' ? `active in ${p.groupName}` : 'left'} (latest fact ${r.latestFact.time})${r.onboarded ? '' : ', never onboarded'}`,
    `  applied: ${r.applied?.status ?? 'nothing yet'}${r.applied?.userId ? `, user ${r.applied.userId}` : ''}${r.applied?.groupId ? ` in ${r.applied.groupName ? `${r.applied.groupName} (${r.applied.groupId})` : r.applied.groupId}` : ''}`,
    `  Wickr: ${v.wickrUser ? `user ${v.wickrUser.userId}, ${v.wickrUser.suspended ? 'suspended' : 'active'}, groups ${v.wickrUser.securityGroups.map((g) => (g.name ? `${g.name} (${g.id})` : g.id)).join(', ') || 'none'}` : 'no user'}`,
  ].join('\n');
};
/** One failure as the on-call reads it: the id redrive takes, its age, whose it is, why, and what redrive would do. */
const failureLine = (f: Awaited<ReturnType<typeof listFailures>>[number]) =>
  [
    f.messageId,
    f.ageSeconds === undefined ? '' : `${f.ageSeconds}s ago`,
    f.queue,
    f.function ?? '-',
    f.detailType ?? '',
    `${f.errorType}: ${f.reason}`,
    f.redrive && 'bus' in f.redrive ? `redrive → ${f.redrive.bus}` : `not redriven: ${f.redrive?.refused ?? ''}`,
  ]
    .filter(Boolean)
    .join('  ');
/**
 * Prints for machines (JSON, where control characters are escaped) or for the terminal — where a failure's reason
 * or an event's field could carry escape sequences that rewrite the screen, so controls (but newlines) are dropped.
 */
const print = (data: unknown, text: () => string) =>
  console.log(values.json ? JSON.stringify(data, null, 2) : forTerminal(text()));
const network = values.network?.[0];

try {
  switch (command) {
    case 'status': {
      // The rotation's last tick comes from the audit trail; without access to it, status goes on without.
      const trail = await auditTrail(target, { sinceMs: 2 * 86_400_000 }).catch(() => []);
      const networks = await networkStatus(target, network, trail);
      print({ networks }, () => statusText(networks));
      break;
    }
    case 'incidents': {
      const action = positionals[0];
      if (action !== 'declare' && action !== 'resolve' && action !== 'release-all') {
        refuse('incidents: declare, resolve or release-all', 'ops');
      }
      if ((values.override || action === 'release-all') && (!values.override || !values.reason)) {
        refuse(`incidents ${action}: an override needs --override and --reason "why" (both)`, 'ops');
      }
      if (values.override && action === 'declare') refuse('incidents declare: --override is for resolve', 'ops');
      const waitMs = numberOption('ops', 'wait-seconds', values['wait-seconds'], { min: 1, max: 900 }) * 1000;
      const facts: { eventId: string; incidentId: string; networks: string[] }[] = [];
      if (action === 'release-all') {
        if (!network) refuse('incidents release-all: --network ID is required', 'ops');
        const store = new IncidentStateStore(target.db, target.stateTable);
        const { active } = await store.readDesired(network);
        for (const incident of active) {
          const options = { ...values, id: incident.incidentId, network: [network] };
          facts.push({
            eventId: await putIncidentEvent(target, 'resolve', options),
            incidentId: incident.incidentId,
            networks: [network],
          });
        }
        if (active.length === 0) {
          print({ released: [] }, () => `nothing to release: no incident is active on ${network}`);
          break;
        }
      } else {
        const networks = values.network?.length ? values.network : target.policy.networks.map((n) => n.networkId);
        const eventId = await putIncidentEvent(target, action, { ...values, network: values.network });
        facts.push({ eventId, incidentId: values.id ?? '', networks });
      }
      if (values['no-wait']) {
        print({ events: facts }, () => facts.map((f) => `sent ${f.incidentId} as event ${f.eventId}`).join('\n'));
        break;
      }
      let exit: 0 | 1 = 0;
      const results: {
        eventId: string;
        incidentId: string;
        outcomes: { kind: string; networkId?: string | undefined; text: string }[];
        silent: string[];
      }[] = [];
      for (const fact of facts) {
        const outcomes = await waitForOutcomes(target, fact.eventId, fact.networks, { timeoutMs: waitMs });
        if (exitCodeOf(outcomes, fact.networks) === 1) exit = 1;
        const answered = new Set(outcomes.map((o) => o.networkId));
        const silent = fact.networks.filter((n) => !answered.has(n) && !outcomes.some((o) => o.kind === 'refused'));
        results.push({
          ...fact,
          outcomes: outcomes.map(({ kind, networkId, text }) => ({ kind, networkId, text })),
          silent,
        });
      }
      print({ results }, () =>
        results
          .flatMap((r) => [
            `${r.incidentId} (event ${r.eventId}):`,
            ...r.outcomes.map((o) => o.text),
            ...r.silent.map(
              (n) =>
                `no outcome on ${n} within ${waitMs / 1000} s (ops audit --incident ${r.incidentId} shows it when it comes)`,
            ),
          ])
          .join('\n'),
      );
      process.exitCode = exit;
      break;
    }
    case 'failures': {
      const failures = (await listFailures(target)).filter((f) => !values.function || f.function === values.function);
      print({ failures: failures.map(({ event: _e, receiptHandle: _r, ...f }) => f) }, () =>
        failures.length === 0 ? 'no failures waiting' : failures.map(failureLine).join('\n'),
      );
      break;
    }
    case 'redrive': {
      if (!values.all && !values.id && !values.function) {
        refuse('redrive: pass --all, --id MESSAGE_ID or --function NAME', 'ops');
      }
      const chosen = (await listFailures(target)).filter(
        (f) => (!values.id || f.messageId === values.id) && (!values.function || f.function === values.function),
      );
      if (values.id && chosen.length === 0) refuse(`redrive: no failure message ${values.id}`, 'ops');
      const plan = chosen.map(failureLine).join('\n');
      if (values['dry-run'] || (values.all && !values.yes)) {
        print({ plan: chosen.map(({ event: _e, receiptHandle: _r, ...f }) => f), sent: false }, () =>
          chosen.length === 0
            ? 'no failures waiting'
            : `${plan}\nnothing sent${values['dry-run'] ? '' : ': add --yes to redrive what is marked redrive →'}`,
        );
        break;
      }
      const result = await redrive(target, chosen);
      print(result, () =>
        [
          `redriven ${result.redriven}, kept ${result.kept}`,
          ...result.refused.map((r) => `  kept ${r.messageId}: ${r.reason}`),
        ].join('\n'),
      );
      if (result.refused.length > 0 && result.redriven === 0) process.exitCode = 1;
      break;
    }
    case 'audit': {
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
      break;
    }
    case 'holds': {
      const [action = 'list', holdId] = positionals;
      if (action === 'list') {
        const holds = await listHolds(target);
        print({ holds }, () => (holds.length === 0 ? 'no holds' : holds.map(holdLine).join('\n')));
        break;
      }
      if (!holdId || !['show', 'approve', 'reject'].includes(action))
        refuse('holds [list] | show|approve|reject ID', 'ops');
      if (action === 'show') {
        const hold = (await listHolds(target)).find((h) => h.holdId === holdId);
        if (!hold) refuse(`holds show: no hold ${holdId}`, 'ops');
        print({ hold }, () => holdPlanText(hold));
        break;
      }
      if (action === 'approve' && (!values.revision || !values.count)) {
        refuse(`holds approve: --revision R --count N, as holds show ${holdId} prints them (what you approve)`, 'ops');
      }
      try {
        const waitMs = numberOption('ops', 'wait-seconds', values['wait-seconds'], { min: 1, max: 900 }) * 1000;
        const count = values.count
          ? numberOption('ops', 'count', values.count, { min: 0, max: 100_000, integer: true })
          : undefined;
        const decided = await decideHold(target, holdId, action as 'approve' | 'reject', {
          revision: values.revision,
          count,
          reason: values.reason,
          waitMs,
        });
        const o = decided.outcome;
        print(decided, () =>
          o
            ? `${holdId}: ${String(o.decision)} by ${String(o.decidedBy)}${o.applied !== undefined ? ` — ${String(o.applied)} applied, ${String(o.skipped)} skipped (their facts moved on)` : ''}`
            : `${holdId}: ${action} recorded by ${decided.recorded.decidedBy} at revision ${decided.recorded.revision}, no outcome within ${waitMs / 1000} s (ops audit shows it when it comes)`,
        );
        if (!o || (o.decision !== 'approved' && o.decision !== 'rejected')) process.exitCode = 1;
      } catch (error) {
        if (!(error instanceof HoldDecisionRefusedError)) throw error;
        console.error(forTerminal(`holds ${action}: ${error.message}`));
        process.exitCode = 1;
      }
      break;
    }
    case 'preflight': {
      const caller = await callerArn(target, values.as).catch(() => undefined);
      const permissions: PermissionCheck =
        target.kind === 'local'
          ? { status: 'not-simulated', reason: 'the local stack has no IAM' }
          : !caller
            ? { status: 'not-simulated', reason: 'the caller is unknown' }
            : await checkPermissions(
                iamSimulator(target.region),
                caller,
                simulationCalls(deployerPolicy().Statement, {
                  region: target.region,
                  account: caller.split(':')[4] ?? '',
                  stage: values.stage ?? 'dev',
                }),
              );
      const networks = await preflight(target.wickr, target.policy, new Date());
      print({ caller, permissions, networks }, () => preflightText(caller, networks, permissionText(permissions)));
      if (!caller || permissions.status === 'missing' || networks.some((n) => n.problems.length > 0)) {
        process.exitCode = 1;
      }
      break;
    }
    case 'accounts': {
      const [action = 'status'] = positionals;
      if (action === 'status') {
        const accounts = await accountStatus(target, values.user);
        print({ accounts }, () =>
          accounts.length === 0
            ? 'no account under containment'
            : accounts
                .map(
                  (a) =>
                    `${a.networkId} user ${a.userId}${a.employeeId ? ` (${a.employeeId})` : ''}: ${a.contained ? `contained since ${a.containedSince}${a.suspendedByUs ? '' : ', suspended by someone else'}` : 'not contained'}; open cases: ${a.openCases.map((c) => `${c.caseId} (${c.source})`).join(', ') || 'none'}`,
                )
                .join('\n'),
        );
        break;
      }
      if (action !== 'contain' && action !== 'release') refuse('accounts contain|release|status', 'ops');
      if (!values.user || !values.case) refuse(`accounts ${action}: needs --user and --case`, 'ops');
      const timeoutMs = numberOption('ops', 'wait-seconds', values['wait-seconds'], { min: 1, max: 900 }) * 1000;
      const result = await accountFact(target, action, {
        user: values.user,
        case: values.case,
        reason: values.reason,
        network: network,
        timeoutMs,
      });
      const { code, text } = accountAnswerText(action, result);
      print(result, () => text);
      process.exitCode = code;
      break;
    }
    case 'access-review': {
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
      break;
    }
    case 'roster': {
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
      break;
    }
    case 'smoke': {
      const timeoutMs = numberOption('ops', 'wait-seconds', values['wait-seconds'], { min: 1, max: 900 }) * 1000;
      const report = await smoke(target, { timeoutMs });
      print(report, () => smokeText(report));
      if (!report.ok) process.exitCode = 1;
      break;
    }
    case 'removal-check': {
      const networks = await networkStatus(target, undefined, []);
      const blockers = removalBlockers(networks, await listHolds(target), await accountStatus(target));
      print({ removable: blockers.length === 0, blockers }, () =>
        blockers.length === 0
          ? 'nothing blocks removal: no network locked, no hold open, no account contained'
          : blockers.join('\n'),
      );
      if (blockers.length > 0) process.exitCode = 1;
      break;
    }
    case 'hr': {
      if (positionals[0] !== 'employee' || !positionals[1]) refuse('hr employee ID', 'ops');
      const view = await employeeView(
        target,
        positionals[1],
        network ?? target.policy.hr.defaultNetworkId ?? target.policy.networks[0]?.networkId ?? '',
      );
      if (!view.record) {
        print(
          view,
          () => `no employee ${view.employeeId} on network ${view.networkId}: no fact about them was recorded`,
        );
        process.exitCode = 1;
        break;
      }
      print(view, () => employeeText(view));
      break;
    }
  }
} catch (error) {
  const hint = accessDeniedHint(error, target.kind === 'local');
  console.error(`${command}: ${(error as Error).name}: ${(error as Error).message}${hint}`);
  process.exit(1);
}
