/** What a hold's decision means at a moment, and closing a hold that will not be applied. */
import type { Publisher } from '../ports.js';
import { type Hold, type HoldCapability, type HoldDecision, type Holds, holdRevision, isExpired } from './hold.js';

/**
 * The decision that counts for a hold: only one bound to exactly what the hold holds (its revision and count, as the
 * operator was shown them). Any other — a decision written around the entry point, or for other subjects — is none.
 */
export function boundDecision(hold: Hold, decision: HoldDecision | undefined): HoldDecision | undefined {
  if (!decision) return undefined;
  const bound = decision.revision === holdRevision(hold.subjects) && decision.count === hold.subjects.length;
  return bound ? decision : undefined;
}

/** `apply`: approved in time; `rejected`; `expired`: undecided past its expiry, or decided after it; `wait`. */
export type HoldVerdict = 'apply' | 'rejected' | 'expired' | 'wait';

/** The verdict on an open hold: a decision counts only if it was made before the hold expired. */
export function verdictOf(hold: Hold, decision: HoldDecision | undefined, nowMs: number): HoldVerdict {
  if (decision && !isExpired(hold, Date.parse(decision.decidedAt))) {
    return decision.decision === 'approve' ? 'apply' : 'rejected';
  }
  return decision || isExpired(hold, nowMs) ? 'expired' : 'wait';
}

/** The ports closing a hold needs. */
export interface HoldClosing {
  readonly holds: Pick<Holds, 'settle'>;
  readonly publisher: Publisher;
  readonly metrics?: { add(name: 'HoldsDecided', value: number): void } | undefined;
}

/**
 * Settles a hold as rejected or expired — nothing of it is applied — and says so once (`Wickr Hold Decided`, with
 * the deciding principal, or `expiry`). False when it had been settled already.
 */
export async function closeHold(
  deps: HoldClosing,
  hold: Hold,
  status: 'rejected' | 'expired',
  decision: HoldDecision | undefined,
  nowMs: number,
): Promise<boolean> {
  const by = status === 'rejected' && decision ? decision.decidedBy : 'expiry';
  if (!(await deps.holds.settle(hold.holdId, status, by, nowMs, { held: hold.subjects.length }))) return false;
  deps.metrics?.add('HoldsDecided', 1);
  await deps.publisher.publish('Wickr Hold Decided', {
    holdId: hold.holdId,
    capability: hold.capability,
    networkId: hold.networkId,
    decision: status,
    decidedBy: by,
    ...(decision?.reason && status === 'rejected' ? { reason: decision.reason } : {}),
    held: hold.subjects.length,
  });
  return true;
}

/**
 * Settles an approved hold once its actions are carried out, and says so once (`Wickr Hold Decided`, with what
 * applying it did and any detail of the capability's). False when it had been settled already.
 */
export async function settleApproved(
  deps: HoldClosing,
  hold: Hold,
  decision: HoldDecision | undefined,
  nowMs: number,
  result: Readonly<Record<string, number>>,
  detail: Readonly<Record<string, unknown>> = {},
): Promise<boolean> {
  if (!(await deps.holds.settle(hold.holdId, 'approved', decision?.decidedBy ?? 'unknown', nowMs, result))) {
    return false;
  }
  deps.metrics?.add('HoldsDecided', 1);
  await deps.publisher.publish('Wickr Hold Decided', {
    holdId: hold.holdId,
    capability: hold.capability,
    networkId: hold.networkId,
    decision: 'approved',
    decidedBy: decision?.decidedBy,
    ...result,
    ...detail,
  });
  return true;
}

/** A hold whose decision is to be carried out, or why nothing is: not this capability's, settled, undecided, closed. */
export type HoldToApply =
  | { readonly apply: true; readonly hold: Hold; readonly decision: HoldDecision | undefined; readonly nowMs: number }
  | {
      readonly apply: false;
      readonly holdId: string;
      readonly status: 'unknown' | 'settled-already' | 'undecided' | 'rejected' | 'expired';
    };

/**
 * Reads a hold of `capability` and its decision (from where only the operators may write it: the nudge that asks
 * carries no authority); a rejected or expired one is closed here. What every capability's approval starts with.
 */
export async function holdToApply(
  deps: HoldClosing & { readonly holds: Pick<Holds, 'get' | 'decisionOf' | 'settle'> },
  holdId: string,
  capability: HoldCapability,
  nowMs: number,
): Promise<HoldToApply> {
  const hold = await deps.holds.get(holdId);
  if (hold?.capability !== capability) return { apply: false, holdId, status: 'unknown' };
  if (hold.status !== 'open') return { apply: false, holdId, status: 'settled-already' };
  const decision = boundDecision(hold, await deps.holds.decisionOf(holdId));
  const verdict = verdictOf(hold, decision, nowMs);
  if (verdict === 'wait') return { apply: false, holdId, status: 'undecided' };
  if (verdict !== 'apply') {
    await closeHold(deps, hold, verdict, decision, nowMs);
    return { apply: false, holdId, status: verdict };
  }
  return { apply: true, hold, decision, nowMs };
}
