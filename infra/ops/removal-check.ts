/**
 * What must be settled before the stack is removed: a network under lockdown would stay locked with nobody to
 * restore it, and an open hold would be lost undecided. `ops removal-check` says so (exit 1), and `osls remove`
 * runs it first (infra/serverless-validate-policy.cjs) and refuses while anything is listed.
 */
import type { Hold } from '../../lib/holds/hold.js';
import type { NetworkStatus } from './status.js';

/** One line per reason the stack may not be removed yet, each with what to do. */
export function removalBlockers(
  networks: readonly Pick<NetworkStatus, 'networkId' | 'locked' | 'activeIncidents'>[],
  holds: readonly Pick<Hold, 'holdId' | 'status'>[],
): string[] {
  const blockers: string[] = [];
  for (const n of networks.filter((x) => x.locked)) {
    const ids = n.activeIncidents.map((i) => i.incidentId).join(', ');
    blockers.push(
      `network ${n.networkId} is locked down by ${ids}: resolve them, or npm run --silent ops -- incidents release-all --network ${n.networkId} --override --reason "…"`,
    );
  }
  for (const h of holds.filter((x) => x.status === 'open')) {
    blockers.push(`hold ${h.holdId} waits for a decision: npm run --silent ops -- holds approve|reject ${h.holdId}`);
  }
  return blockers;
}
