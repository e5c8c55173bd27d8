/** The quarter-hourly sweep of holds: undecided ones past their expiry close as expired; the open ones are counted. */
import type { MetricsPort } from '../metric-names.js';
import type { Publisher } from '../ports.js';
import type { Holds } from './hold.js';
import { boundDecision, closeHold, verdictOf } from './hold-verdict.js';

/** What the sweep needs. */
export interface SweepHoldsDeps {
  readonly holds: Holds;
  readonly clock: { now(): number };
  readonly publisher: Publisher;
  readonly metrics?: MetricsPort | undefined;
  readonly logger: { info(message: string, extra: Record<string, unknown>): void };
}

/**
 * Closes every open hold whose time is up and that no decision in time approved or rejected (decided ones are
 * carried out by their capability when the operator's nudge arrives); emits `HoldsOpen`, the gauge the alarm
 * watches. Returns the counts.
 */
export async function sweepHolds(deps: SweepHoldsDeps) {
  const now = deps.clock.now();
  let open = 0;
  let expired = 0;
  let awaiting = 0;
  for (const hold of await deps.holds.list()) {
    if (hold.status !== 'open') continue;
    const decision = boundDecision(hold, await deps.holds.decisionOf(hold.holdId));
    const verdict = verdictOf(hold, decision, now);
    if (verdict === 'expired' && (await closeHold(deps, hold, 'expired', decision, now))) expired++;
    else if (verdict === 'wait') open++;
    else awaiting++;
  }
  deps.metrics?.add('HoldsOpen', open);
  deps.logger.info('Holds swept', { open, expired, decidedAwaitingApplication: awaiting });
  return { open, expired, decidedAwaitingApplication: awaiting };
}
