/**
 * The guests' part of a pass (`guests: block-all`): read who was seen and who is blocked only when a playbook blocks
 * guests or the lockdown still has guests to unblock, then block (each recorded first) or unblock (each entry dropped
 * after). A guest a containment holds when the lockdown lifts is handed to it, not unblocked.
 */
import { mapSettled } from '../concurrency.js';
import { isRetryable } from '../failure.js';
import { publicReason } from '../wickr/index.js';
import type { ReconcileIncompleteError } from './errors.js';
import { type GuestStep, planGuests } from './guest-plan.js';
import type { ReconcileDeps } from './ports.js';

/** What the guest steps of every pass did, as the report says it (counts: a network may have thousands). */
export interface GuestReport {
  readonly blocked: number;
  readonly unblocked: number;
  /** Left blocked at the lift because an account containment holds the guest; its release unblocks them. */
  readonly handedToContainment: number;
  /** Blocked by the lockdown, found unblocked while it held: blocked again. */
  readonly foundUnblocked: number;
}

type Failure = ReconcileIncompleteError['failures'][number];

async function readGuests(deps: ReconcileDeps, networkId: string) {
  const seen: string[] = [];
  const blocked = new Set<string>();
  for await (const page of deps.wickr.paginateGuestUsers({ networkId, maxResults: 100 })) {
    for (const g of page.guestlist) seen.push(g.usernameHash);
  }
  for await (const page of deps.wickr.paginateBlockedGuestUsers({ networkId, maxResults: 100 })) {
    for (const g of page.blocklist) blocked.add(g.usernameHash);
  }
  return { seen, blocked };
}

/** The guests' step of this pass; undefined (no request) when no playbook blocks guests and none is ours. */
export async function planGuestStep(
  deps: ReconcileDeps,
  networkId: string,
  blockAll: boolean,
  locked: readonly string[],
): Promise<GuestStep | undefined> {
  if (!blockAll && locked.length === 0) return undefined;
  return planGuests(blockAll, { ...(await readGuests(deps, networkId)), locked });
}

async function unblock(deps: ReconcileDeps, networkId: string, usernameHash: string): Promise<boolean> {
  const handed = (await deps.guestHandover?.(networkId, usernameHash)) ?? false;
  if (!handed) await deps.wickr.updateGuestUser({ networkId, usernameHash, block: false });
  await deps.store.deleteGuestLock(networkId, usernameHash);
  return handed;
}

/** Applies the guests' step; what it did, and the guests it could not change. */
export async function applyGuestStep(
  deps: ReconcileDeps,
  networkId: string,
  step: GuestStep,
): Promise<{ report: GuestReport; failures: Failure[] }> {
  const failures: Failure[] = [];
  const failed = (usernameHash: string, reason: unknown) =>
    failures.push({
      groupId: `(guest ${usernameHash})`,
      error: publicReason(reason as Error),
      retryable: isRetryable(reason),
    });
  const blocks = await mapSettled(step.block, deps.concurrency, async ({ usernameHash, record }) => {
    if (record) await deps.store.putGuestLock(networkId, usernameHash);
    await deps.wickr.updateGuestUser({ networkId, usernameHash, block: true });
  });
  blocks.forEach((o, i) => {
    if (o.status === 'rejected') failed(step.block[i]?.usernameHash ?? '', o.reason);
  });
  const unblocks = await mapSettled(step.unblock, deps.concurrency, (h) => unblock(deps, networkId, h));
  unblocks.forEach((o, i) => {
    if (o.status === 'rejected') failed(step.unblock[i] ?? '', o.reason);
  });
  for (const h of step.drop) await deps.store.deleteGuestLock(networkId, h);
  const handed = unblocks.filter((o) => o.status === 'fulfilled' && o.value).length;
  return {
    report: {
      blocked: blocks.filter((o) => o.status === 'fulfilled').length,
      unblocked: unblocks.filter((o) => o.status === 'fulfilled').length - handed,
      handedToContainment: handed,
      foundUnblocked: step.foundUnblocked.length,
    },
    failures,
  };
}

/** Adds one pass's guest report to those before it. */
export function mergeGuests(a: GuestReport | undefined, b: GuestReport | undefined): GuestReport | undefined {
  if (!a || !b) return a ?? b;
  return {
    blocked: a.blocked + b.blocked,
    unblocked: a.unblocked + b.unblocked,
    handedToContainment: a.handedToContainment + b.handedToContainment,
    foundUnblocked: a.foundUnblocked + b.foundUnblocked,
  };
}
