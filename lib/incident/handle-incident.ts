import type { GroupSelector, IncidentDeclaredEvent, IncidentResolvedEvent } from '../events/incident-events.js';
import { unverifiedClaim, unverifiedClaimReason } from '../events/operator-actions.js';
import type { Severity } from '../policy-file/incident-section.js';
import { planDeclaration } from './dry-run-declaration.js';
import { IncidentInputError } from './errors.js';
import type { IncidentChannel } from './incident-records.js';
import type { IncidentDeps, IncidentOutcome, Invocation, NetworkOutcome } from './ports.js';
import { announce, runReconcileUnit } from './reconcile-unit.js';
import { targetNetworks } from './target-networks.js';

export type { IncidentDeps, IncidentOutcome, NetworkOutcome, ReconcileSummary } from './ports.js';

/**
 * `Incident Declared` (or `Incident Updated`): record the incident as active on each target network — or update
 * it, when this fact is newer: escalation, de-escalation, title, groups — unless its resolution came first; then
 * reconcile each network to the strictest active playbook. Networks the incident no longer names are restored.
 * Once per incident, network and fact.
 */
export async function declareIncident(
  event: IncidentDeclaredEvent,
  invocation: Invocation,
  deps: IncidentDeps,
): Promise<IncidentOutcome> {
  refuseUnverifiedClaims(event);
  if (event.detail.dryRun) return planDeclaration(event, deps);
  return declare(
    { ...event.detail, declaredAt: event.time, channel: 'incidents', eventId: event.id },
    'Incident Declared',
    invocation,
    deps,
  );
}

/**
 * A step once per fact, answered per delivery: a copy of a fact already taken (a new event id, the same incident,
 * network, channel and time) changes nothing again, and says so naming its own event — "already done" is an answer,
 * not silence a sender would take for "lost".
 */
async function onceForFact(
  deps: IncidentDeps,
  step: Readonly<Record<string, string>>,
  fact: { readonly networkId: string; readonly incidentId: string; readonly eventId?: string | undefined },
  work: () => Promise<NetworkOutcome>,
): Promise<NetworkOutcome> {
  const first = await deps.idempotency.once(step, async () => ({ ...(await work()), takenBy: fact.eventId ?? '' }));
  const { takenBy, ...outcome } = first;
  if (fact.eventId && takenBy && takenBy !== fact.eventId) {
    await announce(deps, fact, 'duplicate', `the same fact was taken already, as event ${takenBy}`);
  }
  return outcome as NetworkOutcome;
}

/** Who asked and an override are the operators' entry point's claims alone: from any other source, refused. */
function refuseUnverifiedClaims(event: IncidentDeclaredEvent | IncidentResolvedEvent) {
  const claim = unverifiedClaim(event);
  if (claim) throw new IncidentInputError(claim, unverifiedClaimReason);
}

/** An incident declaration, whatever announced it. */
export interface Declaration {
  readonly incidentId: string;
  readonly severity: Severity;
  readonly title?: string | undefined;
  readonly declaredAt: string;
  readonly networkIds?: readonly string[] | undefined;
  readonly groups?: GroupSelector | undefined;
  readonly channel: IncidentChannel;
  /** The fact's EventBridge id, named in its outcome events. */
  readonly eventId?: string | undefined;
  readonly requestedBy?: string | undefined;
}

/** Declares an incident on its target networks and reconciles each; once per incident and network. */
export async function declare(
  declaration: Declaration,
  trigger: string,
  invocation: Invocation,
  deps: IncidentDeps,
): Promise<IncidentOutcome> {
  const { incidentId, severity, title, groups, declaredAt, channel, eventId, requestedBy } = declaration;
  const networks: NetworkOutcome[] = [];
  const targets = targetNetworks(declaration.networkIds, deps.networkIds);
  for (const [index, networkId] of targets.entries()) {
    // The fact's version is part of the step: an escalation of the same incident is a new step, a copy is not.
    const step = { step: 'incident-declare', incidentId, networkId, channel, at: declaredAt };
    networks.push(
      await onceForFact(deps, step, { networkId, incidentId, eventId }, async () => {
        const { result: recorded, resolvedAt } = await deps.store.declare(
          networkId,
          { incidentId, severity, title, declaredAt, groups },
          channel,
          deps.nowMs(),
        );
        const extra = { severity, ...(requestedBy ? { requestedBy } : {}) };
        const unit = { networkId, incidentId, trigger, factTime: declaredAt, extra, eventId };
        if (recorded === 'other-channel') {
          deps.logger.warn('Declaration refused: another channel declared this incident', { incidentId, networkId });
          await announce(deps, unit, 'other-channel', 'another channel declared this incident');
          return { networkId, result: 'other-channel' as const };
        }
        if (recorded === 'stale' || recorded === 'already-resolved') {
          deps.logger.info(
            recorded === 'stale'
              ? 'Declaration ignored: a newer fact of this incident is recorded'
              : 'Declaration ignored: a newer resolution of the incident is recorded',
            { incidentId, networkId, resolvedAt },
          );
          // This fact changes nothing, but others may wait: a reconcile that coalesced them died (this may be its
          // retry). Level-triggered: whoever sees the network behind brings it up to date.
          if (await deps.store.isBehind(networkId)) return runReconcileUnit(unit, invocation, deps);
          await announce(
            deps,
            unit,
            recorded,
            recorded === 'stale'
              ? 'a newer fact of this incident is recorded'
              : `resolved at ${resolvedAt}, later than this declaration`,
          );
          return recorded === 'stale'
            ? { networkId, result: recorded }
            : { networkId, result: recorded, resolvedAt: String(resolvedAt) };
        }
        return runReconcileUnit(unit, invocation, deps, { immediately: index > 0 });
      }),
    );
  }
  // Narrowed scope: the networks this incident no longer names are restored (no tombstone: it may widen again).
  const dropped = declaration.networkIds
    ? await deps.store.activeOn(
        deps.networkIds.filter((id) => !targets.includes(id)),
        incidentId,
        channel,
      )
    : [];
  networks.push(...(await withdraw({ incidentId, channel, at: declaredAt, networkIds: dropped }, invocation, deps)));
  return { incidentId, networks };
}

