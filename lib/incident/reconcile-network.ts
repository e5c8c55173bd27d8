import { mapSettled } from '../concurrency.js';
import { isRetryable } from '../failure.js';
import { readConsentPopup } from '../wickr/consent-popup.js';
import { publicReason, type SecurityGroupSettingsUpdate } from '../wickr/index.js';
import { NetworkBusyError, ReconcileIncompleteError } from './errors.js';
import type { ReachedTarget } from './incident-records.js';

export type { LoosenSettle, ReconcileDeps } from './ports.js';

import {
  lockdownTarget,
  type TargetBasis,
  targetBasis,
  type UnmatchedSelector,
  unmatchedFrom,
} from './lockdown-target.js';
import { nextStep, type SettleState } from './next-step.js';
import type { LoosenSettle, ReconcileDeps } from './ports.js';
import {
  type FieldChange,
  type FieldConflict,
  type GroupStep,
  type LiveGroup,
  planReconcile,
} from './reconcile-plan.js';

// When the version moved during a pass, more facts are usually on their way: gathering them for a moment costs
// far fewer Wickr reads than a pass per fact.
const stormSettleMs = 250;
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const defaultSettle: LoosenSettle = { quietMs: 1_000, maxDelayMs: 15_000 };

// A reached target older than this is not trusted: groups an administrator or HR made since must be seen, and a
// storm's facts come within seconds of each other.
const defaultTrustReachedMs = 60_000;

// Persisting more than this many unmatched entries is not worth the item's size: the next holder reads afresh.
const maxUnmatchedKept = 100;
// The same for the digests of what the active incidents ask: one per distinct (playbook, selector) pair, which a
// storm of incidents with their own selectors could grow; past this the next holder reads Wickr afresh.
const maxAsksKept = 100;

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
  /** Passes that read Wickr: 0 when the facts left the target the network was at. */
  readonly passes: number;
  /** Selectors of active incidents naming groups the network lacks (ids, or patterns matching nothing). */
  readonly unmatchedSelectors: readonly UnmatchedSelector[];
}

// A storm moves the version while a pass runs; each pass takes in every fact recorded before it read. With a time
// budget the passes go on until it is spent (then the network is handed over); without one, this many at most.
const maxPasses = 20;
// Rounds that read only the desired state (the target unchanged, or a loosening settling) count here.
const maxRounds = 200;

function reachedTarget(
  basis: TargetBasis,
  unmatched: readonly UnmatchedSelector[],
  groupsChecked: number,
  version: number,
  atMs: number,
): ReachedTarget {
  return {
    version,
    asks: basis.asks,
    ...(basis.popup === undefined ? {} : { popup: basis.popup }),
    groupsChecked,
    unmatchedIds: [...new Set(unmatched.flatMap((u) => u.ids))],
    unmatchedPatterns: [...new Set(unmatched.flatMap((u) => u.namePatterns))],
    atMs,
  };
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
  const lease = await deps.store.acquireLease(networkId, owner, deps.nowMs(), leaseTtlMs);
  if (!lease) return { networkId, coalesced: true };
  if (lease.tookInvalid) {
    // No reconcile writes such a lease: it would have stopped every lockdown of the network until it ran out.
    deps.logger?.warn('Took over a network lease longer than any reconcile takes', { networkId });
    deps.metrics?.add('LeasesTakenOver', 1);
  }
  const sleep = deps.sleep ?? defaultSleep;
  const settle = deps.settle ?? defaultSettle;
  const maxSettleWaits = Math.max(1, Math.ceil(settle.maxDelayMs / settle.quietMs));
  const trusted = (r: ReachedTarget | undefined) =>
    r && deps.nowMs() - r.atMs <= (deps.trustReachedMs ?? defaultTrustReachedMs) ? r : undefined;
  let reached = trusted(lease.reached);
  const changed = new Map<string, { groupId: string; groupName: string; changes: FieldChange[] }>();
  const conflicts: NetworkReport['conflicts'][number][] = [];
  let popup: NetworkReport['popup'] = { changed: false, conflict: false };
  let passes = 0;
  let settleState: SettleState = { waits: 0 };
  try {
    for (let round = 1; budget !== undefined || (passes < maxPasses && round <= maxRounds); round++) {
      if (round > 1 && outOfTime()) {
        await deps.store.abandonLease(networkId, owner);
        return { networkId, handedOver: true, groupsChanged: changed.size };
      }
      const desired = await deps.store.readDesired(networkId);
      const basis = targetBasis(desired.active, deps.playbooks);
      const done = (at: ReachedTarget, unmatched: readonly UnmatchedSelector[]): NetworkReport => ({
        networkId,
        locked: desired.active.length > 0,
        activeIncidents: desired.active.map((i) => i.incidentId).sort(),
        popupIncidentId: basis.popupIncidentId,
        unmatchedSelectors: unmatched,
        groupsChecked: at.groupsChecked,
        groups: [...changed.values()],
        conflicts,
        popup,
        passes,
      });
      const step = nextStep(basis, desired.version, reached, settleState, maxSettleWaits);
      if (step.kind === 'at-target' && reached) {
        // Only the version moved (a storm of lesser incidents, or resolutions that leave the strictest in place).
        if (await deps.store.releaseLease(networkId, owner, desired.version, deps.nowMs(), reached)) {
          return done(reached, unmatchedFrom(desired.active, reached));
        }
        await sleep(stormSettleMs);
        continue;
      }
      if (step.kind === 'wait-for-quiet') {
        settleState = step.settle;
        await sleep(settle.quietMs);
        continue;
      }
      passes++;
      settleState = { waits: 0 };
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
          failures.push({ groupId: step.groupId, error: publicReason(error), retryable: isRetryable(error) });
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
        failures.push({ groupId: '(consent popup)', error: publicReason(e), retryable: isRetryable(e) });
      }
      if (failures.length > 0) throw new ReconcileIncompleteError(networkId, failures);
      reached = reachedTarget(basis, target.unmatched, groups.length, desired.version, deps.nowMs());
      // Too large to keep: the next holder reads Wickr afresh.
      const kept =
        reached.unmatchedIds.length + reached.unmatchedPatterns.length <= maxUnmatchedKept &&
        reached.asks.length <= maxAsksKept;
      if (await deps.store.releaseLease(networkId, owner, desired.version, deps.nowMs(), kept ? reached : undefined))
        return done(reached, target.unmatched);
      await sleep(stormSettleMs);
    }
    throw new NetworkBusyError(networkId);
  } catch (error) {
    await deps.store.abandonLease(networkId, owner);
    throw error;
  }
}
