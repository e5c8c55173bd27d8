/** An operator's decision on a containment hold, carried out: the held accounts contained now, or nothing. */
import { holdToApply, settleApproved } from '../holds/hold-verdict.js';
import { reconcileAccount } from './contain-account.js';
import type { ContainmentDeps } from './ports.js';

/**
 * Carries out the decision on a containment hold (read from where only the operators may write it — the nudge
 * carries no authority). Approval reconciles each held account as it stands now, past the safety rail: one whose
 * cases were all cleared meanwhile is left alone. Rejection or expiry settles the hold and contains no one.
 */
export async function applyContainmentHold(deps: ContainmentDeps, holdId: string) {
  const holds = deps.holds;
  if (!holds) return { holdId, status: 'unknown' as const };
  const toApply = await holdToApply({ ...deps, holds }, holdId, 'containment', deps.nowMs());
  if (!toApply.apply) return { holdId, status: toApply.status };
  const { hold, decision, nowMs: now } = toApply;
  const approved: ContainmentDeps = { ...deps, admit: undefined };
  const userIds = [...new Set(hold.subjects.map((s) => s.subject))];
  let contained = 0;
  for (const userId of userIds) {
    const outcome = await reconcileAccount(approved, hold.networkId, userId);
    if (outcome.result === 'contained') contained++;
  }
  const result = { held: userIds.length, applied: contained, skipped: userIds.length - contained };
  await settleApproved({ ...deps, holds }, hold, decision, now, result);
  deps.logger.info('Containment hold carried out', { holdId, ...result });
  return { holdId, status: 'approved' as const, result };
}
