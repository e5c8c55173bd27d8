/** The line `npm start -- --serve` prints for each invocation as it ends: what ran, and what became of it. */
import type { InvocationRecord } from './lambda/invocation-log.js';
import type { LocalStack } from './local-stack.js';

/**
 * Time, function, event (or batch), attempt, outcome, duration and the Wickr calls meanwhile; a refusal's or
 * failure's reason. A batch says how many messages were applied, refused (with why) and left to retry.
 */
export function invocationLine(stack: Pick<LocalStack, 'emulator'>, r: InvocationRecord): string {
  const calls = stack.emulator
    .journal()
    .filter((e) => e.at >= Date.parse(r.startedAt) && e.at <= Date.parse(r.endedAt)).length;
  const head = `${r.endedAt.slice(11, 23)} ${r.functionName}`;
  const tail = `attempt ${r.attempt} in ${r.durationMs} ms, ${calls} Wickr calls`;
  if (r.items && r.outcome !== 'failed') {
    // A batch says what became of its messages, never "succeeded" over refusals.
    const { total, failed, refused } = r.items;
    const applied = total - failed - refused.length;
    const parts = [
      `${applied} applied`,
      ...(refused.length ? [`${refused.length} refused`] : []),
      ...(failed ? [`${failed} to retry`] : []),
    ];
    const why = refused.map((x) => `${x.employeeId ?? 'a message'}: ${x.reason}`).join('; ');
    return `${head} batch of ${total}: ${parts.join(', ')} (${tail})${why ? ` — ${why}` : ''}`;
  }
  const what = r.messageIds ? `batch of ${r.messageIds.length}` : `${r.detailType} ${r.eventId}`;
  const why = r.error ? ` — ${r.error.name}: ${r.error.message}` : '';
  return `${head} ${what} attempt ${r.attempt}: ${r.outcome} in ${r.durationMs} ms, ${calls} Wickr calls${why}`;
}
