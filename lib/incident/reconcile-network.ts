import { NetworkBusyError, ReconcileIncompleteError } from './errors.js';
import { applyGuestStep, type GuestReport, mergeGuests } from './guest-pass.js';
import type { GuestStep } from './guest-plan.js';
import type { NetworkDesiredState, ReachedTarget } from './incident-records.js';
import { type TargetBasis, targetBasis, type UnmatchedSelector, unmatchedFrom } from './lockdown-target.js';
import { nextStep, type SettleState } from './next-step.js';
import type { LoosenSettle, ReconcileDeps } from './ports.js';
import {
  applyGroupSteps,
  applyPopupStep,
  type GroupChanged,
  type GroupConflict,
  mergePopup,
  type PopupReport,
  readAndPlan,
} from './reconcile-pass.js';
import type { FieldChange } from './reconcile-plan.js';
import type { SkippedSettings } from './retention-gate.js';

export type { LoosenSettle, ReconcileDeps } from './ports.js';

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
  readonly groups: readonly GroupChanged[];
  readonly conflicts: readonly GroupConflict[];
  readonly popup: PopupReport;
  /** Passes that read Wickr: 0 when the facts left the target the network was at. */
  readonly passes: number;
  /** Selectors of active incidents naming groups the network lacks (ids, or patterns matching nothing). */
  readonly unmatchedSelectors: readonly UnmatchedSelector[];
  /** Settings the lockdown asks for that this network's state kept it from applying (message lifetimes, retention off). */
  readonly skippedSettings?: SkippedSettings | undefined;
  /** What `guests: block-all` did: guests blocked, unblocked, handed to a containment, found unblocked. */
  readonly guests?: GuestReport | undefined;
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

/** What the passes of one reconcile did so far. */
interface Progress {
  readonly changed: Map<string, { groupId: string; groupName: string; changes: FieldChange[] }>;
  readonly conflicts: NetworkReport['conflicts'][number][];
  popup: NetworkReport['popup'];
  passes: number;
  skippedSettings?: SkippedSettings | undefined;
  guests?: GuestReport | undefined;
}

/** The report of a reconcile that reached its target: the incidents, and what every pass did. */
function reportOf(
  networkId: string,
  active: NetworkDesiredState['active'],
  popupIncidentId: string | undefined,
  at: ReachedTarget,
  unmatchedSelectors: readonly UnmatchedSelector[],
  progress: Progress,
): NetworkReport {
  return {
    networkId,
    locked: active.length > 0,
    activeIncidents: active.map((i) => i.incidentId).sort(),
    popupIncidentId,
    unmatchedSelectors,
    groupsChecked: at.groupsChecked,
    groups: [...progress.changed.values()],
    conflicts: progress.conflicts,
    popup: progress.popup,
    passes: progress.passes,
    ...(progress.skippedSettings ? { skippedSettings: progress.skippedSettings } : {}),
    ...(progress.guests ? { guests: progress.guests } : {}),
  };
}

/** The network's own steps after its groups': the popup's, then the guests'; the failures among them. */
async function applyNetworkSteps(
  deps: ReconcileDeps,
  networkId: string,
  popupStep: Parameters<typeof mergePopup>[1],
  guests: GuestStep | undefined,
  progress: Progress,
) {
  const failures = [];
  const popupFailure = await applyPopupStep(deps, networkId, popupStep);
  if (popupFailure) failures.push(popupFailure);
  else progress.popup = mergePopup(progress.popup, popupStep);
  if (guests) {
    const applied = await applyGuestStep(deps, networkId, guests);
    failures.push(...applied.failures);
    progress.guests = mergeGuests(progress.guests, applied.report);
  }
  return failures;
}

/** Takes the network's lease; one no reconcile could have written is taken over, and said. */
async function takeLease(deps: ReconcileDeps, networkId: string, owner: string, leaseTtlMs: number) {
  const lease = await deps.store.acquireLease(networkId, owner, deps.nowMs(), leaseTtlMs);
  if (lease?.tookInvalid) {
    // No reconcile writes such a lease: it would have stopped every lockdown of the network until it ran out.
    deps.logger?.warn('Took over a network lease longer than any reconcile takes', { networkId });
    deps.metrics?.add('LeasesTakenOver', 1);
  }
  return lease;
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
  const lease = await takeLease(deps, networkId, owner, leaseTtlMs);
  if (!lease) return { networkId, coalesced: true };
  const sleep = deps.sleep ?? defaultSleep;
  const settle = deps.settle ?? defaultSettle;
  const maxSettleWaits = Math.max(1, Math.ceil(settle.maxDelayMs / settle.quietMs));
  // A target the last holder reached moments ago saves this one its Wickr reads.
  const fresh = lease.reached && deps.nowMs() - lease.reached.atMs <= (deps.trustReachedMs ?? defaultTrustReachedMs);
  let reached = fresh ? lease.reached : undefined;
  const progress: Progress = {
    changed: new Map(),
    conflicts: [],
    popup: { changed: false, conflict: false },
    passes: 0,
  };
  const { changed } = progress;
  let settleState: SettleState = { waits: 0 };
  try {
    for (let round = 1; budget !== undefined || (progress.passes < maxPasses && round <= maxRounds); round++) {
      if (round > 1 && outOfTime()) {
        await deps.store.abandonLease(networkId, owner);
        return { networkId, handedOver: true, groupsChanged: changed.size };
      }
      const desired = await deps.store.readDesired(networkId);
      const basis = targetBasis(desired.active, deps.playbooks);
      const done = (at: ReachedTarget, unmatched: readonly UnmatchedSelector[]) =>
        reportOf(networkId, desired.active, basis.popupIncidentId, at, unmatched, progress);
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
      progress.passes++;
      settleState = { waits: 0 };
      const { groups, target, plan, skipped, guests } = await readAndPlan(deps, networkId, desired.active);
      progress.skippedSettings = skipped;
      const { complete, failures } = await applyGroupSteps(deps, networkId, plan.groups, outOfTime, progress);
      if (!complete && failures.length === 0) {
        await deps.store.abandonLease(networkId, owner);
        return { networkId, handedOver: true, groupsChanged: changed.size };
      }
      failures.push(...(await applyNetworkSteps(deps, networkId, plan.popup, guests, progress)));
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
