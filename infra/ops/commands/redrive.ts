/** `ops redrive`: the failed events put back on the bus (what it would do first, unless --yes). */
import { refuse } from '../../command-line.js';
import { failureLine, listFailures, redrive } from '../failures.js';
import { type OpsCommand, targetOptionsHelp } from '../ops-command.js';

/** `ops redrive`. */
export const redriveCommand: OpsCommand = {
  help: `npm run --silent ops -- redrive (--all | --id MESSAGE_ID | --function NAME) [--yes | --dry-run] (--local | --stage S)

Shows what it would put back on the bus, then puts it, deleting each message only once its event was accepted; a
refused event is refused again and says so in its failure queue. Only an event the queue's own function accepts
(by its rule's pattern) is redriven — never one that asks for an override, and never another function's: a
message planted in a failure queue would otherwise be re-put with your credentials.

  --all                everything waiting (shows the plan only, unless --yes)
  --id MESSAGE_ID      one message (its id as failures lists it)
  --function NAME      one function's
  --yes                send, for --all
  --dry-run            show the plan only
${targetOptionsHelp}

Example: npm run --silent ops -- redrive --all --local   # then again with --yes`,
  async run({ values, target, print }) {
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
      return;
    }
    const result = await redrive(target, chosen);
    print(result, () =>
      [
        `redriven ${result.redriven}, kept ${result.kept}`,
        ...result.refused.map((r) => `  kept ${r.messageId}: ${r.reason}`),
      ].join('\n'),
    );
    if (result.refused.length > 0 && result.redriven === 0) process.exitCode = 1;
  },
};
