/**
 * Okta's compromise signals (System Log, on the partner source) as our canonical account fact: an event type the
 * policy chose, a successful one, naming a user — as the Okta intake provisions them (`okta:<id>`).
 */
import type { AccountFact } from '../events/account-events.js';
import type { OktaSystemLogEvent } from '../events/okta-events.js';
import type { ContainmentSection } from '../policy-file/containment-section.js';

/** The fact an Okta signal states — its user, as the Okta intake provisions them (`okta:<id>`) — or why none. */
export function factOfOktaSignal(
  event: OktaSystemLogEvent,
  section: ContainmentSection,
): AccountFact | { readonly ignored: string } {
  const log = event.detail;
  if (!(section.okta.eventTypes as readonly string[]).includes(log.eventType)) {
    return { ignored: `${log.eventType.slice(0, 64)} is not one of containment.okta.eventTypes` };
  }
  if (log.outcome.result !== 'SUCCESS') return { ignored: 'not a successful action' };
  const user = log.target.find((t) => t.type === 'User');
  if (!user) return { ignored: 'no user target' };
  return {
    caseId: `OKTA-${log.uuid}`,
    subject: `okta:${user.id}`,
    compromised: true,
    time: new Date(log.published).toISOString(),
    source: 'okta',
    reason: log.eventType,
    eventId: event.id,
  };
}
