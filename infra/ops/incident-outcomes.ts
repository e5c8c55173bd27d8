/**
 * What a fact the cockpit sent actually did: the outcome events that name its event id (one per network), read from
 * the audit trail until every target network answered, the fact was refused, or the wait ran out. "Sent" is never
 * an answer: applied, updated, lifted, matched no group, ignored (and why), recorded for a running reconcile, or
 * refused (field and rule).
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { auditTrail } from './audit.js';
import type { OpsTarget } from './ops-target.js';

/** One network's answer, or the refusal of the whole fact. */
export interface FactOutcome {
  readonly kind: 'applied' | 'updated' | 'lifted' | 'matched-nothing' | 'ignored' | 'recorded' | 'refused';
  readonly networkId?: string | undefined;
  /** What it says in words: groups and fields changed, or why nothing was. */
  readonly text: string;
  readonly detail: Record<string, unknown>;
}

const kinds: Record<string, FactOutcome['kind']> = {
  'Wickr Lockdown Applied': 'applied',
  'Wickr Lockdown Updated': 'updated',
  'Wickr Lockdown Lifted': 'lifted',
  'Wickr Lockdown Matched Nothing': 'matched-nothing',
  'Wickr Incident Fact Ignored': 'ignored',
  'Wickr Incident Fact Recorded': 'recorded',
  'Wickr Automation Failed': 'refused',
};

type Change = { field: string; before: unknown; after: unknown };
type GroupChange = { groupId: string; groupName?: string; changes: Change[] };

function describe(kind: FactOutcome['kind'], detail: Record<string, unknown>): string {
  const network = typeof detail.networkId === 'string' ? ` on ${detail.networkId}` : '';
  switch (kind) {
    case 'refused':
      return `refused: ${String(detail.reason ?? detail.errorType)}`;
    case 'ignored':
      return `ignored${network}: ${String(detail.reason)}`;
    case 'recorded':
      return `recorded${network}: ${String(detail.reason)}`;
    case 'matched-nothing': {
      const selectors = (detail.unmatchedSelectors as { ids: string[]; namePatterns: string[] }[] | undefined) ?? [];
      const named = selectors.flatMap((s) => [...s.ids, ...s.namePatterns]).join(', ');
      return `matched no group${network}${named ? ` (${named})` : ''}: nothing was locked`;
    }
    default: {
      const groups = (detail.groups as GroupChange[] | undefined) ?? [];
      const lines = groups.map(
        (g) =>
          `  ${g.groupName || g.groupId}: ${g.changes.map((c) => `${c.field} ${String(c.before)} → ${String(c.after)}`).join(', ')}`,
      );
      const popup = (detail.popup as { changed?: boolean } | undefined)?.changed ? ', popup changed' : '';
      const override = detail.override ? ` (override by ${String(detail.requestedBy ?? 'an incident publisher')})` : '';
      return [`${kind}${network}: ${groups.length} group(s) changed${popup}${override}`, ...lines].join('\n');
    }
  }
}

/** Waits for the outcomes of one fact on `networkIds`; answers what arrived (maybe nothing, at the deadline). */
export async function waitForOutcomes(
  target: Pick<OpsTarget, 'localEndpoint' | 'region' | 'busName'>,
  eventId: string,
  networkIds: readonly string[],
  options: { timeoutMs: number; sinceMs?: number; pollMs?: number } = { timeoutMs: 60_000 },
): Promise<FactOutcome[]> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const entries = await auditTrail(target, { sinceMs: options.sinceMs ?? 15 * 60_000 });
    const outcomes = entries
      .filter((e) => e.detail.eventId === eventId && kinds[e.detailType])
      .map((e) => {
        const kind = kinds[e.detailType] as FactOutcome['kind'];
        return { kind, networkId: e.networkId, text: describe(kind, e.detail), detail: e.detail };
      });
    const answered = new Set(outcomes.map((o) => o.networkId));
    // A refusal, or an answer for the whole fact (a source's fact ignored before any network), ends the wait too.
    const whole = outcomes.some((o) => o.kind === 'refused' || o.networkId === undefined);
    if (whole || networkIds.every((n) => answered.has(n))) return outcomes;
    if (Date.now() >= deadline) return outcomes;
    await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
  }
}

/** Exit code for a fact's outcomes: 0 when it was acted on (or recorded for a running reconcile), else 1. */
export function exitCodeOf(outcomes: readonly FactOutcome[], networkIds: readonly string[]): 0 | 1 {
  const answered = new Set(outcomes.map((o) => o.networkId));
  if (outcomes.some((o) => o.kind === 'refused' || o.kind === 'ignored' || o.kind === 'matched-nothing')) return 1;
  return networkIds.every((n) => answered.has(n)) ? 0 : 1;
}

/** Who the cockpit acts as, for the audit trail: STS's caller identity, or the local bus's view of `--as`. */
export async function callerArn(target: OpsTarget, accessKeyId?: string): Promise<string | undefined> {
  if (target.localEndpoint) {
    const answer = await fetch(
      new URL(`/_local/whoami?accessKeyId=${encodeURIComponent(accessKeyId ?? 'local')}`, target.localEndpoint),
    );
    return ((await answer.json()) as { principalArn?: string }).principalArn;
  }
  const { Arn } = await new STSClient({ region: target.region }).send(new GetCallerIdentityCommand({}));
  // An assumed role's session ARN names the role: the role is what the bus policy knows.
  return Arn?.replace(/^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.*$/, 'arn:$1:iam::$2:role/$3');
}
