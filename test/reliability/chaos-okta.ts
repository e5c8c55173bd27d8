/**
 * Okta people in the chaos history: each a short life of System Log events (activation, memberships of mapped and
 * unmapped groups, a suspension, a return, a failed action), delivered on the partner bus with the rest. The oracle
 * states each person's end from the history alone: their latest status, and their latest membership among the
 * mapped groups still held.
 */
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';

export const oktaSource = 'aws.partner/okta.com/chaos/wickr';
/** The chaos policy's mapping (test/fixtures/chaos/policy.yml): Okta group → department. */
export const oktaGroups: Readonly<Record<string, string>> = { 'Okta-Legal': 'Legal', 'Okta-Research': 'Research' };

interface OktaLifeEvent {
  readonly eventType: string;
  readonly minute: number;
  readonly group?: string | undefined;
  readonly failed?: boolean;
}

/** One Okta person's history. */
export interface OktaLife {
  readonly userId: string;
  readonly login: string;
  readonly events: readonly OktaLifeEvent[];
}

/** A random life: active, in a mapped group, maybe moved, maybe left and back, with noise. */
export function oktaLife(seed: number, i: number, random: () => number): OktaLife {
  const groups = Object.keys(oktaGroups);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const events: OktaLifeEvent[] = [
    { eventType: 'user.lifecycle.activate', minute: 0 },
    { eventType: 'group.user_membership.add', minute: 1, group: pick(groups) },
  ];
  if (random() < 0.5) events.push({ eventType: 'group.user_membership.add', minute: 5, group: pick(groups) });
  if (random() < 0.3) events.push({ eventType: 'group.user_membership.add', minute: 6, group: 'Okta-Interns' });
  if (random() < 0.4) {
    events.push({ eventType: pick(['user.lifecycle.deactivate', 'user.lifecycle.suspend']), minute: 10 });
    if (random() < 0.4) events.push({ eventType: 'user.lifecycle.reactivate', minute: 15 });
  }
  if (random() < 0.3) events.push({ eventType: 'user.lifecycle.deactivate', minute: 20, failed: true });
  return { userId: `00uCH${seed}x${i}`, login: `okta-${seed}-${i}@example.com`, events };
}

/** The life's events as PutEvents entries on the partner bus, dated from `start`. */
export function oktaEntries(life: OktaLife, start: Date): (PutEventsRequestEntry & { key: string })[] {
  return life.events.map((e, i) => {
    const published = new Date(start.getTime() + e.minute * 60_000 + i);
    const target: object[] = [{ id: life.userId, type: 'User', alternateId: life.login, displayName: 'Chaos Person' }];
    if (e.group) target.push({ id: `00g${e.group.length}`, type: 'UserGroup', displayName: e.group });
    return {
      key: `okta ${life.userId} ${i}`,
      EventBusName: oktaSource,
      Source: oktaSource,
      DetailType: 'SystemLog',
      Time: published,
      Detail: JSON.stringify({
        uuid: `${life.userId}-${i}`,
        published: published.toISOString(),
        eventType: e.eventType,
        outcome: { result: e.failed ? 'FAILURE' : 'SUCCESS', reason: null },
        target,
      }),
    };
  });
}

/** Where the history leaves the person: left, active in a department, or nobody to provision. */
export function oktaEnd(life: OktaLife): { state: 'left' } | { state: 'active'; department: string } | undefined {
  const done = life.events.filter((e) => !e.failed);
  const status = done.filter((e) => /activate|suspend|delete/.test(e.eventType)).at(-1);
  if (status && /deactivate|\.suspend|delete/.test(status.eventType) && !/unsuspend/.test(status.eventType)) {
    return { state: 'left' };
  }
  const member = new Map<string, number>();
  for (const e of done) {
    if (!e.group || !(e.group in oktaGroups)) continue;
    if (e.eventType.endsWith('.add')) member.set(e.group, e.minute);
    else member.delete(e.group);
  }
  const latest = [...member].sort(([, a], [, b]) => b - a)[0];
  return latest ? { state: 'active', department: oktaGroups[latest[0]] as string } : undefined;
}
