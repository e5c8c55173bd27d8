/**
 * An operator's decision on a hold, as the operators' entry point takes it: only from the operators (as AWS
 * authenticated the caller), never from a principal that could have caused the hold, only for a hold that exists and
 * is open, and only for exactly the revision and count the operator was shown. The first decision seals the hold;
 * the decision records who (the verified caller) and when (this function's clock), then the capability is nudged.
 */
import { type Hold, type HoldDecision, type Holds, holdRevision, isExpired } from '../holds/hold.js';
import { type Caller, callerIs, callerIsAny } from './caller.js';
import { OperatorRefusedError } from './errors.js';

/** A decision as asked: what the operator saw (`revision`, `count`) and what they decide. */
export interface HoldDecisionRequest {
  readonly holdId: string;
  readonly decision: 'approve' | 'reject';
  /** Required to approve: `holds show`'s revision. A rejection may omit it (rejecting more applies nothing). */
  readonly revision?: string | undefined;
  readonly count?: number | undefined;
  readonly reason?: string | undefined;
}

/** What deciding needs. */
export interface DecideHoldDeps {
  readonly holds: Pick<Holds, 'get' | 'seal' | 'decide' | 'decisionOf'>;
  /** The operators' role; undefined: nobody decides (a stack deployed without `operatorsRoleArn`). */
  readonly operatorsRoleArn: string | undefined;
  readonly clock: { now(): number };
  /** Where the capability's nudge goes (`Wickr Hold Decision`, from the operators' source). */
  readonly nudge: (hold: Pick<Hold, 'holdId' | 'capability'>) => Promise<void>;
}

/** Refuses what the caller may not decide, or a hold that is not as they saw it. */
function checkRequest(
  request: HoldDecisionRequest,
  caller: Caller,
  hold: Hold | undefined,
  deps: DecideHoldDeps,
  now: number,
): asserts hold is Hold {
  if (!deps.operatorsRoleArn || !callerIs(caller.arn, deps.operatorsRoleArn)) {
    throw new OperatorRefusedError(
      `${caller.arn} may not decide holds: only the operators' role (${deps.operatorsRoleArn ?? 'none configured: operatorsRoleArn'}) decides`,
      403,
    );
  }
  if (!hold) throw new OperatorRefusedError(`no hold ${request.holdId}: a decision cannot precede its hold`, 404);
  if (callerIsAny(caller.arn, hold.causedBy ?? [])) {
    throw new OperatorRefusedError(
      `${caller.arn} caused hold ${hold.holdId} (it may publish its facts) and may not decide it`,
      403,
    );
  }
  if (hold.status !== 'open') {
    throw new OperatorRefusedError(
      `hold ${hold.holdId} is settled already: ${hold.status} by ${hold.decidedBy ?? '?'}`,
      409,
    );
  }
  if (isExpired(hold, now)) throw new OperatorRefusedError(`hold ${hold.holdId} expired at ${hold.expiresAt}`, 409);
  if (request.decision === 'approve' && (request.revision === undefined || request.count === undefined)) {
    throw new OperatorRefusedError(
      'revision and count: an approval names the revision and count holds show printed',
      400,
    );
  }
}

/** Takes a decision: checked, the hold sealed, the decision recorded, the capability nudged. */
export async function decideHold(
  request: HoldDecisionRequest,
  caller: Caller,
  deps: DecideHoldDeps,
): Promise<HoldDecision> {
  const now = deps.clock.now();
  const hold = await deps.holds.get(request.holdId);
  checkRequest(request, caller, hold, deps, now);
  const seen = { revision: holdRevision(hold.subjects), count: hold.subjects.length };
  const asked = { revision: request.revision ?? seen.revision, count: request.count ?? seen.count };
  if (asked.revision !== seen.revision || asked.count !== seen.count) {
    throw new OperatorRefusedError(
      `hold ${hold.holdId} is at revision ${seen.revision} with ${seen.count} action(s), not ${asked.revision} with ${asked.count}: show it again`,
      409,
    );
  }
  const sealed = await deps.holds.seal(hold.holdId, seen, now);
  if (sealed === 'changed' || sealed === 'closed' || sealed === 'unknown') {
    throw new OperatorRefusedError(
      `hold ${hold.holdId} changed or closed while deciding (${sealed}): show it again`,
      409,
    );
  }
  const decision: HoldDecision = {
    holdId: hold.holdId,
    decision: request.decision,
    decidedBy: caller.arn,
    decidedAt: new Date(now).toISOString(),
    ...seen,
    ...(request.reason ? { reason: request.reason } : {}),
  };
  if ((await deps.holds.decide(decision)) === 'decided-already') {
    const earlier = await deps.holds.decisionOf(hold.holdId);
    if (earlier?.decision !== request.decision || earlier.revision !== seen.revision) {
      throw new OperatorRefusedError(
        `hold ${hold.holdId} was decided already: ${earlier?.decision} by ${earlier?.decidedBy} at ${earlier?.decidedAt}`,
        409,
      );
    }
    // The same decision again: its nudge may have been lost, so it goes again (carrying it out is idempotent).
    await deps.nudge(hold);
    return earlier;
  }
  await deps.nudge(hold);
  return decision;
}
