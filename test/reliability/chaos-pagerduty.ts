/**
 * PagerDuty incidents in the chaos history: each triggered on the policy's security service (or on another one,
 * which must do nothing), its priority maybe changed, maybe resolved — V2 and V3 shapes mixed — delivered on the
 * partner bus with the rest. The oracle states which are active at the end, at which severity, from the history.
 */
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';

export const pagerDutySource = 'aws.partner/pagerduty.com/chaos/sec';
/** The chaos policy's mapping (test/fixtures/chaos/policy.yml). */
const severityOf: Readonly<Record<string, 'SEV1' | 'SEV2' | 'SEV3'>> = { P1: 'SEV1', P2: 'SEV2', P3: 'SEV3' };

interface PagerDutyStep {
  readonly type: 'incident.triggered' | 'incident.priority_updated' | 'incident.acknowledged' | 'incident.resolved';
  readonly priority: string;
  readonly minute: number;
}

/** One PagerDuty incident's history. */
export interface PagerDutyLife {
  readonly id: string;
  readonly service: string;
  readonly title: string;
  readonly steps: readonly PagerDutyStep[];
}

export function pagerDutyLife(seed: number, i: number, random: () => number): PagerDutyLife {
  const priorities = ['P1', 'P2', 'P3'];
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const first = pick(priorities);
  const steps: PagerDutyStep[] = [{ type: 'incident.triggered', priority: first, minute: 0 }];
  if (random() < 0.5) steps.push({ type: 'incident.priority_updated', priority: pick(priorities), minute: 5 });
  if (random() < 0.4) steps.push({ type: 'incident.acknowledged', priority: first, minute: 7 });
  if (random() < 0.5) steps.push({ type: 'incident.resolved', priority: first, minute: 10 });
  return { id: `QCH${seed}X${i}`, service: random() < 0.8 ? 'PCHAOS' : 'PBILLING', title: `pd chaos ${i}`, steps };
}

/** The life's events on the partner bus, V2 or V3 at random per event, dated from `start`. */
export function pagerDutyEntries(
  life: PagerDutyLife,
  start: Date,
  random: () => number,
): (PutEventsRequestEntry & { key: string })[] {
  const v2Of: Record<string, string> = {
    'incident.triggered': 'incident.trigger',
    'incident.acknowledged': 'incident.acknowledge',
    'incident.resolved': 'incident.resolve',
  };
  return life.steps.map((step, i) => {
    const at = new Date(start.getTime() + step.minute * 60_000).toISOString();
    const incident = {
      id: life.id,
      title: life.title,
      urgency: 'high',
      priority: { summary: step.priority },
      service: { id: life.service },
    };
    const v2 = v2Of[step.type];
    const detail =
      v2 && random() < 0.5
        ? { event: v2, id: `${life.id}-${i}`, created_on: at, incident }
        : { event: { id: `${life.id}-${i}`, event_type: step.type, occurred_at: at, data: incident } };
    return {
      key: `pagerduty ${life.id} ${i}`,
      EventBusName: pagerDutySource,
      Source: pagerDutySource,
      DetailType: 'PagerDuty Webhook',
      Time: new Date(at),
      Detail: JSON.stringify(detail),
    };
  });
}

/** Where the history leaves the incident: active at a severity since a time, or not active. */
export function pagerDutyEnd(life: PagerDutyLife, start: Date) {
  if (life.service !== 'PCHAOS') return undefined;
  const facts = life.steps.filter((s) => s.type !== 'incident.acknowledged');
  const last = facts.at(-1);
  if (!last || last.type === 'incident.resolved') return undefined;
  return {
    id: `pagerduty:${life.id}`,
    severity: severityOf[last.priority] as 'SEV1' | 'SEV2' | 'SEV3',
    declaredAt: new Date(start.getTime() + last.minute * 60_000).toISOString(),
    title: life.title,
  };
}
