import type {
  IncidentDeps,
  Invocation,
  LockdownOutcome,
  NetworkOutcome,
  ReconcileSummary,
  ReconcileUnit,
} from './ports.js';
import { type NetworkReport, reconcileNetwork } from './reconcile-network.js';

// Outlives this invocation (Lambda ends it at its deadline), so a live reconcile never loses its lease; a few
// seconds' margin for clock skew, and a crashed one frees the network soon after its deadline.
const leaseTtlMs = (invocation: Invocation) => invocation.remainingMs() + 5_000;

/** What a unit's step records: counts (the per-group diff goes out in the outcome event). */
export function summary(report: NetworkReport): ReconcileSummary {
  return {
    locked: report.locked,
    activeIncidents: report.activeIncidents,
    groupsChecked: report.groupsChecked,
    groupsChanged: report.groups.length,
    conflicts: report.conflicts.length,
    popupChanged: report.popup.changed,
  };
}

/**
 * Reconciles the unit's network within the invocation's time (less the safety margin) when a hand-over is
 * possible; stops at a safe point and hands the network on when time runs short, or at once with `immediately`
 * (the other networks of a multi-network fact, so they run in parallel). Publishes the outcome event once, when
 * the network is done, and logs the time to contain.
 */
export async function runReconcileUnit(
  unit: ReconcileUnit,
  invocation: Invocation,
  deps: IncidentDeps,
  options: { immediately?: boolean; done?: NetworkOutcome['result'] } = {},
): Promise<NetworkOutcome> {
  const { networkId, incidentId } = unit;
  // The margin never takes more than half of what is left, so a short-lived invocation still gets work done.
  const remaining = invocation.remainingMs();
  const workMs = Math.max(remaining - (deps.safetyMarginMs ?? 10_000), remaining / 2);
  const budget = deps.handover ? { stopAtMs: options.immediately ? 0 : deps.nowMs() + workMs } : undefined;
  // A sweep reads Wickr afresh: what hands changed is exactly what the target the last reconcile reached hides.
  const reconcileDeps = unit.sweep ? { ...deps, trustReachedMs: -1 } : deps;
  const report = await reconcileNetwork(networkId, invocation.requestId, leaseTtlMs(invocation), reconcileDeps, budget);
  if ('coalesced' in report) {
    deps.logger.info('Fact recorded; the reconcile running on the network takes it in', { incidentId, networkId });
    // Should that holder die with the fact untaken (its retry may come late, or never), a look when its lease runs
    // out brings the network up to date: level-triggered needs a live reconciler, not a particular one.
    const leaseEndsMs = deps.handover ? await deps.store.watchLease(networkId, deps.nowMs()) : undefined;
    if (leaseEndsMs !== undefined) {
      const delaySeconds = Math.min(900, Math.ceil((leaseEndsMs - deps.nowMs()) / 1000) + 1);
      await deps.handover?.send(
        { networkId, incidentId, trigger: unit.trigger, factTime: unit.factTime, watch: true },
        delaySeconds,
      );
    }
    await announce(deps, unit, 'coalesced', 'the reconcile running on the network takes it in');
    return { networkId, result: 'coalesced' };
  }
  if ('handedOver' in report) {
    await deps.handover?.send({
      ...unit,
      handovers: (unit.handovers ?? 0) + 1,
      groupsChangedBefore: (unit.groupsChangedBefore ?? 0) + report.groupsChanged,
    });
    deps.logger.info('Network handed over to a fresh invocation', {
      incidentId,
      networkId,
      groupsChanged: report.groupsChanged,
    });
    return { networkId, result: 'handed-over' };
  }
  await scheduleSweep(unit, report, deps);
  if (unit.sweep) return reportDrift(unit, report, deps);
  const timeToContainMs = deps.nowMs() - Date.parse(unit.factTime);
  deps.metrics?.add('TimeToContain', timeToContainMs);
  const groupsChanged = report.groups.length + (unit.groupsChangedBefore ?? 0);
  deps.metrics?.add('GroupsLocked', report.locked ? groupsChanged : 0);
  deps.metrics?.add('GroupsRestored', report.locked ? 0 : groupsChanged);
  deps.metrics?.add('Conflicts', report.conflicts.length);
  deps.metrics?.add('PopupChanges', report.popup.changed ? 1 : 0);
  deps.metrics?.add('UnmatchedSelectors', report.unmatchedSelectors.length);
  if (report.unmatchedSelectors.length > 0) {
    // A typo in a group id or pattern must not pass for a lockdown that covered it.
    deps.logger.warn('Group selectors matched nothing on the network', {
      networkId,
      unmatchedSelectors: report.unmatchedSelectors,
    });
  }
  const outcome = outcomeOf(unit, report);
  if (outcome === 'Wickr Lockdown Matched Nothing') deps.metrics?.add('LockdownsMatchedNothing', 1);
  deps.logger.info('Network reconciled', {
    incidentId,
    networkId,
    trigger: unit.trigger,
    outcome,
    timeToContainMs,
    ...summary(report),
  });
  await deps.publisher.publish(outcome, {
    incidentId,
    ...(unit.eventId ? { eventId: unit.eventId } : {}),
    ...unit.extra,
    trigger: unit.trigger,
    ...report,
    ...(unit.handovers ? { handovers: unit.handovers, groupsChangedBefore: unit.groupsChangedBefore ?? 0 } : {}),
    timeToContainMs,
  });
  return { networkId, result: options.done ?? 'reconciled', outcome, summary: summary(report) } as NetworkOutcome;
}

