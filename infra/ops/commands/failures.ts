/** `ops failures`: what waits in the failure and dead-letter queues, and why. */
import { failureLine, listFailures } from '../failures.js';
import { type OpsCommand, targetOptionsHelp } from '../ops-command.js';

/** `ops failures`. */
export const failuresCommand: OpsCommand = {
  help: `npm run --silent ops -- failures [--function NAME] (--local | --stage S)

The messages in the failure queues and the rules' dead-letter queue: queue, function, error type, reason with the
fields named, event id, age.

  --function NAME      one function's only
${targetOptionsHelp}

Example: npm run --silent ops -- failures --local`,
  async run({ values, target, print }) {
    const failures = (await listFailures(target)).filter((f) => !values.function || f.function === values.function);
    print({ failures: failures.map(({ event: _e, receiptHandle: _r, ...f }) => f) }, () =>
      failures.length === 0 ? 'no failures waiting' : failures.map(failureLine).join('\n'),
    );
  },
};
