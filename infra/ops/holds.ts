/**
 * The cockpit's holds: what waits for a decision, a hold's plan, and an operator's decision — written where only
 * the operators' role may write (the table's resource policy; locally the same statement, evaluated here for the
 * `--as` identity), then a nudge on the bus so the capability carries it out, then its outcome from the audit trail.
 */
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { type Hold, holdDecisionDetailType, isExpired, operatorsSource } from '../../lib/holds/hold.js';
import { decisionsPk, HoldStore, writeDecision } from '../../lib/store/hold-store.js';
import { auditTrail } from './audit.js';
import type { OpsTarget } from './ops-target.js';

/** A decision the cockpit will not make, said in one line. */
export class HoldDecisionRefusedError extends Error {
  override name = 'HoldDecisionRefusedError';
}

type Target = Pick<OpsTarget, 'db' | 'stateTable' | 'eventBridge' | 'busName' | 'localEndpoint' | 'region'>;

/** Every hold, newest first, with whether it is past its expiry. */
export async function listHolds(target: Pick<Target, 'db' | 'stateTable'>, nowMs = Date.now()) {
  const holds = await new HoldStore(target.db, target.stateTable).list();
  return holds
    .map((h) => ({ ...h, expired: h.status === 'open' && isExpired(h, nowMs) }))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** One line per hold: id, status, capability, network, safeguard, how many actions wait, until when. */
export const holdLine = (h: Hold & { expired?: boolean }) =>
  `${h.holdId}  ${h.expired ? 'expired (undecided)' : h.status}  ${h.capability} on ${h.networkId}  ${h.safeguard}  ${h.subjects.length} held  ${h.status === 'open' ? `until ${h.expiresAt}` : `settled ${h.settledAt ?? ''} by ${h.decidedBy ?? ''}`}`;

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
    `  approve applies these, each re-planned against the facts as they then stand:`,
    ...lines,
  ].join('\n');
}

/**
 * Decides a hold as `principalArn`, then waits for the capability's `Wickr Hold Decided`. Refused (one line, nothing
 * written) when the hold is unknown, settled, expired, or the principal may not write decisions.
 */
export async function decideHold(
  target: Target,
  holdId: string,
  decision: 'approve' | 'reject',
  options: { principalArn: string; accessKeyId?: string | undefined; reason?: string | undefined; waitMs: number },
) {
  const store = new HoldStore(target.db, target.stateTable);
  const hold = await store.get(holdId);
  if (!hold) throw new HoldDecisionRefusedError(`no hold ${holdId} (npm run --silent ops -- holds lists them)`);
  if (hold.status !== 'open') {
    throw new HoldDecisionRefusedError(`hold ${holdId} is settled already: ${hold.status} by ${hold.decidedBy ?? '?'}`);
  }
  const now = Date.now();
  if (isExpired(hold, now)) throw new HoldDecisionRefusedError(`hold ${holdId} expired at ${hold.expiresAt}`);
  if (target.localEndpoint) {
    // On AWS the table's resource policy refuses the write itself; the local DynamoDB has none, so the local stack
    // answers for the same statement, evaluated for the `--as` identity.
    const url = new URL('/_local/dynamodb/authorize', target.localEndpoint);
    url.searchParams.set('accessKeyId', options.accessKeyId ?? 'local');
    url.searchParams.set('action', 'dynamodb:PutItem');
    url.searchParams.set('leadingKey', decisionsPk);
    const verdict = (await (await fetch(url)).json()) as { allowed: boolean; deniedBy?: string };
    if (!verdict.allowed) {
      throw new HoldDecisionRefusedError(
        `User: ${options.principalArn} is not authorized to perform: dynamodb:PutItem on ${decisionsPk} with an explicit deny in a resource-based policy (${verdict.deniedBy}): only the operators' role decides holds`,
      );
    }
  }
  const written = await writeDecision(target.db, target.stateTable, {
    holdId,
    decision,
    decidedBy: options.principalArn,
    decidedAt: new Date(now).toISOString(),
    reason: options.reason?.slice(0, 300),
  });
  if (written === 'decided-already') {
    const earlier = await store.decisionOf(holdId);
    if (earlier?.decision !== decision) {
      throw new HoldDecisionRefusedError(
        `hold ${holdId} was decided already: ${earlier?.decision} by ${earlier?.decidedBy} at ${earlier?.decidedAt}`,
      );
    }
    // The same decision again: its nudge may have been lost, so it goes again (carrying it out is idempotent).
  }
  const since = now - 60_000;
  const put = await target.eventBridge.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: target.busName,
          Source: operatorsSource,
          DetailType: holdDecisionDetailType,
          Detail: JSON.stringify({ kind: 'hold-decision', holdId, capability: hold.capability }),
        },
      ],
    }),
  );
  if ((put.FailedEntryCount ?? 0) > 0) {
    throw new HoldDecisionRefusedError(
      `the decision is recorded but its nudge was refused (${put.Entries?.[0]?.ErrorCode}): run the same command again`,
    );
  }
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    const entries = await auditTrail(target, { sinceMs: Date.now() - since });
    const decided = entries.find((e) => e.detailType === 'Wickr Hold Decided' && e.detail.holdId === holdId);
    if (decided) return { holdId, decision, outcome: decided.detail };
    if (Date.now() >= deadline) return { holdId, decision, outcome: undefined };
    await new Promise((r) => setTimeout(r, 500));
  }
}
