/**
 * The cockpit's holds: what waits for a decision, a hold's plan with its revision, and an operator's decision — taken
 * by the operators' entry point as the caller AWS authenticated, bound to the revision the operator was shown — then
 * its outcome from the audit trail.
 */
import { type Hold, type HoldDecision, holdRevision, isExpired } from '../../lib/holds/hold.js';
import { HoldStore } from '../../lib/store/hold-store.js';
import { auditTrail } from './audit.js';
import { callOperatorEntry, OperatorEntryRefusedError } from './operator-entry.js';
import type { OpsTarget } from './ops-target.js';

/** A decision the cockpit will not make, said in one line. */
export class HoldDecisionRefusedError extends Error {
  override name = 'HoldDecisionRefusedError';
}

type Target = Pick<
  OpsTarget,
  'db' | 'stateTable' | 'region' | 'operatorUrl' | 'credentials' | 'busName' | 'localEndpoint'
>;

/** Every hold, newest first, with whether it is past its expiry. */
export async function listHolds(target: Pick<Target, 'db' | 'stateTable'>, nowMs = Date.now()) {
  const holds = await new HoldStore(target.db, target.stateTable).list();
  return holds
    .map((h) => ({ ...h, expired: h.status === 'open' && isExpired(h, nowMs) }))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** One line per hold: id, status, capability, network, safeguard, how many actions wait at which revision, until when. */
export const holdLine = (h: Hold & { expired?: boolean }) =>
  `${h.holdId}  ${h.expired ? 'expired (undecided)' : h.status}  ${h.capability} on ${h.networkId}  ${h.safeguard}  ${h.subjects.length} held at revision ${holdRevision(h.subjects)}  ${h.status === 'open' ? `until ${h.expiresAt}` : `settled ${h.settledAt ?? ''} by ${h.decidedBy ?? ''}`}`;

/** A hold's plan as `policy:plan` prints a rotation: subject, action, field, current → desired; the safeguard. */
export function holdPlanText(hold: Hold): string {
  const figures = Object.entries(hold.figures)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const lines = hold.subjects.map((s) =>
    s.changes?.length
      ? `  ${s.subject}: ${s.changes.map((c) => `${c.field} ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join(', ')}`
      : `  ${s.subject}${s.userId ? ` (user ${s.userId})` : ''}: active → ${s.action === 'delete' ? 'deleted' : 'suspended'}`,
  );
  return [
    `${holdLine(hold)}`,
    `  tripped: ${hold.safeguard} (${figures})`,
    `  approve applies these ${hold.subjects.length}, each re-planned against the facts as they then stand:`,
    ...lines,
    hold.status === 'open'
      ? `  decide: npm run --silent ops -- holds approve ${hold.holdId} --revision ${holdRevision(hold.subjects)} --count ${hold.subjects.length}`
      : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * Decides a hold through the operators' entry point — which knows who you are from your signature, refuses a hold
 * that does not exist, is closed, is not at `revision` and `count`, or that you caused — then waits for the
 * capability's `Wickr Hold Decided`. Refused in one line (HoldDecisionRefusedError), nothing written.
 */
export async function decideHold(
  target: Target,
  holdId: string,
  decision: 'approve' | 'reject',
  options: { revision?: string | undefined; count?: number | undefined; reason?: string | undefined; waitMs: number },
) {
  const since = Date.now() - 60_000;
  const request = {
    action: 'decide-hold',
    holdId,
    decision,
    ...(options.revision !== undefined ? { revision: options.revision } : {}),
    ...(options.count !== undefined ? { count: options.count } : {}),
    ...(options.reason ? { reason: options.reason.slice(0, 300) } : {}),
  };
  const answer = await callOperatorEntry<{ decided: HoldDecision }>(target, request).catch((error: unknown) => {
    if (error instanceof OperatorEntryRefusedError) throw new HoldDecisionRefusedError(error.message);
    throw error;
  });
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    const entries = await auditTrail(target, { sinceMs: Date.now() - since });
    const decided = entries.find((e) => e.detailType === 'Wickr Hold Decided' && e.detail.holdId === holdId);
    if (decided) return { holdId, decision, recorded: answer.decided, outcome: decided.detail };
    if (Date.now() >= deadline) return { holdId, decision, recorded: answer.decided, outcome: undefined };
    await new Promise((r) => setTimeout(r, 500));
  }
}
