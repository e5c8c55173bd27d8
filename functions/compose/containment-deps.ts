import type { Context } from 'aws-lambda';
import type { AccountEventDeps } from '../../lib/containment/handle-account-event.js';
import { dependencies as d } from '../../lib/runtime/dependencies.js';
import { metricsPort } from '../../lib/runtime/metrics.js';
import { AccountCaseStore } from '../../lib/store/account-case-store.js';
import { guestBlockToLockdown } from '../../lib/store/guest-block-handover.js';
import { HoldStore } from '../../lib/store/hold-store.js';
import { IncidentStateStore } from '../../lib/store/incident-state-store.js';
import { ProvisionedUsersStore } from '../../lib/store/provisioned-users-store.js';
import { SafeguardWindowStore } from '../../lib/store/safeguard-window-store.js';

/** The containment use case's dependencies, from the execution environment's clients. */
export async function containmentDeps(_context: Context): Promise<AccountEventDeps> {
  const policy = await d.policy();
  const { stateTable } = d.config();
  const section = policy.containment;
  const windows = new SafeguardWindowStore(d.documentDb(), stateTable, 'CONTAIN#');
  return {
    wickr: d.wickr(),
    accounts: new AccountCaseStore(d.documentDb(), stateTable),
    provisioned: new ProvisionedUsersStore(d.documentDb(), stateTable),
    anyUser: section.anyUser,
    networkIds: policy.networks.map((n) => n.networkId),
    admit: async () =>
      (await windows.admit('all', 1, Date.now(), section.maxPerHour, async () => section.maxPerHour)).admitted === 1,
    holds: new HoldStore(d.documentDb(), stateTable),
    holdMs: policy.safeguards.holdHours * 3_600_000,
    maxPerHour: section.maxPerHour,
    guestToLockdown: guestBlockToLockdown(
      new IncidentStateStore(d.documentDb(), stateTable),
      policy.incident.playbooks,
    ),
    nowMs: Date.now,
    section,
    quarantine: section.quarantine,
    oktaSource: d.config().oktaEventSource || undefined,
    publisher: d.publisher(),
    logger: d.logger(),
    metrics: metricsPort,
  };
}
