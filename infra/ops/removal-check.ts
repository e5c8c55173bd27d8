/**
 * What must be settled before the stack is removed: a network under lockdown would stay locked with nobody to
 * restore it, an open hold would be lost undecided, a contained account (or an open case) would leave a person — or
 * a guest, or a bot — suspended with nothing to release them, and work still queued (HR facts, roster chunks, an
 * access review's next segment) would be dropped. `ops removal-check` says so (exit 1), and `osls remove` runs it first
 * (infra/serverless-validate-policy.cjs) and refuses while anything is listed.
 */
import type { Hold } from '../../lib/holds/hold.js';
import type { QueuedWork } from './queued-work.js';
import type { NetworkStatus } from './status.js';

/** One line per reason the stack may not be removed yet, each with what to do. */
export function removalBlockers(
  networks: readonly Pick<NetworkStatus, 'networkId' | 'locked' | 'activeIncidents'>[],
  holds: readonly Pick<Hold, 'holdId' | 'status'>[],
  accounts: readonly {
    networkId: string;
    userId: string;
    employeeId?: string | undefined;
    contained: boolean;
    openCases: readonly { caseId: string }[];
  }[] = [],
  queued: readonly QueuedWork[] = [],
): string[] {
  const blockers: string[] = [];
  for (const n of networks.filter((x) => x.locked)) {
    const ids = n.activeIncidents.map((i) => i.incidentId).join(', ');
    blockers.push(
      `network ${n.networkId} is locked down by ${ids}: resolve them, or npm run --silent ops -- incidents release-all --network ${n.networkId} --override --reason "…"`,
    );
  }
  for (const h of holds.filter((x) => x.status === 'open')) {
    blockers.push(
      `hold ${h.holdId} waits for a decision: npm run --silent ops -- holds show ${h.holdId} (then approve --revision R --count N, or reject)`,
    );
  }
  for (const a of accounts.filter((x) => x.contained || x.openCases.length > 0)) {
    const cases = a.openCases.map((c) => c.caseId);
    // Released by the employee id HR gave them; a user nobody provisioned, by their username (ops accounts status);
    // a guest by its hash; a bot by its username (its id is what the record keeps).
    const [kind, id] = /^(guest|bot):(.+)$/.exec(a.userId)?.slice(1) ?? ['user', a.userId];
    const option =
      kind === 'guest' ? `--guest ${id}` : kind === 'bot' ? '--bot BOTNAME' : `--user ${a.employeeId ?? 'USERNAME'}`;
    const release = cases.map((c) => `npm run --silent ops -- accounts release ${option} --case ${c}`);
    blockers.push(
      `${kind} ${id} on ${a.networkId} is ${a.contained ? 'contained' : 'not contained'} with open case(s) ${cases.join(', ') || 'none'}: ${release.join('; ') || 'its release is pending (ops accounts status)'}`,
    );
  }
  for (const q of queued) {
    blockers.push(
      `${q.messages} message(s) still queued for ${q.functionName} (${q.queue}): wait until it has taken them (ops audit shows what they did)`,
    );
  }
  return blockers;
}
