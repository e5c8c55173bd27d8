/**
 * One pass of a network's reconcile: its reads and plan, then its writes — each group's lock entry before its change
 * and the entry's end after it, in batches that end at safe points, and the consent popup's the same way.
 */
import { mapSettled } from '../concurrency.js';
import { isRetryable } from '../failure.js';
import { readConsentPopup } from '../wickr/consent-popup.js';
import { publicReason, type SecurityGroupSettingsUpdate } from '../wickr/index.js';
import type { ReconcileIncompleteError } from './errors.js';
import { planGuestStep } from './guest-pass.js';
import type { NetworkDesiredState } from './incident-records.js';
import { lockdownTarget } from './lockdown-target.js';
import type { ReconcileDeps } from './ports.js';
import {
  type FieldChange,
  type FieldConflict,
  type GroupStep,
  type LiveGroup,
  planReconcile,
  type ReconcilePlan,
} from './reconcile-plan.js';
import { gateOnRetention, retentionActive, retentionMayMatter } from './retention-gate.js';

/** A group a reconcile changed, with its field changes. */
export interface GroupChanged {
  readonly groupId: string;
  readonly groupName: string;
  readonly changes: readonly FieldChange[];
}

/** A field the lockdown left alone because someone else changed it meanwhile. */
export type GroupConflict = { groupId: string; groupName: string } & FieldConflict;

/** What the popup steps did, over every pass. */
export interface PopupReport {
  readonly changed: boolean;
  readonly enabledBefore?: boolean | undefined;
  readonly enabledAfter?: boolean | undefined;
  readonly conflict: boolean;
  readonly skipped?: string | undefined;
}

async function listGroups(deps: ReconcileDeps, networkId: string): Promise<LiveGroup[]> {
  const groups: LiveGroup[] = [];
  for await (const page of deps.wickr.paginateSecurityGroups({ networkId, maxResults: 100 })) {
    for (const g of page.securityGroups) groups.push({ id: g.id, name: g.name, settings: g.securityGroupSettings });
  }
  return groups;
}

async function applyGroup(deps: ReconcileDeps, networkId: string, step: GroupStep): Promise<void> {
  let revision = step.readRevision;
  if (step.lockBefore) {
    await deps.store.putGroupLock(networkId, step.groupId, step.lockBefore, revision);
    revision = (revision ?? 0) + 1;
  }
  if (Object.keys(step.patch).length > 0) {
    await deps.wickr.updateSecurityGroup({
      networkId,
      groupId: step.groupId,
      securityGroupSettings: step.patch as SecurityGroupSettingsUpdate,
    });
  }
  if (step.lockAfter === null) await deps.store.deleteGroupLock(networkId, step.groupId);
  else if (step.lockAfter) await deps.store.putGroupLock(networkId, step.groupId, step.lockAfter, revision);
}

type Failure = ReconcileIncompleteError['failures'][number];
const failureOf = (groupId: string, error: unknown): Failure => ({
  groupId,
  error: publicReason(error as Error),
  retryable: isRetryable(error),
});

/**
 * The plan's group steps, in batches of twice the concurrency so the time budget is checked at safe points (between
 * batches nothing is in flight); what they changed and met accumulates into `into`. Incomplete: out of time.
 */
export async function applyGroupSteps(
  deps: ReconcileDeps,
  networkId: string,
  steps: readonly GroupStep[],
  outOfTime: () => boolean,
  into: {
    changed: Map<string, GroupChanged & { changes: FieldChange[] }>;
    conflicts: GroupConflict[];
  },
): Promise<{ complete: boolean; failures: Failure[] }> {
  const outcomes: PromiseSettledResult<void>[] = [];
  const batch = deps.concurrency * 2;
  for (let start = 0; start < steps.length; start += batch) {
    if (start > 0 && outOfTime()) break;
    const slice = steps.slice(start, start + batch);
    outcomes.push(...(await mapSettled(slice, deps.concurrency, (step) => applyGroup(deps, networkId, step))));
  }
  const failures: Failure[] = [];
  outcomes.forEach((outcome, i) => {
    const step = steps[i] as GroupStep;
    if (outcome.status === 'rejected') {
      failures.push(failureOf(step.groupId, outcome.reason));
      return;
    }
    for (const c of step.conflicts) into.conflicts.push({ groupId: step.groupId, groupName: step.groupName, ...c });
    if (step.changes.length === 0) return;
    const entry = into.changed.get(step.groupId) ?? { groupId: step.groupId, groupName: step.groupName, changes: [] };
    entry.changes.push(...step.changes);
    into.changed.set(step.groupId, entry);
  });
  return { complete: outcomes.length === steps.length, failures };
}

/** The popup step: its lock entry written before the change, the change, the entry dropped after; or its failure. */
export async function applyPopupStep(
  deps: ReconcileDeps,
  networkId: string,
  p: ReconcilePlan['popup'],
): Promise<Failure | undefined> {
  try {
    if (p.lockBefore) await deps.store.putPopupLock(networkId, p.lockBefore, p.lockExists);
    if (p.send) await deps.wickr.updateNetworkSettings({ networkId, settings: { consentPopup: p.send } });
    if (p.lockAfter === null) await deps.store.deletePopupLock(networkId);
    return undefined;
  } catch (error) {
    return failureOf('(consent popup)', error);
  }
}

/** What the popup steps of every pass did, as the report says it. */
export function mergePopup(popup: PopupReport, p: ReconcilePlan['popup']): PopupReport {
  return {
    changed: popup.changed || p.send !== undefined,
    enabledBefore: popup.enabledBefore ?? p.before?.enabled,
    enabledAfter: p.send?.enabled ?? popup.enabledAfter,
    conflict: popup.conflict || p.conflict !== undefined,
    skipped: p.skipped,
  };
}

/** One pass's reads — the live groups, the network's settings, the lock entries and (when a playbook shortens message
 * lifetimes) its data retention, at once — and its plan. */
export async function readAndPlan(deps: ReconcileDeps, networkId: string, active: NetworkDesiredState['active']) {
  const [groups, settings, locks, retention] = await Promise.all([
    listGroups(deps, networkId),
    deps.wickr.getNetworkSettings({ networkId }),
    deps.store.readLocks(networkId),
    retentionMayMatter(active, deps.playbooks) ? deps.wickr.getDataRetentionBot({ networkId }) : undefined,
  ]);
  const wanted = lockdownTarget(active, deps.playbooks, groups);
  const { target, skipped } = gateOnRetention(wanted, retention !== undefined && retentionActive(retention));
  const guests = await planGuestStep(deps, networkId, target.blockGuests, locks.guests ?? []);
  const plan = planReconcile(target, groups, locks, readConsentPopup(settings.settings));
  return { groups, target, skipped, plan, guests };
}
