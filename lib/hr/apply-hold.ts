/** An operator's decision on an HR hold, carried out: the held actions applied, or left undone. */
import { AggregateFailure, AutomationError } from '../failure.js';
import { holdToApply, settleApproved } from '../holds/hold-verdict.js';
import { timeOfVersion } from './employee-fact.js';
import type { HrDeps } from './ports.js';
import { type EmployeeOutcome, reconcileEmployees } from './reconcile-employees.js';
import { rosterMissingSafeguard } from './roster-missing.js';

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
 * applies what remains in batches, past the safeguard that held them (the hour's window, the group cap). Rejection (or a decision after expiry)
 * settles the hold and changes nothing; the records keep their facts, so an access review shows the drift.
 */
// What an approval can do for a held employee; anything else means their facts moved on (skipped).
const actedOn = new Set<EmployeeOutcome['action']>([
  'suspended',
  'deleted',
  'created',
  'converged',
  'moved',
  'reactivated',
]);

export async function applyHoldDecision(deps: HrDeps, holdId: string): Promise<HoldSettled> {
  const holds = deps.safeguards.holds;
  const toApply = await holdToApply({ ...deps, holds }, holdId, 'hr', deps.clock.now());
  if (!toApply.apply) return { holdId, status: toApply.status };
  const { hold, decision, nowMs: now } = toApply;
  const employeeIds = [...new Set(hold.subjects.map((s) => s.subject))];
  if (hold.safeguard === rosterMissingSafeguard) {
    // A roster's missing people: their leaving is recorded only now, as of the snapshot (a later fact wins).
    for (const s of hold.subjects) {
      await deps.records.recordFact({
        networkId: hold.networkId,
        employeeId: s.subject,
        version: s.version,
        time: timeOfVersion(s.version),
        eventId: `${holdId}-approved`,
        placement: { state: 'left' },
      });
    }
  }
  const approved = { ...deps, approvedHold: holdId, approvedSubjects: new Set(employeeIds) };
  const reconciled = await reconcileEmployees(approved, hold.networkId, employeeIds);
  if (reconciled.failed.size > 0) {
    // The message returns and the approval goes on from where the records stand: those done stay done.
    throw new AggregateFailure(`hold ${holdId}: ${reconciled.failed.size} employees not yet reconciled`, [
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
  const done = reconciled.outcomes.filter((o) => actedOn.has(o.action));
  const result = { held: employeeIds.length, applied: done.length, skipped: employeeIds.length - done.length };
  if (await settleApproved({ ...deps, holds }, hold, decision, now, result)) {
    if (done.length > 0)
      await deps.publisher.publish('Wickr Users Reconciled', { networkId: hold.networkId, users: done });
    deps.metrics?.add(
      'UsersDeprovisioned',
      done.filter((o) => o.action === 'suspended' || o.action === 'deleted').length,
    );
  }
  deps.logger.info('Hold carried out', { holdId, networkId: hold.networkId, ...result });
  return { holdId, status: 'approved', result };
}
