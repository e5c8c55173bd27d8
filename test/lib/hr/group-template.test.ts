import { describe, expect, it } from 'vitest';
import { groupNameFor, normalizeName, splitTemplate, templateFor } from '../../../lib/hr/group-template.js';
import { loadPolicyFile } from '../../../lib/policy-file/policy-file.js';

const { hr } = loadPolicyFile('infra/policy.yml');

describe('group templates', () => {
  it('normalizes case and whitespace', () => {
    expect(['Finance', ' finance ', 'FINANCE', 'fin\tance'].map(normalizeName)).toEqual([
      'finance',
      'finance',
      'finance',
      'fin ance',
    ]);
  });

  it('names groups by department, or department and team, with a suffix for other employment types', () => {
    expect(groupNameFor('department', { department: ' Finance ', team: 'Payroll', employmentType: 'EMPLOYEE' })).toBe(
      'finance',
    );
    expect(
      groupNameFor('department-team', { department: 'Finance', team: ' PAYROLL', employmentType: 'EMPLOYEE' }),
    ).toBe('finance / payroll');
    expect(groupNameFor('department', { department: 'Finance', employmentType: 'CONTRACTOR' })).toBe(
      'finance (contractor)',
    );
  });

  it('layers defaults, the department override and the employment-type override', () => {
    expect(templateFor(hr.template, { department: 'FINANCE', employmentType: 'CONTRACTOR' })).toEqual({
      maxNonSsoSessionMinutes: 240,
      lockoutThreshold: 10,
      alwaysReauthenticate: true,
      federationMode: 0,
      globalFederation: false,
      enableGuestFederation: false,
    });
  });

  it('splits a template into what CreateSecurityGroup accepts and what only Update can set', () => {
    expect(
      splitTemplate({
        lockoutThreshold: 3,
        federationMode: 0,
        maxNonSsoSessionMinutes: 60,
        alwaysReauthenticate: true,
      }),
    ).toEqual({
      create: { lockoutThreshold: 3, federationMode: 0 },
      update: { maxNonSsoSessionMinutes: 60, alwaysReauthenticate: true },
    });
  });
});
