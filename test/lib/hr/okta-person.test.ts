/**
 * An Okta person from the System Log's documented shape (uuid, published, eventType, outcome, typed targets):
 * status and membership are separate facts, each versioned by `published` then `uuid`; any order and duplication of
 * a person's events ends in the fact their latest facts state. Pure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OktaLogEvent } from '../../../lib/events/okta-events.js';
import { factOfPerson, mergeOktaEvent, type OktaPerson } from '../../../lib/hr/okta-person.js';
import type { OktaSection } from '../../../lib/policy-file/sources-section.js';

const okta: OktaSection = {
  groups: {
    'Sales-EMEA': { department: 'Sales', employmentType: 'EMPLOYEE' },
    Legal: { department: 'Legal', employmentType: 'EMPLOYEE' },
    'Contractors-Eng': { department: 'Engineering', employmentType: 'CONTRACTOR' },
  },
};
const user = { id: '00uJANE', type: 'User', alternateId: 'jane.roe@acme.example', displayName: 'Jane Q Roe' };
const group = (displayName: string) => ({ id: `00g${displayName.length}`, type: 'UserGroup', displayName });
let n = 0;
const event = (eventType: string, minute: number, extra: Partial<OktaLogEvent> = {}): OktaLogEvent => ({
  uuid: `u-${minute}-${n++}`,
  published: new Date(Date.UTC(2026, 10, 28, 8, minute)).toISOString(),
  eventType,
  outcome: { result: 'SUCCESS' },
  target: [user],
  ...extra,
});
const add = (name: string, minute: number) =>
  event('group.user_membership.add', minute, { target: [user, group(name)] });
const remove = (name: string, minute: number) =>
  event('group.user_membership.remove', minute, { target: [user, group(name)] });

function fold(events: readonly OktaLogEvent[]): OktaPerson | undefined {
  let person: OktaPerson | undefined;
  for (const e of events) {
    const merged = mergeOktaEvent(person, e, okta.groups);
    if ('person' in merged) person = merged.person;
  }
  return person;
}
const placementOf = (events: readonly OktaLogEvent[]) => {
  const person = fold(events);
  return person && factOfPerson(person, okta, 'department', '12345678', 'e')?.placement;
};

describe('an Okta person', () => {
  it('joins when active and in a mapped group, whichever came first; names only from displayName', () => {
    const person = fold([add('Sales-EMEA', 2), event('user.lifecycle.activate', 1)]);
    const fact = person && factOfPerson(person, okta, 'department', '12345678', 'e');
    expect(fact).toMatchObject({
      employeeId: 'okta:00uJANE',
      placement: { state: 'active', department: 'Sales', groupName: 'sales' },
      identity: { username: 'jane.roe@acme.example', firstName: 'Jane Q', lastName: 'Roe' },
    });
  });

  it('moves with the latest membership among mapped groups, and a contractor group keeps its employment type', () => {
    expect(placementOf([add('Sales-EMEA', 1), add('Legal', 3), remove('Sales-EMEA', 4)])).toMatchObject({
      groupName: 'legal',
    });
    expect(placementOf([add('Legal', 1), add('Contractors-Eng', 2)])).toMatchObject({
      groupName: 'engineering (contractor)',
    });
    // Removed from the latest group: the one still held counts.
    expect(placementOf([add('Legal', 1), add('Sales-EMEA', 2), remove('Sales-EMEA', 3)])).toMatchObject({
      groupName: 'legal',
    });
  });

  it('leaves on deactivate, suspend or delete, and comes back on a later reactivate with a known group', () => {
    for (const type of ['user.lifecycle.deactivate', 'user.lifecycle.suspend', 'user.lifecycle.delete.initiated']) {
      expect(placementOf([add('Legal', 1), event(type, 2)])).toEqual({ state: 'left' });
    }
    expect(
      placementOf([add('Legal', 1), event('user.lifecycle.suspend', 2), event('user.lifecycle.unsuspend', 3)]),
    ).toMatchObject({ state: 'active', groupName: 'legal' });
  });

  it('ignores a failed action, a group the policy does not map, and an event with no user', () => {
    expect(
      mergeOktaEvent(undefined, event('user.lifecycle.deactivate', 1, { outcome: { result: 'FAILURE' } }), okta.groups),
    ).toEqual({ ignored: 'not-success' });
    expect(mergeOktaEvent(undefined, add('Marketing-Interns', 1), okta.groups)).toEqual({ ignored: 'nothing-mapped' });
    expect(
      mergeOktaEvent(undefined, event('user.lifecycle.activate', 1, { target: [group('Legal')] }), okta.groups),
    ).toEqual({ ignored: 'no-user' });
    // Active but in no mapped group: nobody to provision.
    expect(placementOf([event('user.lifecycle.activate', 1)])).toBeUndefined();
  });

  it('a duplicate or an older fact changes nothing', () => {
    const first = add('Legal', 5);
    const person = fold([first]);
    expect(mergeOktaEvent(person, first, okta.groups)).toMatchObject({ changed: false });
    expect(mergeOktaEvent(person, add('Sales-EMEA', 1), okta.groups)).toMatchObject({ changed: true });
    expect(mergeOktaEvent(person, remove('Legal', 1), okta.groups)).toMatchObject({ changed: false });
  });

  it('property: any order and duplication of a person’s events ends where the latest facts say', () => {
    const kinds = [
      (m: number) => event('user.lifecycle.activate', m),
      (m: number) => event('user.lifecycle.deactivate', m),
      (m: number) => event('user.lifecycle.reactivate', m),
      (m: number) => event('user.lifecycle.suspend', m),
      (m: number) => add('Legal', m),
      (m: number) => add('Sales-EMEA', m),
      (m: number) => remove('Legal', m),
      (m: number) => add('Marketing-Interns', m),
      (m: number) => event('user.lifecycle.deactivate', m, { outcome: { result: 'FAILURE' } }),
    ];
    const history = fc
      .array(fc.tuple(fc.nat(kinds.length - 1), fc.nat(50)), { minLength: 1, maxLength: 12 })
      .map((xs) => xs.map(([k, m]) => (kinds[k] as (m: number) => OktaLogEvent)(m)));
    fc.assert(
      fc.property(history, fc.infiniteStream(fc.nat()), (events, noise) => {
        const inOrder = [...events].sort((a, b) =>
          `${a.published}|${a.uuid}`.localeCompare(`${b.published}|${b.uuid}`),
        );
        // Shuffled, with some events delivered twice.
        const it = noise[Symbol.iterator]();
        const delivered = events.flatMap((e) => ((it.next().value as number) % 3 === 0 ? [e, e] : [e]));
        for (let i = delivered.length - 1; i > 0; i--) {
          const j = (it.next().value as number) % (i + 1);
          [delivered[i], delivered[j]] = [delivered[j] as OktaLogEvent, delivered[i] as OktaLogEvent];
        }
        const a = fold(inOrder);
        const b = fold(delivered);
        const fa = a && factOfPerson(a, okta, 'department', '12345678', 'e');
        const fb = b && factOfPerson(b, okta, 'department', '12345678', 'e');
        expect(fb?.placement).toEqual(fa?.placement);
        expect(fb?.version).toEqual(fa?.version);
      }),
      { numRuns: 300 },
    );
  });
});
