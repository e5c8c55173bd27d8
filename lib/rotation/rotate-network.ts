import { mapSettled } from '../concurrency.js';
import { isRetryable } from '../failure.js';
import type { Holds } from '../holds/hold.js';
import type { RotationSection } from '../policy-file/rotation-section.js';
import type { Publisher } from '../ports.js';
import { readConsentPopup } from '../wickr/consent-popup.js';
import { publicReason, type WickrAdminClient } from '../wickr/index.js';
import { RotationIncompleteError } from './errors.js';
import { guardOf, holdPlan } from './hold-rotation.js';
import { desiredAt } from './policy-at.js';
import { type LiveRotationGroup, type LockedFields, planRotation, type RotationPlan } from './rotation-plan.js';

/** What a rotation run needs; every side effect is a port. */
export interface RotationDeps {
  readonly wickr: Pick<
    WickrAdminClient,
    'paginateSecurityGroups' | 'updateSecurityGroup' | 'getNetworkSettings' | 'updateNetworkSettings'
  >;
  readonly rotation: RotationSection;
  /** The incident capability's seam: fields a lockdown holds. */
  readonly locks: (networkId: string) => Promise<LockedFields>;
  readonly concurrency: number;
  /** Where a run past its guard holds its plan, for how long, and says so. */
  readonly holds: Holds;
  readonly holdMs: number;
  readonly clock: { now(): number };
  readonly publisher: Publisher;
}

/** What a run did to one network. */
export interface RotationReport {
  readonly networkId: string;
  readonly at: string;
  /** `held`: past its guard, the plan waits in `holdId` for a person. */
  readonly status: 'rotated' | 'dry-run' | 'held';
  readonly period?: string | undefined;
  readonly counts: {
    readonly checked: number;
    readonly drifted: number;
    readonly patched: number;
    readonly skipped: number;
  };
  readonly plan: RotationPlan;
  readonly guard?: string | undefined;
  readonly holdId?: string | undefined;
}

/** Lists every group (the list carries the settings: no GET per group) and computes the plan at T. */
export async function planNetwork(
  deps: Pick<RotationDeps, 'wickr' | 'rotation' | 'locks'>,
  networkId: string,
  at: Date,
) {
  const groups: LiveRotationGroup[] = [];
  for await (const page of deps.wickr.paginateSecurityGroups({ networkId, maxResults: 100 })) {
    for (const g of page.securityGroups) {
      groups.push({ id: g.id, name: g.name, isDefault: g.isDefault, settings: g.securityGroupSettings });
    }
  }
  const [settings, locked] = await Promise.all([deps.wickr.getNetworkSettings({ networkId }), deps.locks(networkId)]);
  const desired = desiredAt(deps.rotation, at, groups);
  return { plan: planRotation(desired, groups, readConsentPopup(settings.settings), locked), period: desired.period };
}

/**
 * One network's rotation at T: plan, check the guards before any write — past them, the plan is held for a person
 * — then PATCH only the drifted fields and the popup only if it differs. A dry run stops after the plan.
 */
export async function rotateNetwork(deps: RotationDeps, networkId: string, at: Date): Promise<RotationReport> {
  const { plan, period } = await planNetwork(deps, networkId, at);
  const counts = (patched: number) => ({
    checked: plan.checked,
    drifted: plan.groups.length,
    patched,
    skipped: plan.skipped.length,
  });
  const base = { networkId, at: at.toISOString(), period, plan };
  const guard = guardOf(deps.rotation, plan);
  if (deps.rotation.dryRun) return { ...base, status: 'dry-run', counts: counts(0), guard: guard?.text };
  if (guard) {
    const holdId = await holdPlan(deps, networkId, plan, period ?? at.toISOString(), guard);
    return { ...base, status: 'held', counts: counts(0), guard: guard.text, holdId };
  }
  await applyPlan(deps, networkId, plan);
  return { ...base, status: 'rotated', counts: counts(plan.groups.length) };
}

/** Applies a plan: each drifted group's fields, the popup, then what a lockdown begun meanwhile holds goes back. */
export async function applyPlan(deps: RotationDeps, networkId: string, plan: RotationPlan): Promise<void> {
  const outcomes = await mapSettled(plan.groups, deps.concurrency, (step) =>
    deps.wickr.updateSecurityGroup({ networkId, groupId: step.groupId, securityGroupSettings: step.patch }),
  );
  const failures = outcomes.flatMap((o, i) =>
    o.status === 'rejected'
      ? [{ groupId: plan.groups[i]?.groupId ?? '', error: publicReason(o.reason), retryable: isRetryable(o.reason) }]
      : [],
  );
  if (plan.popup) {
    try {
      await deps.wickr.updateNetworkSettings({ networkId, settings: { consentPopup: plan.popup.to } });
    } catch (error) {
      failures.push({ groupId: '(consent popup)', error: publicReason(error), retryable: isRetryable(error) });
    }
  }
  failures.push(...(await handBack(deps, networkId, plan)));
  if (failures.length > 0) throw new RotationIncompleteError(networkId, failures);
}

/**
 * A lockdown that began while this run was writing (its lock entries written after the plan read none) may have
 * been overwritten by the run: every field the run wrote that a lockdown now holds gets the lockdown's value back.
 * The incident writes its lock entries before its PATCH, so whichever PATCH came last, the lockdown wins.
 */
async function handBack(deps: RotationDeps, networkId: string, plan: RotationPlan) {
  const failures: { groupId: string; error: string; retryable: boolean }[] = [];
  const locked = await deps.locks(networkId);
  const steps = plan.groups.flatMap((step) => {
    const held = locked.groups.get(step.groupId);
    const patch = Object.fromEntries(Object.keys(step.patch).flatMap((f) => (held?.has(f) ? [[f, held.get(f)]] : [])));
    return Object.keys(patch).length > 0 ? [{ groupId: step.groupId, patch }] : [];
  });
  const outcomes = await mapSettled(steps, deps.concurrency, (step) =>
    deps.wickr.updateSecurityGroup({ networkId, groupId: step.groupId, securityGroupSettings: step.patch }),
  );
  outcomes.forEach((o, i) => {
    if (o.status === 'rejected')
      failures.push({
        groupId: steps[i]?.groupId ?? '',
        error: publicReason(o.reason),
        retryable: isRetryable(o.reason),
      });
  });
  if (plan.popup && locked.popupSet) {
    try {
      await deps.wickr.updateNetworkSettings({ networkId, settings: { consentPopup: locked.popupSet } });
    } catch (error) {
      failures.push({ groupId: '(consent popup)', error: publicReason(error), retryable: isRetryable(error) });
    }
  }
  return failures;
}
