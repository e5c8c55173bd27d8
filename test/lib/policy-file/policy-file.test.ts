import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicyFile, PolicyFileError, parsePolicy } from '../../../lib/policy-file/policy-file.js';

const shipped = readFileSync(new URL('../../../infra/policy.yml', import.meta.url), 'utf8');

function problems(text: string) {
  try {
    parsePolicy(text, 'test.yml');
  } catch (error) {
    if (error instanceof PolicyFileError) return error.issues;
    throw error;
  }
  return [];
}

describe('policy file', () => {
  it('the shipped infra/policy.yml is valid', () => {
    const policy = loadPolicyFile('infra/policy.yml');
    expect(policy.networks.map((n) => n.networkId)).toEqual(['12345678']);
    expect(policy.incident.playbooks.SEV1.maxNonSsoSessionMinutes).toBe(60);
    expect(policy.incident.playbooks.SEV3.consentPopup.closeButtonLabel).toBe('Acknowledge');
  });

  it('refuses a playbook value the Wickr API would refuse, naming the field, the rule and the line', () => {
    const text = shipped.replace('maxNonSsoSessionMinutes: 60', 'maxNonSsoSessionMinutes: 30');
    const line = text.split('\n').findIndex((l) => l.includes('maxNonSsoSessionMinutes: 30')) + 1;
    expect(problems(text)).toEqual([
      {
        path: 'incident.playbooks.SEV1.maxNonSsoSessionMinutes',
        line,
        message: 'must be 0 (disabled) or 60–525600',
      },
    ]);
  });

  it('refuses unknown placeholders, unknown fields, a missing severity and a malformed network id', () => {
    const text = shipped
      .replace('incident.** {{title}}', 'incident.** {{reporterEmail}}')
      .replace(
        'alwaysReauthenticate: true\n        lockoutThreshold: 3',
        'alwaysReauthenticate: true\n        colour: red',
      )
      .replace('networkId: "12345678"', 'networkId: "1234"')
      .replace('alwaysReauthenticate: true', 'alwaysReauthenticate: yes please');
    const found = problems(text.replace(/ {4}SEV4:[\s\S]*$/, ''));
    expect(found.map((p) => [p.path, p.message])).toEqual([
      ['networks.0.networkId', 'must be exactly 8 digits'],
      // A wrong value is not a missing one.
      ['incident.playbooks.SEV1.tighten.alwaysReauthenticate', 'must be true or false'],
      [
        'incident.playbooks.SEV1.tighten.colour',
        'is not a known field (here: alwaysReauthenticate, calling, enableAtak, enableFileDownload, enableGuestFederation, enableNotificationPreview, enableRestrictedGlobalFederation, filesEnabled, forceDeviceLockout, globalFederation, isAtoEnabled, isLinkPreviewEnabled, locationAllowMaps, locationEnabled, lockoutThreshold, maxAutoDownloadSize, maxBor, maxTtl, messageForwardingEnabled, passwordRequirements, permittedNetworks, permittedWickrAwsNetworks, permittedWickrEnterpriseNetworks, ssoMaxIdleMinutes)',
      ],
      [
        'incident.playbooks.SEV1.consentPopup.content',
        'may use only the placeholders {{incidentId}}, {{severity}}, {{title}}, {{declaredAt}}',
      ],
      ['incident.playbooks.SEV4', 'is required'],
    ]);
  });

  it('refuses a playbook that weakens a response: no limit, a higher severity looser than a lower, field by field', () => {
    const found = problems(
      shipped
        .replace(/(SEV1:\n\s+maxNonSsoSessionMinutes:) 60/, '$1 0')
        .replace(/(SEV3:\n\s+maxNonSsoSessionMinutes:) \d+/, '$1 2000')
        .replace('lockoutThreshold: 3', 'lockoutTreshold: 3'),
    );
    expect(found.map((p) => [p.path, p.message])).toEqual(
      expect.arrayContaining([
        [
          'incident.playbooks.SEV1.maxNonSsoSessionMinutes',
          'must set a limit (60–525600): 0 means no limit, which no lockdown may ask for',
        ],
        ['incident.playbooks.SEV1.tighten.lockoutTreshold', 'is not a known field; did you mean lockoutThreshold?'],
        [
          'incident.playbooks.SEV3.maxNonSsoSessionMinutes',
          expect.stringMatching(
            /^must be at least as strict as SEV4's \d+: a higher severity never weakens the response$/,
          ),
        ],
      ]),
    );
    const sev5 = problems(shipped.replace('    SEV4:', '    SEV5:'));
    expect(sev5.map((p) => [p.path, p.message])).toEqual(
      expect.arrayContaining([['incident.playbooks.SEV5', 'is not a known field (here: SEV1, SEV2, SEV3, SEV4)']]),
    );
  });

  it('takes message lifetimes only with requireDataRetention, and allow-lists only narrowing as severity rises', () => {
    const sev1 = (tighten: string, extra = '') =>
      shipped
        .replace(
          'alwaysReauthenticate: true\n        lockoutThreshold: 3',
          `alwaysReauthenticate: true\n        lockoutThreshold: 3\n${tighten}`,
        )
        .replace(/(SEV1:\n\s+maxNonSsoSessionMinutes: 60\n)/, `$1${extra}`);
    const ttl = '        maxTtl: 86400';
    expect(problems(sev1(ttl)).map((p) => [p.path, p.message])).toEqual([
      [
        'incident.playbooks.SEV1.tighten.maxTtl',
        'shortens message lifetimes, which destroys evidence: the playbook must also say requireDataRetention: true (it then applies only where data retention is active)',
      ],
    ]);
    expect(problems(sev1(ttl, '      requireDataRetention: true\n'))).toEqual([]);
    const sev2List = (list: string) =>
      sev1('        permittedNetworks: ["11111111"]').replace(
        /(SEV2:\n\s+maxNonSsoSessionMinutes: \d+\n\s+tighten:\n)/,
        `$1        permittedNetworks: ${list}\n`,
      );
    expect(problems(sev2List('["11111111", "22222222"]'))).toEqual([]);
    expect(problems(sev2List('["22222222"]')).map((p) => p.path)).toEqual([
      'incident.playbooks.SEV1.tighten.permittedNetworks',
    ]);
    expect(problems(sev1('        permittedNetworks: ["1111"]')).map((p) => p.message)).toEqual([
      'must be exactly 8 digits',
    ]);
    // Blocking every guest: a higher severity blocks them too.
    const sev2Blocks = shipped.replace(/(SEV2:\n\s+maxNonSsoSessionMinutes: \d+\n)/, '$1      guests: block-all\n');
    expect(problems(sev2Blocks).map((p) => [p.path, p.message])).toEqual([
      [
        'incident.playbooks.SEV1.guests',
        "must be block-all, as SEV2's is: a higher severity never weakens the response",
      ],
    ]);
    expect(
      problems(sev2Blocks.replace(/(SEV1:\n\s+maxNonSsoSessionMinutes: 60\n)/, '$1      guests: block-all\n')),
    ).toEqual([]);
  });

  it('refuses a write-back to Security Hub while NOTIFIED would resolve: its own note would end the incident', () => {
    const text = shipped
      .replace('resolveOn: [RESOLVED, SUPPRESSED, ARCHIVED]', 'resolveOn: [RESOLVED, NOTIFIED]')
      .replace('writeBack: false', 'writeBack: true');
    expect(problems(text).map((p) => [p.path, p.message])).toEqual([
      [
        'incident.securityHub.resolveOn',
        'must not include NOTIFIED while writeBack is on: the write-back sets NOTIFIED, which would resolve the incident it reports',
      ],
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const [issue] = problems('version: 1\nnetworks: [\n');
    expect(issue?.path).toBe('(yaml)');
    expect(issue?.line).toBeGreaterThan(0);
  });
});
