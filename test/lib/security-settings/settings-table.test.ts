/** One settings table: a setting added in one place is in the request and response schemas, the playbook's
 * `tighten` section and the strictness rules. */
import { describe, expect, it } from 'vitest';
import {
  retentionSettingsOf,
  securityGroupSettingTable,
  tightenRulesOf,
} from '../../../lib/security-settings/settings-table.js';
import {
  compareStrictness,
  effectiveValue,
  stricterOf,
  tightenableSettings,
} from '../../../lib/security-settings/strictness.js';
import {
  requestSettingsSchema,
  responseSettingsSchema,
  tightenSettingsSchema,
} from '../../../lib/wickr/settings-schemas.js';

const table = {
  ...securityGroupSettingTable,
  maxScreenshotsPerDay: { type: 'count', tighten: { kind: 'limit', absent: 0 } },
  allowBeta: { type: 'boolean', create: true },
} as const;

describe('the settings table', () => {
  it('puts a new setting in all four places at once', () => {
    // Requests: checked by its type's rule (UpdateSecurityGroup), and CreateSecurityGroup only where `create`.
    expect(requestSettingsSchema(table).safeParse({ maxScreenshotsPerDay: 3, allowBeta: true }).success).toBe(true);
    expect(requestSettingsSchema(table).safeParse({ maxScreenshotsPerDay: -1 }).error?.issues[0]).toMatchObject({
      path: ['maxScreenshotsPerDay'],
      message: 'must be 0 or more',
    });
    const create = requestSettingsSchema(table, { createOnly: true });
    expect(create.safeParse({ allowBeta: false }).success).toBe(true);
    expect(create.safeParse({ maxScreenshotsPerDay: 3 }).success).toBe(false);
    // Responses: read.
    expect(responseSettingsSchema(table).parse({ maxScreenshotsPerDay: 3, unheardOf: 1 })).toMatchObject({
      maxScreenshotsPerDay: 3,
      unheardOf: 1,
    });
    // The playbook's tighten section, and what stricter means.
    expect(tightenSettingsSchema(table).safeParse({ maxScreenshotsPerDay: 10 }).success).toBe(true);
    expect(tightenSettingsSchema(table).safeParse({ allowBeta: true }).success).toBe(false);
    expect(tightenRulesOf(table).maxScreenshotsPerDay).toEqual({ kind: 'limit', absent: 0 });
  });

  it('derives the real strictness rules from the table: the settings with a tighten rule, and only those', () => {
    expect(Object.keys(tightenableSettings).sort()).toEqual(
      Object.entries(securityGroupSettingTable)
        .flatMap(([name, spec]) => [
          ...('tighten' in spec ? [name] : []),
          ...('tightenFields' in spec ? Object.keys(spec.tightenFields).map((f) => `${name}.${f}`) : []),
        ])
        .sort(),
    );
    // A field of a setting of several fields is tightened on its own: video calls off is stricter, TCP on.
    expect(compareStrictness('calling.canVideoCall', false, true)).toBeLessThan(0);
    expect(compareStrictness('calling.forceTcpCall', true, false)).toBeLessThan(0);
    // A minimum: larger is stricter, absence reads as none.
    expect(compareStrictness('passwordRequirements.minLength', 14, 8)).toBeLessThan(0);
    expect(effectiveValue('passwordRequirements.symbols', undefined)).toBe(0);
    expect(compareStrictness('maxNonSsoSessionMinutes', 60, 0)).toBeLessThan(0);
    expect(compareStrictness('filesEnabled', false, true)).toBeLessThan(0);
    // The channels outside the network: off is stricter, but restricted federation and ATO, where on is.
    expect(compareStrictness('globalFederation', false, true)).toBeLessThan(0);
    expect(compareStrictness('enableGuestFederation', true, false)).toBeGreaterThan(0);
    expect(compareStrictness('enableRestrictedGlobalFederation', true, false)).toBeLessThan(0);
    expect(compareStrictness('isAtoEnabled', true, false)).toBeLessThan(0);
    // A size: smaller is stricter, and absence reads as the largest.
    expect(compareStrictness('maxAutoDownloadSize', 512000, 7340032)).toBeLessThan(0);
    expect(effectiveValue('maxAutoDownloadSize', undefined)).toBe(7340032);
    expect(effectiveValue('locationEnabled', undefined)).toBe(true);
    // An allow-list: a list within the other is stricter, one with another entry looser; absence reads as empty.
    const aws = (networkId: string) => ({ region: 'us-east-1', networkId });
    expect(compareStrictness('permittedNetworks', ['11111111'], ['22222222', '11111111'])).toBeLessThan(0);
    expect(compareStrictness('permittedNetworks', ['33333333'], ['22222222'])).toBeGreaterThan(0);
    expect(compareStrictness('permittedWickrAwsNetworks', [aws('1')], [{ networkId: '1', region: 'us-east-1' }])).toBe(
      0,
    );
    expect(stricterOf('permittedNetworks', ['3', '1', '2'], ['2', '3'])).toEqual(['3', '2']);
    expect(effectiveValue('permittedWickrEnterpriseNetworks', undefined)).toEqual([]);
    // Message lifetimes: limits, and only with data retention.
    expect(compareStrictness('maxTtl', 3600, 0)).toBeLessThan(0);
    expect(retentionSettingsOf(securityGroupSettingTable).sort()).toEqual(['maxBor', 'maxTtl']);
    expect(requestSettingsSchema(securityGroupSettingTable).safeParse({ maxNonSsoSessionMinutes: 30 }).success).toBe(
      false,
    );
  });
});
