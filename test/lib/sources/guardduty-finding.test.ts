import { describe, expect, it } from 'vitest';
import type { GuardDutyFindingEvent } from '../../../lib/events/account-events.js';
import { ContainmentSection } from '../../../lib/policy-file/containment-section.js';
import { factOfFinding } from '../../../lib/sources/guardduty-finding.js';

const section = ContainmentSection.parse({
  guardDuty: { usernameDomain: 'corp.example', trustedRoles: ['okta-broker'] },
});

type Key = NonNullable<GuardDutyFindingEvent['detail']['resource']['accessKeyDetails']>;
const finding = (key: Key, extra: Partial<GuardDutyFindingEvent['detail']> = {}, account = '111122223333') =>
  ({
    version: '0',
    id: 'event-1',
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account,
    time: '2026-12-07T03:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      id: 'finding-1',
      accountId: '111122223333',
      type: 'CredentialAccess:IAMUser/AnomalousBehavior',
      severity: 8,
      resource: { resourceType: 'AccessKey', accessKeyDetails: key },
      ...extra,
    },
  }) as GuardDutyFindingEvent;

const subjectOf = (event: GuardDutyFindingEvent, s = section) => {
  const fact = factOfFinding(event, s);
  return 'subject' in fact ? fact.subject : fact;
};

describe('a GuardDuty finding names only a principal its caller could not choose', () => {
  it('refuses a session name picked at AssumeRole (the attack: a developer names their session after the CFO)', () => {
    const attack = finding({ userType: 'AssumedRole', userName: 'developer', principalId: 'AROADEV:cfo@corp.example' });
    expect(subjectOf(attack)).toEqual({ ignored: 'session name chosen by the caller', unresolved: true });
    // A role whose name merely contains the reserved prefix further in is not Identity Center's.
    const lookalike = finding({
      userType: 'AssumedRole',
      userName: 'my-AWSReservedSSO_x',
      principalId: 'AROAX:cfo@corp.example',
    });
    expect(subjectOf(lookalike)).toMatchObject({ unresolved: true });
  });

  it('takes the names AWS or a trusted broker set: Identity Center sessions, IAM users, SourceIdentity, trusted roles', () => {
    expect(
      subjectOf(
        finding({
          userType: 'AssumedRole',
          userName: 'AWSReservedSSO_Admins_0123456789abcdef',
          principalId: 'AROASSO:alice@corp.example',
        }),
      ),
    ).toBe('alice@corp.example');
    expect(subjectOf(finding({ userType: 'IAMUser', userName: 'bob', principalId: 'AIDABOB' }))).toBe(
      'bob@corp.example',
    );
    expect(
      subjectOf(
        finding({ userType: 'AssumedRole', userName: 'developer', principalId: 'AROADEV:x', sourceIdentity: 'carol' }),
      ),
    ).toBe('carol@corp.example');
    expect(
      subjectOf(finding({ userType: 'AssumedRole', userName: 'okta-broker', principalId: 'AROAOK:dave@corp.example' })),
    ).toBe('dave@corp.example');
    expect(subjectOf(finding({ userType: 'Root', principalId: '111122223333' }))).toMatchObject({ unresolved: true });
  });

  it('acts only on findings of the accounts the policy names, by default the one whose bus it reached', () => {
    const sso = { userType: 'AssumedRole', userName: 'AWSReservedSSO_A_1', principalId: 'AROA:erin@corp.example' };
    expect(subjectOf(finding(sso, { accountId: '999999999999' }))).toEqual({
      ignored: 'account 999999999999 is not in containment.guardDuty.accounts',
    });
    expect(subjectOf(finding(sso, { accountId: undefined }))).toMatchObject({
      ignored: expect.stringContaining('absent'),
    });
    const listed = ContainmentSection.parse({ guardDuty: { accounts: ['999999999999'] } });
    expect(subjectOf(finding(sso, { accountId: '999999999999' }), listed)).toBe('erin@corp.example');
    expect(subjectOf(finding(sso), listed)).toMatchObject({ ignored: expect.stringContaining('111122223333') });
  });
});
