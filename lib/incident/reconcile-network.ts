import { mapSettled } from '../concurrency.js';
import type { Playbook, Severity } from '../policy-file/incident-section.js';
import type { IncidentStateStore } from '../store/incident-state-store.js';
import { readConsentPopup } from '../wickr/consent-popup.js';
import type { SecurityGroupSettingsUpdate, WickrAdminClient } from '../wickr/index.js';
import { NetworkBusyError, ReconcileIncompleteError } from './errors.js';
import { type LockdownTarget, lockdownTarget, type UnmatchedSelector } from './lockdown-target.js';
import {
  type FieldChange,
  type FieldConflict,
  type GroupStep,
  type LiveGroup,
  planReconcile,
} from './reconcile-plan.js';

/** What reconciling a network needs; every side effect is a port. */
export interface ReconcileDeps {
  readonly wickr: Pick<
    WickrAdminClient,
    'paginateSecurityGroups' | 'updateSecurityGroup' | 'getNetworkSettings' | 'updateNetworkSettings'
  >;
  readonly store: IncidentStateStore;
  readonly playbooks: Readonly<Record<Severity, Playbook>>;
  /** Wickr requests in flight at once. */
  readonly concurrency: number;
  readonly nowMs: () => number;
  /** Waits before a pass that a storm made necessary; injectable so tests need not wait. */
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
}

// When the version moved during a pass, more facts are usually on their way: gathering them for a moment costs
// far fewer Wickr reads than a pass per fact.
const stormSettleMs = 250;
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A target as a comparable value: per group its asks, and the popup. */
const targetKey = (target: LockdownTarget) =>
  JSON.stringify([[...target.groups].sort(([a], [b]) => a.localeCompare(b)), target.popup ?? null]);

/**
 * The network was being reconciled by another invocation: the fact is recorded, and that reconcile goes again
 * because the desired state's version moved (it releases its lease only at an unchanged version).
 */
export interface Coalesced {
  readonly networkId: string;
  readonly coalesced: true;
}

/**
 * The invocation's time ran short: the reconcile stopped at a safe point (no PATCH in flight, every lock entry
 * written), released the network's lease, and the caller hands the network to a fresh invocation.
 */
export interface HandedOver {
  readonly networkId: string;
  readonly handedOver: true;
  /** Groups changed before stopping. */
  readonly groupsChanged: number;
}

/** When a reconcile must stop to hand over; without one it runs to the end. */
export interface ReconcileBudget {
  /** Epoch ms after which no new batch of PATCHes starts. */
  readonly stopAtMs: number;
}

/** What a reconcile did to one network: the per-group diff, conflicts kept, and the popup. */
export interface NetworkReport {
  readonly networkId: string;
  readonly locked: boolean;
  readonly activeIncidents: readonly string[];
  readonly popupIncidentId?: string | undefined;
  readonly groupsChecked: number;
  readonly groups: readonly { groupId: string; groupName: string; changes: readonly FieldChange[] }[];
  readonly conflicts: readonly ({ groupId: string; groupName: string } & FieldConflict)[];
  readonly popup: {
    readonly changed: boolean;
    readonly enabledBefore?: boolean | undefined;
    readonly enabledAfter?: boolean | undefined;
    readonly conflict: boolean;
    readonly skipped?: string | undefined;
  };
  readonly passes: number;
  /** Selectors of active incidents naming groups the network lacks (ids, or patterns matching nothing). */
  readonly unmatchedSelectors: readonly UnmatchedSelector[];
}

// A storm moves the version while a pass runs; each pass takes in every fact recorded before it read. With a time
// budget the passes go on until it is spent (then the network is handed over); without one, this many at most.
const maxPasses = 20;

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

/**
 * Brings one network to what its active incidents ask for, level-triggered: under the network's lease, read
 * the desired state, the live groups and popup, and the lock entries; plan; apply; and go again if the desired
 * state moved meanwhile. Safe to repeat at any point: every change is recorded before it is made. Storms
 * coalesce: when another invocation holds the lease, this one returns at once (the caller's fact is recorded
 * already, and the holder's next pass takes it in) — no waiting, no retry caused by contention.
 */
