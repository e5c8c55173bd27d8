/** `ops holds`: what safeguards hold for a decision; show, approve or reject one. */
import { forTerminal, numberOption, refuse } from '../../command-line.js';
import { decideHold, HoldDecisionRefusedError, holdLine, holdPlanText, listHolds } from '../holds.js';
import { type OpsCommand, targetOptionsHelp } from '../ops-command.js';

/** `ops holds`. */
export const holdsCommand: OpsCommand = {
  help: `npm run --silent ops -- holds [list] (--local | --stage S)
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
${targetOptionsHelp}

Example: npm run --silent ops -- holds approve hr-12345678-20261130t0300-1 --revision 3f2a9c0d1e4b --count 12 --local`,
  async run({ values, positionals, target, print }) {
    const [action = 'list', holdId] = positionals;
    if (action === 'list') {
      const holds = await listHolds(target);
      print({ holds }, () => (holds.length === 0 ? 'no holds' : holds.map(holdLine).join('\n')));
      return;
    }
    if (!holdId || !['show', 'approve', 'reject'].includes(action))
      refuse('holds [list] | show|approve|reject ID', 'ops');
    if (action === 'show') {
      const hold = (await listHolds(target)).find((h) => h.holdId === holdId);
      if (!hold) refuse(`holds show: no hold ${holdId}`, 'ops');
      print({ hold }, () => holdPlanText(hold));
      return;
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
  },
};
