/**
 * The Okta adapter alone: what one System Log event (its documented shape: uuid, published, eventType, outcome,
 * typed targets) says about its user — status, a mapped group's membership, the login — or why it says nothing.
 */
import { describe, expect, it } from 'vitest';
import type { OktaLogEvent } from '../../../lib/events/okta-events.js';
import type { OktaSection } from '../../../lib/policy-file/sources-section.js';
import { changeOfOktaEvent } from '../../../lib/sources/okta-lifecycle.js';

const groups: OktaSection['groups'] = { 'Sales-EMEA': { department: 'Sales', employmentType: 'EMPLOYEE' } };
const user = { id: '00uJANE', type: 'User', alternateId: 'jane.roe@acme.example', displayName: 'Jane Q Roe' };
const group = (displayName: string) => ({ id: '00gSALES', type: 'UserGroup', displayName });
const event = (eventType: string, extra: Partial<OktaLogEvent> = {}): OktaLogEvent => ({
  uuid: 'a1b2',
  published: '2026-11-28T08:01:00Z',
  eventType,
  outcome: { result: 'SUCCESS' },
  target: [user],
  ...extra,
});
const login = { username: 'jane.roe@acme.example', firstName: 'Jane Q', lastName: 'Roe' };

describe('Okta groups mapped by id where the policy names one', () => {
  const byId: OktaSection['groups'] = {
    'Sales-EMEA': { id: '00gSALES', department: 'Sales', employmentType: 'EMPLOYEE' },
  };
  it('maps the named id whatever its display name, and the name alone to nothing when the entry names an id', () => {
    const renamed = changeOfOktaEvent(
      event('group.user_membership.add', { target: [user, group('Vertrieb EMEA')] }),
      byId,
    );
    expect(renamed).toMatchObject({ membership: { group: 'Sales-EMEA', member: true } });
    expect('membership' in renamed && renamed.membership?.byName).toBeUndefined();
    const impostor = { id: '00gEVIL', type: 'UserGroup', displayName: 'Sales-EMEA' };
    expect(changeOfOktaEvent(event('group.user_membership.add', { target: [user, impostor] }), byId)).toEqual({
      ignored: 'nothing-mapped',
    });
  });
});

describe('Okta System Log events as changes of one user', () => {
  it.each([
    ['user.lifecycle.activate', {}, { status: 'active', membership: undefined, login }],
    ['user.lifecycle.deactivate', {}, { status: 'left' }],
    ['user.lifecycle.suspend', {}, { status: 'left' }],
    ['user.lifecycle.unsuspend', {}, { status: 'active' }],
    ['user.account.update_profile', {}, { status: undefined, membership: undefined, login }],
    [
      'group.user_membership.add',
      { target: [user, group('Sales-EMEA')] },
      { status: undefined, membership: { group: 'Sales-EMEA', member: true, byName: { groupId: '00gSALES' } } },
    ],
    [
      'group.user_membership.remove',
      { target: [user, group('Sales-EMEA')] },
      { membership: { group: 'Sales-EMEA', member: false } },
    ],
    [
      'user.lifecycle.activate',
      { target: [{ ...user, alternateId: 'not an e-mail', displayName: null }] },
      { status: 'active', login: undefined },
    ],
  ])('%s %j → %j', (type, extra, expected) => {
    expect(changeOfOktaEvent(event(type, extra as Partial<OktaLogEvent>), groups)).toMatchObject({
      userId: '00uJANE',
      version: '2026-11-28T08:01:00.000Z|a1b2',
      ...expected,
    });
  });

  it.each([
    ['a failed action', event('user.lifecycle.deactivate', { outcome: { result: 'FAILURE' } }), 'not-success'],
    ['no user target', event('user.lifecycle.activate', { target: [group('Sales-EMEA')] }), 'no-user'],
    [
      'a group the policy does not map',
      event('group.user_membership.add', { target: [user, group('Marketing')] }),
      'nothing-mapped',
    ],
    // As an attacker: look-alike names of another group are other groups (no folding of width, case or spaces).
    [
      'a full-width look-alike',
      event('group.user_membership.add', { target: [user, group('ｓａｌｅｓ-ｅｍｅａ')] }),
      'nothing-mapped',
    ],
    [
      'an upper-case, spaced name',
      event('group.user_membership.add', { target: [user, group('SALES-EMEA ')] }),
      'nothing-mapped',
    ],
    [
      'a name with a hidden character',
      event('group.user_membership.add', { target: [user, group('Sales-EMEA\u200b')] }),
      'nothing-mapped',
    ],
  ])('says nothing for %s', (_what, e, ignored) => {
    expect(changeOfOktaEvent(e, groups)).toEqual({ ignored });
  });
});
