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

describe('Okta System Log events as changes of one user', () => {
  it.each([
    ['user.lifecycle.activate', {}, { status: 'active', membership: undefined, login }],
    ['user.lifecycle.deactivate', {}, { status: 'left' }],
    ['user.lifecycle.suspend', {}, { status: 'left' }],
    ['user.lifecycle.unsuspend', {}, { status: 'active' }],
    ['user.account.update_profile', {}, { status: undefined, membership: undefined, login }],
    [
      'group.user_membership.add',
      { target: [user, group('ｓａｌｅｓ-emea')] },
      { status: undefined, membership: { group: 'Sales-EMEA', member: true } },
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
  ])('says nothing for %s', (_what, e, ignored) => {
    expect(changeOfOktaEvent(e, groups)).toEqual({ ignored });
  });
});
