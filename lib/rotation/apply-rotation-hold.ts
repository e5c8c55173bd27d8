/** An operator's decision on a rotation hold, carried out: the held plan, re-planned now, or nothing. */
import { holdToApply, settleApproved } from '../holds/hold-verdict.js';
import { popupSubject } from './hold-rotation.js';
import { applyPlan, planNetwork, type RotationDeps } from './rotate-network.js';
import { canonical, type RotationPlan } from './rotation-plan.js';

/**
 * Carries out the decision on a rotation hold (read from where only the operators may write it). Approval plans the
 * network again now and applies only what the hold showed and is still due — the same group, field and value — so
 * a group fixed by hand meanwhile, or a field a lockdown now holds, is left alone, and nothing beyond the approved
 * plan is changed. Rejection or expiry settles the hold and changes nothing.
 */
export async function applyRotationHold(deps: RotationDeps, holdId: string) {
  const toApply = await holdToApply(deps, holdId, 'rotation', deps.clock.now());
  if (!toApply.apply) return { holdId, status: toApply.status };
  const { hold, decision, nowMs: now } = toApply;
  const approved = new Set(
    hold.subjects.flatMap((s) => (s.changes ?? []).map((c) => `${s.subject} ${c.field} ${canonical(c.to)}`)),
  );
  const { plan } = await planNetwork(deps, hold.networkId, new Date(now));
  const groups = plan.groups.flatMap((step) => {
    const changes = step.changes.filter((c) => approved.has(`${step.groupId} ${c.field} ${canonical(c.to)}`));
    if (changes.length === 0) return [];
    const fields = new Set(changes.map((c) => c.field));
    const patch = Object.fromEntries(Object.entries(step.patch).filter(([field]) => fields.has(field)));
    return [{ ...step, changes, patch }];
  });
  const popup =
    plan.popup && approved.has(`${popupSubject} consentPopup ${canonical(plan.popup.to)}`) ? plan.popup : undefined;
  const approvedPlan: RotationPlan = { ...plan, groups, popup };
  await applyPlan(deps, hold.networkId, approvedPlan);
  const applied = groups.reduce((n, g) => n + g.changes.length, 0) + (popup ? 1 : 0);
  const result = { held: approved.size, applied, skipped: approved.size - applied };
  await settleApproved(deps, hold, decision, now, result, { plan: approvedPlan });
  return { holdId, status: 'approved' as const, result, plan: approvedPlan };
}
