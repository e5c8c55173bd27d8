/**
 * What a lockdown would change on a network, read-only: the preflight's table and a dry-run declaration's answer
 * come from the planner the reconcile itself uses, against the groups and popup Wickr has now.
 */
import type { Playbook } from '../policy-file/incident-section.js';
import type { Severity } from '../policy-file/vocabulary.js';
import { type ConsentPopupReading, readConsentPopup } from '../wickr/consent-popup.js';
import type { WickrAdminClient } from '../wickr/index.js';
import type { ActiveIncident } from './incident-records.js';
import { lockdownTarget } from './lockdown-target.js';
import { type LiveGroup, planReconcile } from './reconcile-plan.js';
import { gateOnRetention, retentionActive, type SkippedSettings } from './retention-gate.js';

/** A network as Wickr has it now: its groups and its consent popup. */
export interface LiveNetwork {
  readonly groups: readonly LiveGroup[];
  readonly popup: ConsentPopupReading;
  /** Its data retention keeps messages, so a lockdown may shorten their lifetimes. */
  readonly retentionActive: boolean;
}

/** What the lockdown would do: each field of each group (current → playbook), the popup, selectors that miss. */
export interface LockdownPreview {
  readonly changes: readonly { groupId: string; group: string; field: string; from: unknown; to: unknown }[];
  readonly popup: boolean;
  readonly unmatched: readonly string[];
  /** Settings the playbook asks for that this network's state keeps it from applying, and why. */
  readonly skipped?: SkippedSettings | undefined;
}

/** Reads a network's groups (every page) and its popup; List and Get requests only. */
export async function readLiveNetwork(
  wickr: Pick<WickrAdminClient, 'paginateSecurityGroups' | 'getNetworkSettings' | 'getDataRetentionBot'>,
  networkId: string,
): Promise<LiveNetwork> {
  const groups: LiveGroup[] = [];
  for await (const page of wickr.paginateSecurityGroups({ networkId, maxResults: 100 })) {
    for (const g of page.securityGroups) groups.push({ id: g.id, name: g.name, settings: g.securityGroupSettings });
  }
  const [{ settings }, bot] = await Promise.all([
    wickr.getNetworkSettings({ networkId }),
    wickr.getDataRetentionBot({ networkId }),
  ]);
  return { groups, popup: readConsentPopup(settings), retentionActive: retentionActive(bot) };
}

/** The change set these incidents' lockdown would make now, as if nothing were locked yet. */
export function previewLockdown(
  live: LiveNetwork,
  incidents: readonly ActiveIncident[],
  playbooks: Readonly<Record<Severity, Playbook>>,
): LockdownPreview {
  const { target, skipped } = gateOnRetention(lockdownTarget(incidents, playbooks, live.groups), live.retentionActive);
  const plan = planReconcile(target, live.groups, { groups: [] }, live.popup);
  return {
    changes: plan.groups.flatMap((step) =>
      step.changes.map((c) => ({
        groupId: step.groupId,
        group: step.groupName || step.groupId,
        field: c.field,
        from: c.before,
        to: c.after,
      })),
    ),
    popup: Boolean(plan.popup.send),
    unmatched: target.unmatched.flatMap((u) => [...u.ids, ...u.namePatterns]),
    ...(skipped ? { skipped } : {}),
  };
}
