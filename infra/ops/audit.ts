import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { refuse } from '../command-line.js';
import type { OpsTarget } from './ops-target.js';

/** One outcome event, as the audit trail lists it. */
export interface AuditEntry {
  /** The event's id. */
  readonly id: string;
  readonly time: string;
  readonly detailType: string;
  readonly networkId?: string | undefined;
  readonly incidentId?: string | undefined;
  readonly detail: Record<string, unknown>;
}

/** `24h`, `30m`, `7d` → milliseconds; exits 2 on anything else. */
export function durationMs(text: string): number {
  const match = /^(\d{1,5})([mhd])$/.exec(text);
  if (!match) refuse(`--since ${text}: must be a number and m, h or d (e.g. 24h)`, 'ops');
  return Number(match[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'm' | 'h' | 'd'];
}

/** The outcome events since a time, oldest first, for a network or an incident; locally the bus's own record. */
export async function auditTrail(
  target: Pick<OpsTarget, 'localEndpoint' | 'region' | 'busName'>,
  filter: { sinceMs: number; networkId?: string | undefined; incidentId?: string | undefined },
): Promise<AuditEntry[]> {
  if (!target.localEndpoint) return deployedTrail(target, filter);
  const { events } = (await (await fetch(new URL('/_local/events', target.localEndpoint))).json()) as {
    events: {
      event: { id: string; time: string; source: string; 'detail-type': string; detail: Record<string, unknown> };
    }[];
  };
  const since = Date.now() - filter.sinceMs;
  return events
    .map((e) => e.event)
    .filter((e) => e.source === 'wickr.autopilot' && Date.parse(e.time) >= since)
    .map((e) => ({
      id: e.id,
      time: e.time,
      detailType: e['detail-type'],
      networkId: typeof e.detail.networkId === 'string' ? e.detail.networkId : undefined,
      incidentId: typeof e.detail.incidentId === 'string' ? e.detail.incidentId : undefined,
      detail: e.detail,
    }))
    .filter(
      (e) =>
        (!filter.networkId || e.networkId === filter.networkId) &&
        (!filter.incidentId || e.incidentId === filter.incidentId),
    )
    .sort((a, b) => a.time.localeCompare(b.time));
}

/** A deployed stage's audit log group (the audit rule's target), read with FilterLogEvents. */
async function deployedTrail(
  target: Pick<OpsTarget, 'region' | 'busName'>,
  filter: { sinceMs: number; networkId?: string | undefined; incidentId?: string | undefined },
): Promise<AuditEntry[]> {
  const logs = new CloudWatchLogsClient({ region: target.region });
  const entries: AuditEntry[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: `/aws/events/${target.busName}-audit`,
        startTime: Date.now() - filter.sinceMs,
        nextToken,
      }),
    );
    for (const e of page.events ?? []) {
      const event = JSON.parse(e.message ?? '{}') as {
        id: string;
        time: string;
        'detail-type': string;
        detail: Record<string, unknown>;
      };
      const networkId = typeof event.detail?.networkId === 'string' ? event.detail.networkId : undefined;
      const incidentId = typeof event.detail?.incidentId === 'string' ? event.detail.incidentId : undefined;
      if (
        (filter.networkId && networkId !== filter.networkId) ||
        (filter.incidentId && incidentId !== filter.incidentId)
      )
        continue;
      entries.push({
        id: event.id,
        time: event.time,
        detailType: event['detail-type'],
        networkId,
        incidentId,
        detail: event.detail,
      });
    }
    nextToken = page.nextToken;
    // Every page: a busy incident writes more than 10,000 entries a day, and a trail that stops short misleads.
  } while (nextToken);
  return entries.sort((a, b) => a.time.localeCompare(b.time));
}
