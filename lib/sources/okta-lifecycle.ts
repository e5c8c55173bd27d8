/**
 * Okta's System Log (through its EventBridge partner source) as what one event says about one user: a status
 * (`user.lifecycle.*`: active or left), a membership of a group the policy maps (`group.user_membership.add` /
 * `remove`), and the login it carries — each with the event's version (`published`, then `uuid`), so the HR
 * capability keeps, per part, only the latest. Logins and names are hostile text: normalised and bounded here.
 */
import type { OktaLogEvent } from '../events/okta-events.js';
import type { OktaSection } from '../policy-file/sources-section.js';
import { normalizeText, truncate } from '../safe-text.js';

/** What one Okta event states about one user; every part optional but the user and the version. */
export interface OktaUserChange {
  readonly userId: string;
  /** `published` (UTC, milliseconds), then `uuid`: text order is time order. */
  readonly version: string;
  readonly status?: 'active' | 'left' | undefined;
  /** A mapped group (by the name the policy writes), joined or left. */
  readonly membership?: { readonly group: string; readonly member: boolean } | undefined;
  readonly login?: { readonly username: string; readonly firstName?: string; readonly lastName?: string } | undefined;
}

/** Why an event changes no person. */
export type OktaIgnored = 'not-success' | 'no-user' | 'nothing-mapped';

const statusOf: Readonly<Record<string, 'active' | 'left'>> = {
  'user.lifecycle.activate': 'active',
  'user.lifecycle.reactivate': 'active',
  'user.lifecycle.unsuspend': 'active',
  'user.lifecycle.deactivate': 'left',
  'user.lifecycle.suspend': 'left',
  'user.lifecycle.delete.initiated': 'left',
  'user.lifecycle.delete': 'left',
};

const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An event's version: `published` (UTC, milliseconds), then `uuid`. */
export const oktaVersion = (event: Pick<OktaLogEvent, 'published' | 'uuid'>) =>
  `${new Date(event.published).toISOString()}|${event.uuid}`;

/** The mapped group a name stands for (compared normalized: `Sales-EMEA` and `ｓａｌｅｓ-emea` are one). */
function mappedGroup(groups: OktaSection['groups'], displayName: string | null | undefined) {
  if (!displayName) return undefined;
  const wanted = normalizeText(displayName).trim().toLowerCase();
  return Object.keys(groups).find((name) => normalizeText(name).trim().toLowerCase() === wanted);
}

/** Names from Okta's `displayName` (kept for the Wickr user, never logged): first words, then the last. */
function namesOf(displayName: string | null | undefined): { firstName?: string; lastName?: string } {
  const words = normalizeText(displayName ?? '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return {};
  if (words.length === 1) return { firstName: truncate(words[0] as string, 100) };
  return { firstName: truncate(words.slice(0, -1).join(' '), 100), lastName: truncate(words.at(-1) as string, 100) };
}

/**
 * What an Okta event says about its user. Ignored: a failed action, an event with no user target, or one about a
 * group the policy does not map — that one says nothing here, not even the login (whatever the order).
 */
export function changeOfOktaEvent(
  event: OktaLogEvent,
  groups: OktaSection['groups'],
): OktaUserChange | { readonly ignored: OktaIgnored } {
  if (event.outcome.result !== 'SUCCESS') return { ignored: 'not-success' };
  const user = event.target.find((t) => t.type === 'User');
  if (!user) return { ignored: 'no-user' };
  let membership: OktaUserChange['membership'];
  if (event.eventType.startsWith('group.user_membership.')) {
    const group = mappedGroup(groups, event.target.find((t) => t.type === 'UserGroup')?.displayName);
    if (!group) return { ignored: 'nothing-mapped' };
    membership = { group, member: event.eventType === 'group.user_membership.add' };
  }
  const login = user.alternateId ? normalizeText(user.alternateId).trim() : '';
  return {
    userId: user.id,
    version: oktaVersion(event),
    status: statusOf[event.eventType],
    membership,
    login: email.test(login) ? { username: login, ...namesOf(user.displayName) } : undefined,
  };
}
