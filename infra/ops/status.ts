import { lockedFields } from '../../lib/store/incident-locks-view.js';
import { IncidentStateStore } from '../../lib/store/incident-state-store.js';
import type { AuditEntry } from './audit.js';
import type { OpsTarget } from './ops-target.js';

/** One network as the on-call engineer asks about it. */
export interface NetworkStatus {
  readonly networkId: string;
  readonly locked: boolean;
  readonly activeIncidents: readonly {
    incidentId: string;
    severity: string;
    title?: string | undefined;
    declaredAt: string;
  }[];
  /** Fields the lockdown changed (original → set), with the group's name where Wickr could say it. */
  readonly heldFields: readonly {
    groupId: string;
    groupName?: string | undefined;
    field: string;
    original: unknown;
    set: unknown;
  }[];
  readonly popupHeld: boolean;
  /** Facts recorded that no finished reconcile has taken in yet (a reconcile runs, or one died). */
  readonly behind: boolean;
  /** When a reconcile last brought the network exactly to its target. */
  readonly lastReconciledAt?: string | undefined;
  readonly lease?: { owner: string; expiresAt: string } | undefined;
  readonly resolved: readonly { incidentId: string; resolvedAt: string; forgetAt: string }[];
  /** The rotation's last tick on the network, from the audit trail (the last two days). */
  readonly lastRotation?: { at: string; status: string; drifted?: number; patched?: number } | undefined;
}

/** Each policy network's lockdown: active incidents, held fields with their original values, lease, tombstones. */
export async function networkStatus(
  target: OpsTarget,
  only?: string,
  trail: readonly AuditEntry[] = [],
): Promise<NetworkStatus[]> {
  const store = new IncidentStateStore(target.db, target.stateTable);
  const ids = target.policy.networks.map((n) => n.networkId).filter((id) => !only || id === only);
  return Promise.all(
    ids.map(async (networkId) => {
      const [desired, locks, reconcile, held, names] = await Promise.all([
        store.readDesired(networkId),
        store.readLocks(networkId),
        store.readReconcileState(networkId, Date.now()),
        lockedFields(store, networkId),
        groupNames(target, networkId),
      ]);
      return {
        networkId,
        locked: desired.active.length > 0,
        activeIncidents: desired.active.map(({ incidentId, severity, title, declaredAt }) => ({
          incidentId,
          severity,
          ...(title ? { title } : {}),
          declaredAt,
        })),
        // A field whose entry holds what was there already was not changed by the lockdown: not shown as held.
        heldFields: locks.groups.flatMap((g) =>
          Object.entries(g.fields)
            .filter(([, lock]) => lock !== undefined && lock.original !== lock.set)
            .map(([field, lock]) => ({
              groupId: g.groupId,
              ...(names.has(g.groupId) ? { groupName: names.get(g.groupId) } : {}),
              field,
              original: lock?.original,
              set: lock?.set,
            })),
        ),
        popupHeld: held.popup,
        behind:
          reconcile.reconciledVersion !== undefined
            ? reconcile.reconciledVersion !== reconcile.version
            : reconcile.version > 0,
        lastReconciledAt: reconcile.reconciledAt,
        lease: reconcile.lease,
        resolved: reconcile.resolved,
        lastRotation: lastRotationOf(trail, networkId),
      };
    }),
  );
}

/** Group id → name, for the held fields; empty when Wickr cannot be asked (status still answers). */
async function groupNames(target: OpsTarget, networkId: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  try {
    for await (const page of target.wickr.paginateSecurityGroups({ networkId, maxResults: 100 })) {
      for (const g of page.securityGroups) names.set(g.id, g.name);
    }
  } catch {
    names.clear();
  }
  return names;
}

/** The latest `Wickr Policy Rotated` of a network in the trail. */
function lastRotationOf(trail: readonly AuditEntry[], networkId: string): NetworkStatus['lastRotation'] {
  const last = trail.filter((e) => e.detailType === 'Wickr Policy Rotated' && e.networkId === networkId).at(-1);
  if (!last) return undefined;
  const counts = last.detail.counts as { drifted?: number; patched?: number } | undefined;
  return {
    at: String(last.detail.at ?? last.time),
    status: String(last.detail.status ?? 'rotated'),
    ...(counts?.drifted !== undefined ? { drifted: counts.drifted } : {}),
    ...(counts?.patched !== undefined ? { patched: counts.patched } : {}),
  };
}

/** The human view: one block per network. */
export function statusText(networks: readonly NetworkStatus[]): string {
  return networks
    .map((n) => {
      const lines = [
        `network ${n.networkId}: ${n.locked ? 'LOCKED DOWN' : 'not locked'}${n.behind ? ' (reconcile pending)' : ''}`,
      ];
      for (const i of n.activeIncidents)
        lines.push(`  incident ${i.incidentId} ${i.severity} since ${i.declaredAt}${i.title ? ` — ${i.title}` : ''}`);
      for (const f of n.heldFields)
        lines.push(
          `  held ${f.groupName ? `${f.groupName} (${f.groupId})` : f.groupId} ${f.field}: ${JSON.stringify(f.original)} → ${JSON.stringify(f.set)}`,
        );
      if (n.popupHeld) lines.push('  held consent popup');
      if (n.lastReconciledAt) lines.push(`  last reconciled at ${n.lastReconciledAt}`);
      if (n.lastRotation) {
        lines.push(
          `  last rotation tick ${n.lastRotation.at}: ${n.lastRotation.status}, ${n.lastRotation.patched ?? 0} patched`,
        );
      }
      if (n.lease) lines.push(`  reconcile running (lease until ${n.lease.expiresAt})`);
      for (const r of n.resolved)
        lines.push(`  resolved ${r.incidentId} at ${r.resolvedAt} (remembered until ${r.forgetAt})`);
      return lines.join('\n');
    })
    .join('\n');
}
