import { describe, expect, it } from 'vitest';
import { fieldIssues } from '../../../lib/schema-issues.js';
import { maxNonSsoSessionMinutes, requestSchemas } from '../../../lib/wickr/request-schemas.js';

const issues = (schema: keyof typeof requestSchemas, input: unknown) => {
  const result = requestSchemas[schema].safeParse(input);
  return result.success ? [] : fieldIssues(result.error.issues);
};

describe('request rules', () => {
  it.each([
    [0, true],
    [1, false],
    [59, false],
    [60, true],
    [525600, true],
    [525601, false],
    [90.5, false],
  ])('maxNonSsoSessionMinutes %d valid: %s', (value, valid) => {
    expect(maxNonSsoSessionMinutes.safeParse(value).success).toBe(valid);
  });

  it.each([
    ['550e8400-e29b-41d4-a716-446655440000', true],
    ['a_b:c-D', true],
    ['x'.repeat(64), true],
    ['x'.repeat(65), false],
    ['', false],
    ['has space', false],
    ['semi;colon', false],
    ['at@sign', false],
  ])('clientToken %j valid: %s', (clientToken, valid) => {
    expect(issues('BatchDeleteUser', { networkId: '12345678', userIds: ['1'], clientToken }).length === 0).toBe(valid);
  });

  it('limits batches to 50 items and one security group per user', () => {
    const userIds = Array.from({ length: 51 }, (_, i) => String(i + 1));
    expect(issues('BatchDeleteUser', { networkId: '12345678', userIds })).toEqual([
      { field: 'userIds', reason: 'must hold at most 50 items' },
    ]);
    expect(
      issues('BatchCreateUser', { networkId: '12345678', users: [{ username: 'u', securityGroupIds: ['a', 'b'] }] }),
    ).toEqual([{ field: 'users.0.securityGroupIds', reason: 'must hold exactly 1 group id' }]);
  });

  it('checks maxResults and sortFields against each operation', () => {
    expect(issues('ListSecurityGroups', { networkId: '12345678', maxResults: 0, sortFields: 'id+username' })).toEqual([
      { field: 'maxResults', reason: 'must be 1–100' },
      { field: 'sortFields', reason: 'must be id, name (several joined with +)' },
    ]);
  });

  it('names missing members and unknown members', () => {
    expect(
      issues('UpdateNetworkSettings', { networkId: '12345678', settings: { consentPopup: {}, colour: 1 } }),
    ).toEqual([
      { field: 'settings.consentPopup.enabled', reason: 'is required and must be true or false' },
      { field: 'settings.colour', reason: 'is not a member of this request' },
    ]);
    expect(issues('GetUser', { networkId: '12345678' })).toEqual([{ field: 'userId', reason: 'is required' }]);
  });

  it('keeps documented enumerations: shredder intensity, download size, federation mode', () => {
    expect(
      issues('UpdateSecurityGroup', {
        networkId: '12345678',
        groupId: 'g',
        securityGroupSettings: { shredder: { intensity: 50 }, maxAutoDownloadSize: 1, federationMode: 3 },
      }).map((i) => i.field),
    ).toEqual([
      'securityGroupSettings.federationMode',
      'securityGroupSettings.maxAutoDownloadSize',
      'securityGroupSettings.shredder.intensity',
    ]);
  });
});
