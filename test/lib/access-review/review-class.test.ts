import { describe, expect, it } from 'vitest';
import { classifyAccount, type ReviewedAccount } from '../../../lib/access-review/review-class.js';
import { countsOf, csvOf, type ReviewRow } from '../../../lib/access-review/review-report.js';
import { compileGlob } from '../../../lib/glob.js';
import { AccessReviewSection } from '../../../lib/policy-file/access-review-section.js';

const nowMs = Date.parse('2026-11-30T00:00:00Z');
const rules = { nowMs, inactiveDays: 30, exempt: [compileGlob('svc-*')] };
const account = (more: Partial<ReviewedAccount> = {}): ReviewedAccount => ({
  userId: '1',
  username: 'u@example.com',
  status: 2,
  securityGroups: ['g1'],
  lastLogin: nowMs / 1000 - 86_400,
  ...more,
});
const employee = { employeeId: 'E1', left: false, groupId: 'g1', pending: false };

describe('classifyAccount', () => {
  it.each([
    ['an admin, whatever else holds', account({ isAdmin: true, suspended: true }), undefined, 'admin'],
    ['an invitation not accepted', account({ status: 1 }), employee, 'pending-invite'],
    ['an invitation lapsed', account({ status: 1, isInviteExpired: true }), employee, 'invite-expired'],
    // An invitation is a way in: a leaver with one still open is a leaver with access; an orphan stays an orphan.
    ['a leaver whose invitation is still open', account({ status: 1 }), { ...employee, left: true }, 'leaver-active'],
    [
      'a leaver whose invitation lapsed',
      account({ status: 1, isInviteExpired: true }),
      { ...employee, left: true },
      'ok',
    ],
    ['a leaver invited, suspended', account({ status: 1, suspended: true }), { ...employee, left: true }, 'ok'],
    ['nobody provisioned it, an invitation open', account({ status: 1 }), undefined, 'orphan'],
    ['nobody provisioned it', account(), undefined, 'orphan'],
    ['nobody provisioned it, on purpose', account({ username: 'SVC-backup' }), undefined, 'exempt'],
    ['a leaver still active', account(), { ...employee, left: true }, 'leaver-active'],
    ['a leaver suspended', account({ suspended: true }), { ...employee, left: true }, 'ok'],
    ['an employee suspended', account({ suspended: true }), employee, 'suspended'],
    ['in another group', account({ securityGroups: ['g2'] }), employee, 'wrong-group'],
    ['in another group, HR moving them', account({ securityGroups: ['g2'] }), { ...employee, pending: true }, 'ok'],
    ['no sign-in for 31 days', account({ lastLogin: nowMs / 1000 - 31 * 86_400 }), employee, 'inactive'],
    ['no sign-in ever', account({ lastLogin: undefined }), employee, 'inactive'],
    ['active recently', account(), employee, 'ok'],
  ] as const)('%s', (_name, a, p, expected) => {
    expect(classifyAccount(a, p, rules).class).toBe(expected);
  });

  it('asks nothing of sign-ins without inactiveDays', () => {
    expect(classifyAccount(account({ lastLogin: undefined }), employee, { ...rules, inactiveDays: undefined })).toEqual(
      {
        class: 'ok',
        evidence: 'employee E1',
      },
    );
  });
});

describe('the report', () => {
  const row = (more: Partial<ReviewRow>): ReviewRow => ({
    userId: '1',
    username: 'u@example.com',
    class: 'ok',
    evidence: 'employee E1',
    state: 'active',
    invitation: 'accepted',
    admin: false,
    groups: 'g1',
    employeeId: 'E1',
    lastSignIn: '2026-11-29',
    ...more,
  });

  it('writes RFC 4180 CSV, quoting commas, quotes and line breaks, defusing formulas', () => {
    const csv = csvOf([row({ username: '@SUM(A1)', evidence: 'a, "b"\nc' }), row({ username: '+1', userId: '2' })]);
    expect(csv.split('\r\n')).toEqual([
      'userId,username,class,evidence,state,invitation,admin,groups,employeeId,lastSignIn',
      `1,'@SUM(A1),ok,"a, ""b""\nc",active,accepted,false,g1,E1,2026-11-29`,
      `2,'+1,ok,employee E1,active,accepted,false,g1,E1,2026-11-29`,
      '',
    ]);
  });

  it('defuses a formula that would start a cell in a locale that separates with ; or a tab, or after a line break', () => {
    const hostile = ['x;=HYPERLINK("http://evil")', 'a\t+1', 'ok\n@SUM(A1)', 'b, -2', 'fine-name'];
    const csv = csvOf(hostile.map((username, i) => row({ username, userId: String(i) })));
    const cells = csv
      .split('\r\n')
      .slice(1, -1)
      .map((line) => line.split(',').slice(1, -8).join(','));
    expect(cells).toEqual([`"x;'=HYPERLINK(""http://evil"")"`, `"a\t'+1"`, `"ok\n'@SUM(A1)"`, `"b, '-2"`, 'fine-name']);
    // Read as a ;-separated or tab-separated sheet would, no cell starts with a trigger any more.
    for (const separator of [';', '\t', ',', '\n']) {
      for (const part of csv.replaceAll('"', '').split(separator)) expect(part.trimStart()).not.toMatch(/^[=+@]/);
    }
  });

  it('counts every class, zeros included', () => {
    const counts = countsOf([row({}), row({ class: 'orphan' }), row({ class: 'orphan' })]);
    expect(counts.ok).toBe(1);
    expect(counts.orphan).toBe(2);
    expect(counts.admin).toBe(0);
    expect(Object.keys(counts)).toHaveLength(10);
  });
});

describe('accessReview section', () => {
  it('takes a six-field cron, a zone, days, bounded patterns and known classes', () => {
    expect(
      AccessReviewSection.parse({
        schedule: '0 6 ? * MON *',
        inactiveDays: 90,
        exempt: ['svc-*'],
        actions: ['orphan'],
      }),
    ).toEqual({ schedule: '0 6 ? * MON *', timeZone: 'UTC', inactiveDays: 90, exempt: ['svc-*'], actions: ['orphan'] });
  });

  it.each([
    [{ schedule: '0 6 * * MON' }, 'schedule', 'six-field cron'],
    [{ schedule: '0 6 ? * MON * $(x)' }, 'schedule', 'six-field cron'],
    [{ inactiveDays: 0 }, 'inactiveDays', ''],
    [{ exempt: ['*a*b*c*d*e*f*g*h*i*j*k*'] }, 'exempt', 'at most 10 wildcards'],
    [{ actions: ['delete-everyone'] }, 'actions', 'must be one of leaver-active, orphan, inactive'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone', 'IANA time zone'],
  ])('refuses %j, naming %s', (input, field, rule) => {
    const parsed = AccessReviewSection.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(String(parsed.error?.issues[0]?.path[0])).toBe(field);
    expect(parsed.error?.issues[0]?.message).toContain(rule);
  });
});
