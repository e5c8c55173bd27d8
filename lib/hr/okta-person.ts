/**
 * An Okta user as the HR capability knows them: separate facts — their status (active or left), their membership of
 * each mapped group, their login — each kept with the version of the Okta event that stated it (`published`, then
 * `uuid`). Okta streams at least once, unordered and repeated: merging an event changes a part only if the event is
 * later than what that part holds, so any delivery order and duplication end in the same person. Pure.
 */
import type { OktaLogEvent } from '../events/okta-events.js';
import type { HrSection } from '../policy-file/hr-section.js';
import type { OktaSection } from '../policy-file/sources-section.js';
import { changeOfOktaEvent, type OktaIgnored } from '../sources/okta-lifecycle.js';
import type { EmployeeFact, Identity } from './employee-fact.js';
import { groupNameFor } from './group-template.js';

/** A part of the person and the version of the fact that stated it. */
type Versioned<T> = T & { readonly version: string };

/** What the latest Okta facts say about one user. */
export interface OktaPerson {
  readonly userId: string;
  readonly status?: Versioned<{ readonly value: 'active' | 'left' }> | undefined;
  readonly login?: Versioned<Identity> | undefined;
  /** Mapped groups only (bounded by the policy), by the group's name as the policy writes it. */
  readonly groups: Readonly<Record<string, Versioned<{ readonly member: boolean }>>>;
}

/** Where Okta people are kept (the state table, in lib/store): read with a revision, written only over it. */
export interface OktaPeople {
  get(networkId: string, userId: string): Promise<{ person: OktaPerson; revision: number } | undefined>;
  /** False when someone wrote the person since `revision` was read (read again and merge again). */
  put(networkId: string, person: OktaPerson, revision: number | undefined): Promise<boolean>;
  /**
   * Pins a policy group name to the first Okta group id seen with it: `ambiguous` (from then on) once a second id
   * bears the same name — two groups one name, so the name maps neither.
   */
  pinGroupName(networkId: string, name: string, groupId: string): Promise<'pinned' | 'ambiguous'>;
}

/** Sorts below every real version: a part no fact has stated yet. */
const none = '0000-00-00T00:00:00.000Z|-';

/** The later of two versions (text order is their order). */
const laterVersion = (a: string, b: string) => [a, b].sort().at(-1) as string;

/**
 * The person after one event: each part it states replaced if the event is later. `changed` is false for a
 * duplicate or an older fact. Ignored: a failed action, an event with no user target, or one about a group the
 * policy does not map (and no status or login to learn).
 */
export function mergeOktaEvent(
  person: OktaPerson | undefined,
  event: OktaLogEvent,
  groups: OktaSection['groups'],
): { person: OktaPerson; changed: boolean } | { ignored: OktaIgnored } {
  const change = changeOfOktaEvent(event, groups);
  if ('ignored' in change) return change;
  const { version } = change;
  const later = (part: { version: string } | undefined) => !part || part.version < version;
  let next: OktaPerson = person ?? { userId: change.userId, groups: {} };
  let changed = false;
  if (change.status && later(next.status)) {
    next = { ...next, status: { value: change.status, version } };
    changed = true;
  }
  const { membership } = change;
  if (membership && later(next.groups[membership.group])) {
    next = { ...next, groups: { ...next.groups, [membership.group]: { member: membership.member, version } } };
    changed = true;
  }
  if (change.login && later(next.login)) {
    next = { ...next, login: { ...change.login, version } };
    changed = true;
  }
  return { person: next, changed };
}

/**
 * The HR fact a person states now, or undefined while they are in no mapped group (nobody to provision). Left when
 * their latest status says so; else active in the department of their latest membership among mapped groups (a
 * person whose activation has not been seen — the stream began after it — counts as active). Its version orders
 * the person's merged states: it grows whenever a part does, so the employee record takes the latest.
 */
export function factOfPerson(
  person: OktaPerson,
  okta: OktaSection,
  naming: HrSection['naming'],
  networkId: string,
  eventId: string,
): EmployeeFact | undefined {
  const groupsVersion = Object.values(person.groups)
    .map((g) => g.version)
    .reduce(laterVersion, none);
  const statusVersion = person.status?.version ?? none;
  const latest = laterVersion(statusVersion, groupsVersion);
  const base = {
    networkId,
    employeeId: `okta:${person.userId}`,
    version: `3|${latest}|${statusVersion}|${groupsVersion}|${person.login?.version ?? none}`,
    time: latest.slice(0, 24),
    eventId,
    ...(person.login
      ? {
          identity: {
            username: person.login.username,
            ...(person.login.firstName ? { firstName: person.login.firstName } : {}),
            ...(person.login.lastName ? { lastName: person.login.lastName } : {}),
          },
        }
      : {}),
  };
  if (person.status?.value === 'left') return { ...base, placement: { state: 'left' } };
  const current = Object.entries(person.groups)
    .filter(([, g]) => g.member)
    .sort(([, a], [, b]) => (a.version < b.version ? 1 : -1))[0];
  const mapped = current && okta.groups[current[0]];
  if (!mapped) return undefined;
  const audience = { department: mapped.department, team: mapped.team, employmentType: mapped.employmentType };
  return {
    ...base,
    placement: { state: 'active', ...audience, groupName: groupNameFor(naming, audience) },
  };
}
