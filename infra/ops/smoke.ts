/**
 * The smoke test after a deploy: a dry-run declaration (planned by the incident function against each network,
 * nothing recorded or changed) put on the bus as an incident publisher would, followed hop by hop — bus, rule and
 * function, Wickr, the outcome in the audit trail — with each hop's time. It passes only when every network's plan
 * came back through the audit trail; otherwise it names the hop that did not answer, and why where it can tell.
 */
import { randomUUID } from 'node:crypto';
import { auditTrail } from './audit.js';
import { listFailures } from './failures.js';
import { putIncidentEvent } from './incident-events.js';
import type { OpsTarget } from './ops-target.js';

/** One hop of the path, as the smoke test saw it. */
export interface SmokeHop {
  readonly hop: string;
  readonly ok: boolean;
  readonly ms?: number | undefined;
  readonly note?: string | undefined;
}

/** What the smoke test found: ok only when every hop answered for every network. */
export interface SmokeReport {
  readonly ok: boolean;
  readonly incidentId: string;
  readonly eventId?: string | undefined;
  readonly hops: readonly SmokeHop[];
}

const since = (from: number, to: string | number | undefined) =>
  to === undefined ? undefined : Math.max(0, (typeof to === 'number' ? to : Date.parse(to)) - from);

/** Sends the dry run and follows it until every network answered, a failure named it, or the wait ran out. */
export async function smoke(target: OpsTarget, options: { timeoutMs: number; pollMs?: number }): Promise<SmokeReport> {
  const incidentId = `SMOKE-${randomUUID().slice(0, 8)}`;
  const networkIds = target.policy.networks.map((n) => n.networkId);
  const started = Date.now();
  let eventId: string;
  try {
    eventId = await putIncidentEvent(target, 'declare', {
      id: incidentId,
      severity: 'SEV1',
      title: 'smoke test (dry run)',
      dryRun: true,
    });
  } catch (error) {
    return { ok: false, incidentId, hops: [{ hop: 'put → bus', ok: false, note: (error as Error).message }] };
  }
  const hops: SmokeHop[] = [{ hop: 'put → bus', ok: true, ms: Date.now() - started }];
  const deadline = started + options.timeoutMs;
  for (;;) {
    const seenAt = Date.now();
    const entries = (await auditTrail(target, { sinceMs: 15 * 60_000 })).filter((e) => e.detail.eventId === eventId);
    const plans = new Map(
      entries.filter((e) => e.detailType === 'Wickr Lockdown Planned').map((e) => [e.networkId, e.detail]),
    );
    const refused = entries.find((e) => e.detailType === 'Wickr Automation Failed');
    const failed = refused
      ? { errorType: String(refused.detail.errorType), reason: String(refused.detail.reason) }
      : target.localEndpoint || seenAt >= deadline
        ? (await listFailures(target)).find((f) => f.eventId === eventId)
        : undefined;
    if (failed) {
      hops.push({ hop: 'bus → incident function', ok: false, note: `failed: ${failed.errorType}: ${failed.reason}` });
      return { ok: false, incidentId, eventId, hops };
    }
    if (networkIds.every((n) => plans.has(n)) || seenAt >= deadline) {
      const first = [...plans.values()][0];
      hops.push(
        first
          ? { hop: 'bus → incident function', ok: true, ms: since(started, first.receivedAt as string) }
          : {
              hop: 'bus → incident function',
              ok: false,
              note: `no answer within ${Math.round(options.timeoutMs / 1000)} s: the rule, the function or its outcome (see ops failures and the function's logs)`,
            },
      );
      for (const networkId of networkIds) {
        const plan = plans.get(networkId);
        if (!plan) {
          if (first) hops.push({ hop: `function → Wickr ${networkId}`, ok: false, note: 'no plan for this network' });
          continue;
        }
        const ms = since(Date.parse(String(plan.receivedAt)), plan.plannedAt as string);
        hops.push(
          plan.reachable
            ? {
                hop: `function → Wickr ${networkId}`,
                ok: true,
                ms,
                note: `a SEV1 would change ${(plan.changes as unknown[]).length} field(s)${plan.popup ? ' and the popup' : ''}`,
              }
            : { hop: `function → Wickr ${networkId}`, ok: false, ms, note: String(plan.error) },
        );
      }
      const last = [...plans.values()].map((p) => Date.parse(String(p.plannedAt))).sort((a, b) => b - a)[0];
      if (last !== undefined) hops.push({ hop: 'outcome → audit trail', ok: true, ms: since(last, seenAt) });
      return { ok: hops.every((h) => h.ok) && plans.size === networkIds.length, incidentId, eventId, hops };
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
  }
}

/** The report as the on-call reads it. */
export function smokeText(report: SmokeReport): string {
  const lines = [
    `smoke ${report.incidentId} (event ${report.eventId ?? 'not sent'}): ${report.ok ? 'PASSED' : 'FAILED'}`,
  ];
  for (const h of report.hops) {
    lines.push(
      `  ${h.ok ? 'ok  ' : 'FAIL'} ${h.hop}${h.ms !== undefined ? ` ${h.ms} ms` : ''}${h.note ? ` — ${h.note}` : ''}`,
    );
  }
  return lines.join('\n');
}
