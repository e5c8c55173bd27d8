/**
 * What the lockdown of a PagerDuty incident tells PagerDuty: a note on the incident when a lockdown is applied,
 * updated or lifted on a network — which networks, how many groups changed, the incident here and the fact that did
 * it (its event id, which the outcomes and `ops audit` name). Pure: the handler sends it. A fact that changed nothing
 * (a duplicate, coalesced into another's pass, ignored) writes no note: PagerDuty hears of changes, not of deliveries.
 */
import type { SourceFactOutcome } from './apply-incident-fact.js';
import type { NetworkOutcome } from './ports.js';

/** Who the notes name as their author. */
export const noteAuthor = 'wickr-autopilot';

const verbs = {
  'Wickr Lockdown Applied': 'applied',
  'Wickr Lockdown Updated': 'updated',
  'Wickr Lockdown Lifted': 'lifted',
} as const;

// PagerDuty keeps a note of up to 25,000 characters; ours are one line, bounded by the networks a policy names.
const maxNote = 2_000;

/** The note for what a PagerDuty incident's fact did here; undefined when it changed nothing. */
export function pagerDutyNoteOf(applied: SourceFactOutcome, eventId: string): string | undefined {
  if (applied.action === 'ignored') return undefined;
  const by = new Map<string, string[]>();
  let groups = 0;
  for (const network of applied.outcome.networks as readonly NetworkOutcome[]) {
    const verb =
      network.result === 'handed-over'
        ? 'being applied'
        : (network.result === 'reconciled' || network.result === 'withdrawn') && network.outcome
          ? (verbs as Record<string, string>)[network.outcome]
          : undefined;
    if (!verb) continue;
    if ('summary' in network) groups += network.summary.groupsChanged;
    by.set(verb, [...(by.get(verb) ?? []), network.networkId]);
  }
  if (by.size === 0) return undefined;
  const parts = [...by].map(([verb, networks]) => `${verb} on network(s) ${networks.join(', ')}`);
  const text = `${noteAuthor}: Wickr lockdown ${parts.join('; ')} (${groups} group(s) changed) — incident ${applied.incidentId}, fact ${eventId}`;
  return text.length > maxNote ? `${text.slice(0, maxNote - 1)}…` : text;
}
