/** What a hold's decision means at a moment, and closing a hold that will not be applied. */
import { type Hold, type HoldDecision, type Holds, isExpired } from './hold.js';

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
  readonly publisher: { publish(detailType: string, detail: Readonly<Record<string, unknown>>): Promise<void> };
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