/**
 * A fact that changed nothing in Wickr here and now, said so as an outcome event of its own (`Wickr Incident Fact
 * Recorded` for one a running reconcile takes in, `Wickr Incident Fact Ignored` otherwise), so whoever sent it can
 * tell "done" from "not done".
 */
export async function announce(
  deps: IncidentDeps,
  unit: Pick<ReconcileUnit, 'networkId' | 'incidentId' | 'eventId'>,
  result: string,
  reason: string,
): Promise<void> {
  if (!unit.eventId) return;
  await deps.publisher.publish(
    result === 'coalesced' ? 'Wickr Incident Fact Recorded' : 'Wickr Incident Fact Ignored',
    {
      incidentId: unit.incidentId,
      networkId: unit.networkId,
      eventId: unit.eventId,
      result,
      reason,
    },
  );
}

/**
 * A declaration whose own selectors select no group of the network matched nothing (it is not a lockdown that
 * covered anything); a fact that ended an incident while others keep the network locked updated it; the last one
 * lifted it.
 */
export function outcomeOf(unit: ReconcileUnit, report: NetworkReport): LockdownOutcome {
  if (!report.locked) return 'Wickr Lockdown Lifted';
  if (unit.ends) return 'Wickr Lockdown Updated';
  const own = report.unmatchedSelectors.find((u) => u.incidentId === unit.incidentId);
  return own?.matchesNothing ? 'Wickr Lockdown Matched Nothing' : 'Wickr Lockdown Applied';
}

/** While a network stays locked, one sweep per period looks again at what hands may have changed. */
async function scheduleSweep(unit: ReconcileUnit, report: NetworkReport, deps: IncidentDeps): Promise<void> {
  const every = deps.sweepEveryMs ?? 0;
  if (!report.locked || !deps.handover || every <= 0) return;
  const now = deps.nowMs();
  if (!(await deps.store.scheduleSweep(unit.networkId, now, now + every))) return;
  const sweep = {
    networkId: unit.networkId,
    incidentId: 'sweep',
    trigger: 'Lockdown Sweep',
    factTime: new Date(now).toISOString(),
    sweep: true,
  };
  await deps.handover.send(sweep, Math.min(900, Math.ceil(every / 1000)));
}

/**
 * A sweep changed something: groups made or loosened by hand since the lockdown reached them, brought back under
 * it. Reported as `Wickr Lockdown Drift` (group, field, found → set); a sweep that found nothing says nothing.
 */
async function reportDrift(unit: ReconcileUnit, report: NetworkReport, deps: IncidentDeps): Promise<NetworkOutcome> {
  const drift = report.groups.flatMap((g) =>
    g.changes.map((c) => ({
      groupId: g.groupId,
      groupName: g.groupName,
      field: c.field,
      found: c.before,
      set: c.after,
    })),
  );
  if (drift.length > 0) {
    deps.metrics?.add('LockdownDrift', drift.length);
    deps.logger.warn('Lockdown drift brought back', {
      networkId: unit.networkId,
      trigger: unit.trigger,
      fields: drift.length,
    });
    await deps.publisher.publish('Wickr Lockdown Drift', {
      networkId: unit.networkId,
      trigger: unit.trigger,
      locked: report.locked,
      activeIncidents: report.activeIncidents,
      drift,
      conflicts: report.conflicts,
    });
  }
  return { networkId: unit.networkId, result: 'swept', drift: drift.length };
}
