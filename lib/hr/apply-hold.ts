/** An operator's decision on an HR hold, carried out: the held leavers deprovisioned, or left as they are. */
import { AggregateFailure, AutomationError } from '../failure.js';
import { closeHold, verdictOf } from '../holds/hold-verdict.js';
import type { HrDeps } from './ports.js';
import { reconcileEmployees } from './reconcile-employees.js';

/** What became of a hold when its decision was carried out. */
export interface HoldSettled {
  readonly holdId: string;
  readonly status: 'approved' | 'rejected' | 'expired' | 'undecided' | 'unknown' | 'settled-already';
  readonly result?: Readonly<Record<string, number>>;
}

/**
 * Carries out the decision on an HR hold. The nudge that brings a hold here carries no authority: the decision
 * is read from where only the operators may write it. Approval re-plans each held employee against their record
 * as it stands — one rehired meanwhile stays active, one deprovisioned meanwhile is not touched again — and
 * applies what remains in batches, bypassing the window that held them. Rejection (or a decision after expiry)
 * settles the hold and changes nothing; the records keep their facts, so an access review shows the drift.
 */
export async function applyHoldDecision(deps: HrDeps, holdId: string): Promise<HoldSettled> {
  const holds = deps.safeguards.holds;
  const hold = await holds.get(holdId);
  if (hold?.capability !== 'hr') return { holdId, status: 'unknown' };
  if (hold.status !== 'open') return { holdId, status: 'settled-already' };
  const decision = await holds.decisionOf(holdId);
  const now = deps.clock.now();
  const verdict = verdictOf(hold, decision, now);
  if (verdict === 'wait') return { holdId, status: 'undecided' };
  if (verdict !== 'apply') {
    await closeHold({ ...deps, holds }, hold, verdict, decision, now);
    return { holdId, status: verdict };
  }
  const employeeIds = [...new Set(hold.subjects.map((s) => s.subject))];
  const reconciled = await reconcileEmployees({ ...deps, approvedHold: holdId }, hold.networkId, employeeIds);
  if (reconciled.failed.size > 0) {
    // The message returns and the approval goes on from where the records stand: those done stay done.
    throw new AggregateFailure(`hold ${holdId}: ${reconciled.failed.size} employees not yet deprovisioned`, [
      ...reconciled.failed.values(),
    ]);
  }
  if (reconciled.outcomes.some((o) => o.action === 'coalesced')) {
    // Another reconcile holds one of them and does not carry the approval: go again once it is done.
    throw new AutomationError(`hold ${holdId}: an employee is being reconciled elsewhere`, {
      retryable: true,
      code: 'HOLD_CONTENDED',
    });
  }
  const result = { held: employeeIds.length, deprovisioned: 0, skipped: 0 };
  for (const o of reconciled.outcomes) {
    if (o.action === 'suspended' || o.action === 'deleted') result.deprovisioned++;
    else result.skipped++;
  }
  if (await holds.settle(holdId, 'approved', decision?.decidedBy ?? 'unknown', now, result)) {
    await deps.publisher.publish('Wickr Hold Decided', {
      holdId,
      capability: 'hr',
      networkId: hold.networkId,
      decision: 'approved',
      decidedBy: decision?.decidedBy,
      ...result,
    });
    const users = reconciled.outcomes.filter((o) => o.action === 'suspended' || o.action === 'deleted');
    if (users.length > 0) await deps.publisher.publish('Wickr Users Reconciled', { networkId: hold.networkId, users });
    deps.metrics?.add('UsersDeprovisioned', result.deprovisioned);
    deps.metrics?.add('HoldsDecided', 1);
  }
  deps.logger.info('Hold carried out', { holdId, networkId: hold.networkId, ...result });
  return { holdId, status: 'approved', result };
}
