/**
 * The preflight: read-only, against the real networks — who you are, whether each network of the policy answers,
 * and what the automation would do there: each severity's lockdown (group, field, current → playbook; selectors
 * that match nothing), which HR departments have a group and which would be created, the rotation plan now and
 * whether its guard would hold it. Nothing is written: only List/Get requests, with the planners the functions use.
 */
import { normalizeName } from '../../lib/hr/group-template.js';
import { lockdownTarget } from '../../lib/incident/lockdown-target.js';
import { type LiveNetwork, previewLockdown, readLiveNetwork } from '../../lib/incident/preview-lockdown.js';
import type { PolicyFile } from '../../lib/policy-file/policy-schema.js';
import { type Severity, severities } from '../../lib/policy-file/vocabulary.js';
import { guardOf } from '../../lib/rotation/hold-rotation.js';
import { planNetwork } from '../../lib/rotation/rotate-network.js';
import { publicReason, type WickrAdminClient } from '../../lib/wickr/index.js';

/** What one network would see. */
export interface NetworkPreflight {
  readonly networkId: string;
  readonly reachable: boolean;
  readonly error?: string | undefined;
  readonly groups: number;
  readonly lockdowns: readonly {
    readonly severity: Severity;
    readonly changes: readonly { group: string; field: string; from: unknown; to: unknown }[];
    readonly popup: boolean;
    readonly unmatched: readonly string[];
  }[];
  readonly departments: readonly { department: string; group: string; exists: boolean }[];
  readonly rotation?: {
    readonly drifted: number;
    readonly checked: number;
    /** The groups that would change, as `name (id)`. */
    readonly changing: readonly string[];
    readonly held?: string | undefined;
  };
  /** Why this network would fail or do nothing: each a reason for exit 1. */
  readonly problems: readonly string[];
}

/** Reads each network of the policy and plans, without writing anything. */
export async function preflight(wickr: WickrAdminClient, policy: PolicyFile, now: Date): Promise<NetworkPreflight[]> {
  const results: NetworkPreflight[] = [];
  for (const { networkId } of policy.networks) {
    let live: LiveNetwork;
    try {
      live = await readLiveNetwork(wickr, networkId);
    } catch (error) {
      const why = publicReason(error);
      results.push({
        networkId,
        reachable: false,
        error: why,
        groups: 0,
        lockdowns: [],
        departments: [],
        problems: [`network ${networkId}: ${why}`],
      });
      continue;
    }
    const { groups } = live;
    const problems: string[] = [];
    const lockdowns = severities.map((severity) => {
      const incident = { incidentId: 'PREFLIGHT', severity, title: 'preflight', declaredAt: now.toISOString() };
      const { changes, popup, unmatched, skipped } = previewLockdown(live, [incident], policy.incident.playbooks);
      if (skipped) {
        problems.push(
          `network ${networkId}: a ${severity} lockdown would leave ${skipped.settings.join(', ')}: ${skipped.reason}`,
        );
      }
      if (changes.length === 0 && !popup) {
        problems.push(
          `network ${networkId}: a ${severity} lockdown would change nothing (every group already as strict)`,
        );
      }
      return { severity, changes: changes.map(({ groupId: _, ...c }) => c), popup, unmatched };
    });
    const scoped = policy.sources.pagerduty?.groups;
    if (scoped) {
      const incident = {
        incidentId: 'PREFLIGHT',
        severity: 'SEV1' as const,
        declaredAt: now.toISOString(),
        groups: scoped,
      };
      const missed = lockdownTarget([incident], policy.incident.playbooks, groups).unmatched;
      for (const u of missed) {
        problems.push(
          `network ${networkId}: sources.pagerduty.groups selects nothing for ${[...u.ids, ...u.namePatterns].join(', ')}`,
        );
      }
    }
    const names = new Set(groups.map((g) => normalizeName(g.name)));
    const departments = (policy.hr.allowedDepartments ?? []).map((department) => {
      const group = normalizeName(department);
      return { department, group, exists: names.has(group) };
    });
    const { plan } = await planNetwork(
      {
        wickr: wickr as WickrAdminClient,
        rotation: policy.rotation,
        locks: async () => ({ groups: new Map(), popup: false }),
      },
      networkId,
      now,
    );
    const guard = guardOf(policy.rotation, plan);
    results.push({
      networkId,
      reachable: true,
      groups: groups.length,
      lockdowns,
      departments,
      rotation: {
        drifted: plan.groups.length,
        checked: plan.checked,
        changing: plan.groups.map((g) => `${g.groupName} (${g.groupId})`),
        held: guard?.text,
      },
      problems,
    });
  }
  return results;
}

/** One table per network, as the on-call reads it. */
export function preflightText(
  caller: string | undefined,
  networks: readonly NetworkPreflight[],
  permissions: readonly string[] = [],
): string {
  const lines = [`caller: ${caller ?? 'unknown (STS GetCallerIdentity failed)'}`, ...permissions];
  for (const n of networks) {
    lines.push(
      '',
      `network ${n.networkId}: ${n.reachable ? `reachable, ${n.groups} groups` : `NOT reachable: ${n.error}`}`,
    );
    for (const l of n.lockdowns) {
      lines.push(
        `  ${l.severity} lockdown: ${l.changes.length} field(s)${l.popup ? ', popup' : ''}${l.unmatched.length ? `; selects nothing: ${l.unmatched.join(', ')}` : ''}`,
      );
      for (const c of l.changes)
        lines.push(`    ${c.group}: ${c.field} ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`);
    }
    if (n.departments.length > 0) {
      lines.push(
        `  HR departments: ${n.departments.map((d) => `${d.department} → ${d.group}${d.exists ? '' : ' (would be created)'}`).join(', ')}`,
      );
    }
    if (n.rotation) {
      lines.push(
        `  rotation now: ${n.rotation.drifted} of ${n.rotation.checked} groups would change${n.rotation.changing.length ? ` (${n.rotation.changing.slice(0, 10).join(', ')}${n.rotation.changing.length > 10 ? `, +${n.rotation.changing.length - 10} more` : ''})` : ''}${n.rotation.held ? ` — held for a person: ${n.rotation.held}` : ''}`,
      );
    }
    for (const p of n.problems) lines.push(`  problem: ${p}`);
  }
  return lines.join('\n');
}