export async function reconcileNetwork(
  networkId: string,
  owner: string,
  leaseTtlMs: number,
  deps: ReconcileDeps,
  budget?: ReconcileBudget,
): Promise<NetworkReport | Coalesced | HandedOver> {
  const outOfTime = () => budget !== undefined && deps.nowMs() >= budget.stopAtMs;
  // A budget already spent hands over at once (the other networks of a multi-network fact); otherwise every
  // invocation makes progress — at least one batch — before it may stop, so hand-overs never loop idle.
  if (budget && budget.stopAtMs <= 0) return { networkId, handedOver: true, groupsChanged: 0 };
  if (!(await deps.store.acquireLease(networkId, owner, deps.nowMs(), leaseTtlMs))) {
    return { networkId, coalesced: true };
  }
  const changed = new Map<string, { groupId: string; groupName: string; changes: FieldChange[] }>();
  const conflicts: NetworkReport['conflicts'][number][] = [];
  let popup: NetworkReport['popup'] = { changed: false, conflict: false };
  let reached: { groups: LiveGroup[]; key: string } | undefined;
  try {
    for (let pass = 1; budget !== undefined || pass <= maxPasses; pass++) {
      if (pass > 1 && outOfTime()) {
        await deps.store.abandonLease(networkId, owner);
        return { networkId, handedOver: true, groupsChanged: changed.size };
      }
      const desired = await deps.store.readDesired(networkId);
      const done = (target: LockdownTarget, groupsChecked: number): NetworkReport => ({
        networkId,
        locked: desired.active.length > 0,
        activeIncidents: desired.active.map((i) => i.incidentId).sort(),
        popupIncidentId: target.popupIncidentId,
        unmatchedSelectors: target.unmatched,
        groupsChecked,
        groups: [...changed.values()],
        conflicts,
        popup,
        passes: pass,
      });
      // The last pass brought the network exactly to its target; when the facts since do not change that target
      // (a storm of lesser incidents), only the version moved: no need to read Wickr again.
      if (reached) {
        const target = lockdownTarget(desired.active, deps.playbooks, reached.groups);
        if (targetKey(target) === reached.key) {
          if (await deps.store.releaseLease(networkId, owner, desired.version, deps.nowMs())) {
            return done(target, reached.groups.length);
          }
          await (deps.sleep ?? defaultSleep)(stormSettleMs);
          continue;
        }
      }
      const [groups, settings, locks] = await Promise.all([
        listGroups(deps, networkId),
        deps.wickr.getNetworkSettings({ networkId }),
        deps.store.readLocks(networkId),
      ]);
      const target = lockdownTarget(desired.active, deps.playbooks, groups);
      const plan = planReconcile(target, groups, locks, readConsentPopup(settings.settings));

      // In batches, so the time budget is checked at safe points: between batches nothing is in flight.
      const outcomes: PromiseSettledResult<void>[] = [];
      const batch = deps.concurrency * 2;
      for (let start = 0; start < plan.groups.length; start += batch) {
        if (start > 0 && outOfTime()) break;
        const steps = plan.groups.slice(start, start + batch);
        outcomes.push(...(await mapSettled(steps, deps.concurrency, (step) => applyGroup(deps, networkId, step))));
      }
      const failures: ReconcileIncompleteError['failures'][number][] = [];
      outcomes.forEach((outcome, i) => {
        const step = plan.groups[i] as GroupStep;
        if (outcome.status === 'rejected') {
          const error = outcome.reason as Error & { retryable?: boolean };
          failures.push({ groupId: step.groupId, error: error.message, retryable: error.retryable ?? true });
          return;
        }
        for (const c of step.conflicts) conflicts.push({ groupId: step.groupId, groupName: step.groupName, ...c });
        if (step.changes.length === 0) return;
        const entry = changed.get(step.groupId) ?? { groupId: step.groupId, groupName: step.groupName, changes: [] };
        entry.changes.push(...step.changes);
        changed.set(step.groupId, entry);
      });

      if (outcomes.length < plan.groups.length && failures.length === 0) {
        await deps.store.abandonLease(networkId, owner);
        return { networkId, handedOver: true, groupsChanged: changed.size };
      }
      const p = plan.popup;
      try {
        if (p.lockBefore) await deps.store.putPopupLock(networkId, p.lockBefore, p.lockExists);
        if (p.send) await deps.wickr.updateNetworkSettings({ networkId, settings: { consentPopup: p.send } });
        if (p.lockAfter === null) await deps.store.deletePopupLock(networkId);
        popup = {
          changed: popup.changed || p.send !== undefined,
          enabledBefore: popup.enabledBefore ?? p.before?.enabled,
          enabledAfter: p.send?.enabled ?? popup.enabledAfter,
          conflict: popup.conflict || p.conflict !== undefined,
          skipped: p.skipped,
        };
      } catch (error) {
        const e = error as Error & { retryable?: boolean };
        failures.push({ groupId: '(consent popup)', error: e.message, retryable: e.retryable ?? true });
      }
      if (failures.length > 0) throw new ReconcileIncompleteError(networkId, failures);
      reached = { groups, key: targetKey(target) };

      if (await deps.store.releaseLease(networkId, owner, desired.version, deps.nowMs()))
        return done(target, groups.length);
      await (deps.sleep ?? defaultSleep)(stormSettleMs);
    }
    throw new NetworkBusyError(networkId);
  } catch (error) {
    await deps.store.abandonLease(networkId, owner);
    throw error;
  }
}
