/** Rotation's blast-radius guard as a hold: the run's plan waits for a person instead of stopping for good. */

import { announceHold } from '../holds/announce-hold.js';
import { type Hold, type HoldSubject, type Holds, isExpired, stemOf } from '../holds/hold.js';
import type { RotationSection } from '../policy-file/rotation-section.js';
import type { Publisher } from '../ports.js';
import type { RotationPlan } from './rotation-plan.js';

/** The popup's subject in a rotation hold (groups are named by their ids). */
export const popupSubject = 'consent-popup';

/** Which guard a plan trips, with its figures; undefined when none does. */
export function guardOf(rotation: RotationSection, plan: RotationPlan) {
  const drifted = plan.groups.length;
  const percent = plan.checked === 0 ? 0 : (drifted / plan.checked) * 100;
  const figures = { drifted, checked: plan.checked, ...rotation.guards };
  if (drifted > rotation.guards.maxChanges) {
    return {
      safeguard: 'rotation.guards.maxChanges',
      text: `${drifted} groups would change; the limit is ${rotation.guards.maxChanges}`,
      figures,
    };
  }
  if (percent > rotation.guards.maxChangePercent) {
    return {
      safeguard: 'rotation.guards.maxChangePercent',
      text: `${percent.toFixed(1)}% of groups would change; the limit is ${rotation.guards.maxChangePercent}%`,
      figures,
    };
  }
  return undefined;
}

/** The plan's changes as a hold's subjects: one per group (its fields, from → to), and the popup. */
export function subjectsOf(plan: RotationPlan, version: string): HoldSubject[] {
  const subjects: HoldSubject[] = plan.groups.map((step) => ({
    subject: step.groupId,
    version,
    action: 'update',
    changes: step.changes.map(({ field, from, to }) => ({ field, from, to })),
  }));
  if (plan.popup) {
    subjects.push({
      subject: popupSubject,
      version,
      action: 'update',
      changes: [{ field: 'consentPopup', from: plan.popup.from, to: plan.popup.to }],
    });
  }
  return subjects;
}

/** What rotation needs to hold a plan. */
export interface RotationHoldDeps {
  readonly holds: Holds;
  readonly holdMs: number;
  readonly clock: { now(): number };
  readonly publisher: Publisher;
}

/**
 * Holds a run's plan. One rotation hold per network waits at a time: while one is open, later ticks report it
 * rather than stack up another (approving it applies what is still due of it; the next tick plans the rest).
 */
export async function holdPlan(
  deps: RotationHoldDeps,
  networkId: string,
  plan: RotationPlan,
  version: string,
  guard: NonNullable<ReturnType<typeof guardOf>>,
): Promise<string> {
  const now = deps.clock.now();
  const open = (await deps.holds.list()).find(
    (h: Hold) => h.capability === 'rotation' && h.networkId === networkId && h.status === 'open' && !isExpired(h, now),
  );
  if (open) return open.holdId;
  const origin = {
    capability: 'rotation' as const,
    networkId,
    safeguard: guard.safeguard,
    figures: guard.figures,
    stem: stemOf('rotation', networkId, now),
  };
  const { holdId, created } = await deps.holds.hold(origin, subjectsOf(plan, version), now, deps.holdMs);
  if (created) await announceHold(deps, origin, holdId, new Date(now + deps.holdMs).toISOString());
  return holdId;
}
