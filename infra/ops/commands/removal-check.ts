/** `ops removal-check`: whether the stack may be removed, and what blocks it. */
import { accountStatus } from '../accounts.js';
import { listHolds } from '../holds.js';
import { type OpsCommand, targetOptionsHelp } from '../ops-command.js';
import { queuedWork } from '../queued-work.js';
import { removalBlockers } from '../removal-check.js';
import { networkStatus } from '../status.js';

/** `ops removal-check`. */
export const removalCheckCommand: OpsCommand = {
  help: `npm run --silent ops -- removal-check (--local | --stage S)

Whether the stack may be removed now. A network under lockdown would stay locked with nobody left to restore it,
an open hold would be lost undecided, a contained account (a person's, a guest's, a bot's) would stay suspended with
nothing to release it, work still queued (HR facts, roster chunks, an access review under way) would be dropped: each
is listed with what to do first. Exit 0 when nothing blocks, 1 otherwise. \`osls remove\` runs it first and refuses
while anything is listed (WICKR_AUTOPILOT_FORCE_REMOVE=1 skips it).
${targetOptionsHelp}

Example: npm run --silent ops -- removal-check --stage prod`,
  async run({ target, print }) {
    const networks = await networkStatus(target, undefined, []);
    const blockers = removalBlockers(
      networks,
      await listHolds(target),
      await accountStatus(target),
      await queuedWork(target),
    );
    print({ removable: blockers.length === 0, blockers }, () =>
      blockers.length === 0
        ? 'nothing blocks removal: no network locked, no hold open, no account contained, nothing queued'
        : blockers.join('\n'),
    );
    if (blockers.length > 0) process.exitCode = 1;
  },
};
