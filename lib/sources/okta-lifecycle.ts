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
  /**
   * A mapped group (by the name the policy writes), joined or left; `groupId` when it was mapped by name, so the
   * capability can pin the name to the first group id it meets and call a second one ambiguous.
   */
  readonly membership?:
    | { readonly group: string; readonly member: boolean; readonly byName?: { readonly groupId: string } | undefined }
    | undefined;
  readonly login?: { readonly username: string; readonly firstName?: string; readonly lastName?: string } | undefined;
}

/** Why an event changes no person. */
export type OktaIgnored = 'not-success' | 'no-user' | 'nothing-mapped' | 'ambiguous-group';

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

/**
 * The policy's group an Okta group is: by its id where the policy names ids; else by its display name exactly as the
 * policy writes it (no folding: `ｓａｌｅｓ-ｅｍｅａ`, `SALES-EMEA ` and `Sales-EMEA\u200b` are other groups), and then
 * only for an entry that names no id.
 */
export function mappedGroup(
  groups: OktaSection['groups'],
  target: { readonly id: string; readonly displayName?: string | null | undefined } | undefined,
): { readonly name: string; readonly byName: boolean } | undefined {
  if (!target) return undefined;
  const byId = Object.entries(groups).find(([, g]) => g.id === target.id)?.[0];
  if (byId) return { name: byId, byName: false };
  const name = target.displayName ?? '';
  return Object.hasOwn(groups, name) && groups[name]?.id === undefined ? { name, byName: true } : undefined;
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
    const target = event.target.find((t) => t.type === 'UserGroup');
    const group = mappedGroup(groups, target);
    if (!group || !target) return { ignored: 'nothing-mapped' };
    membership = {
      group: group.name,
      member: event.eventType === 'group.user_membership.add',
      ...(group.byName ? { byName: { groupId: target.id } } : {}),
    };
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