/**
 * Takes an incident off networks without resolving it — its scope was narrowed, or its source no longer rates it
 * an incident — and reconciles them; no tombstone, so a later fact may bring it back. Once per network and fact.
 */
export async function withdraw(
  withdrawal: { incidentId: string; channel: IncidentChannel; at: string; networkIds: readonly string[] },
  invocation: Invocation,
  deps: IncidentDeps,
): Promise<NetworkOutcome[]> {
  const { incidentId, channel, at: declaredAt } = withdrawal;
  const networks: NetworkOutcome[] = [];
  for (const networkId of withdrawal.networkIds) {
    const step = { step: 'incident-withdraw', incidentId, networkId, channel, at: declaredAt };
    networks.push(
      await onceForFact(deps, step, { networkId, incidentId }, async () => {
        const unit = { networkId, incidentId, trigger: 'scope narrowed', factTime: declaredAt, ends: true };
        const forgetAt = deps.nowMs() + deps.tombstoneDays * 86_400_000;
        if (!(await deps.store.withdraw(networkId, incidentId, channel, declaredAt, forgetAt))) {
          if (await deps.store.isBehind(networkId)) return runReconcileUnit(unit, invocation, deps);
          return { networkId, result: 'stale' as const };
        }
        deps.logger.info('Incident withdrawn from a network out of its scope', { incidentId, networkId });
        return runReconcileUnit(unit, invocation, deps, { done: 'withdrawn' });
      }),
    );
  }
  return networks;
}

/**
 * `Incident Resolved`: move the incident to the resolved set on each target network, then reconcile: the
 * network is restored when no incident remains active, or follows the strictest one still active.
 */
export async function resolveIncident(
  event: IncidentResolvedEvent,
  invocation: Invocation,
  deps: IncidentDeps,
): Promise<IncidentOutcome> {
  refuseUnverifiedClaims(event);
  return resolve(
    { ...event.detail, resolvedAt: event.time, channel: 'incidents', eventId: event.id },
    'Incident Resolved',
    invocation,
    deps,
  );
}

/** An incident resolution, whatever announced it. */
export interface Resolution {
  readonly incidentId: string;
  readonly resolvedAt: string;
  readonly networkIds?: readonly string[] | undefined;
  readonly channel: IncidentChannel;
  /** Resolve even what another channel declared (the incident publishers' break-glass). */
  readonly override?: boolean | undefined;
  /** Why, and who asked (the break-glass): kept in the outcome event. */
  readonly reason?: string | undefined;
  readonly requestedBy?: string | undefined;
  readonly eventId?: string | undefined;
}

/** Resolves an incident on its target networks and reconciles each; once per incident and network. */
export async function resolve(
  resolution: Resolution,
  trigger: string,
  invocation: Invocation,
  deps: IncidentDeps,
): Promise<IncidentOutcome> {
  const { incidentId } = resolution;
  const networks: NetworkOutcome[] = [];
  const forgetAt = deps.nowMs() + deps.tombstoneDays * 86_400_000;
  const { resolvedAt, channel, override, reason, requestedBy, eventId } = resolution;
  if (override && !deps.incidentPublishersNamed) {
    throw new IncidentInputError(
      'detail.override',
      'needs incidentPublishers to be set: without named publishers anyone in the account could lift a lockdown',
    );
  }
  for (const [index, networkId] of targetNetworks(resolution.networkIds, deps.networkIds).entries()) {
    // The channel, the fact's time and an override are part of the step: a refused forged copy must not answer
    // for them, and a resolution after a reopening is a new fact.
    const step = {
      step: 'incident-resolve',
      incidentId,
      networkId,
      channel,
      at: resolvedAt,
      ...(override ? { override: 'yes' } : {}),
    };
    networks.push(
      await onceForFact(deps, step, { networkId, incidentId, eventId }, async () => {
        const recorded = await deps.store.resolve(networkId, incidentId, {
          resolvedAt,
          channel,
          override,
          expiresAtMs: forgetAt,
        });
        const extra = {
          ...(override ? { override: true } : {}),
          ...(reason ? { reason } : {}),
          ...(requestedBy ? { requestedBy } : {}),
        };
        const unit = { networkId, incidentId, trigger, factTime: resolvedAt, extra, ends: true, eventId };
        if (recorded === 'other-channel') {
          deps.logger.warn('Resolution refused: another channel declared this incident', { incidentId, networkId });
          await announce(
            deps,
            unit,
            'other-channel',
            'another channel declared this incident; only it, or an override, resolves it',
          );
          return { networkId, result: 'other-channel' as const };
        }
        if (recorded === 'stale') {
          deps.logger.info('Resolution ignored: the incident was declared again after it', { incidentId, networkId });
          await announce(deps, unit, 'stale', 'the incident was declared again after this resolution');
          return { networkId, result: 'stale' as const };
        }
        if (override)
          deps.logger.warn('Incident resolved by override', { incidentId, networkId, channel, requestedBy });
        return runReconcileUnit(unit, invocation, deps, { immediately: index > 0 });
      }),
    );
  }
  return { incidentId, networks };
}
