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
      .replace('networkId: "12345678"', 'networkId: "1234"');
    const found = problems(text.replace(/ {4}SEV4:[\s\S]*$/, ''));
    expect(found.map((p) => [p.path, p.message])).toEqual([
      ['networks.0.networkId', 'must be exactly 8 digits'],
      ['incident.playbooks.SEV1.tighten.colour', 'is not a known field'],
      [
        'incident.playbooks.SEV1.consentPopup.content',
        'may use only the placeholders {{incidentId}}, {{severity}}, {{title}}, {{declaredAt}}',
      ],
      ['incident.playbooks.SEV4', 'is required'],
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const [issue] = problems('version: 1\nnetworks: [\n');
    expect(issue?.path).toBe('(yaml)');
    expect(issue?.line).toBeGreaterThan(0);
  });
});
