/**
 * Security Hub told what was done, on the local stack: with `incident.securityHub.writeBack`, a CRITICAL finding's
 * lockdown is applied, then the finding gets our note and the status NOTIFIED through BatchUpdateFindings — and the
 * import that update causes (as Security Hub sends one) acts on nothing: the write-back cannot loop.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { putServiceEvents } from '../../infra/local/events/service-events-client.js';
import { startLocalStack } from '../../infra/local/local-stack.js';
import { dynamoKind } from '../support/local-dynamodb.js';

// The shipped policy, with the write-back on.
const policy = parse(readFileSync('infra/policy.yml', 'utf8')) as { incident: Record<string, unknown> };
policy.incident.securityHub = { severityMapping: { CRITICAL: 'SEV1' }, writeBack: true };
const policyFile = join(mkdtempSync(join(tmpdir(), 'write-back-')), 'policy.yml');
writeFileSync(policyFile, stringify(policy));

const stack = await startLocalStack({
  dynamodb: dynamoKind,
  retryDelaysMs: [50, 100],
  logLevel: 'CRITICAL',
  params: { securityHubEnabled: 'true', policyFile },
});
afterAll(() => stack.close());

const finding = {
  Id: 'arn:finding/write-back',
  ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty',
  AwsAccountId: '000000000000',
  Title: 'Credential exfiltration',
  Severity: { Label: 'CRITICAL' },
};
const imports = () =>
  stack.bus.events
    .filter((e) => e.event.source === 'aws.securityhub')
    .map((e) => e.event.detail as { findings: Record<string, unknown>[] });

describe('Security Hub write-back', () => {
  it('notes the lockdown on the finding and sets NOTIFIED, once; the import it causes acts on nothing', async () => {
    await putServiceEvents(stack.eventBridgeEndpoint, [
      {
        Source: 'aws.securityhub',
        DetailType: 'Security Hub Findings - Imported',
        Detail: JSON.stringify({ findings: [{ ...finding, Workflow: { Status: 'NEW' } }] }),
      },
    ]);
    await stack.bus.drain();
    expect(stack.emulator.snapshot().networks[0]?.consentPopup?.enabled).toBe(true);
    // Security Hub's own import of the updated finding: our note, NOTIFIED.
    const [, updated] = imports();
    expect(updated?.findings[0]).toMatchObject({
      Id: finding.Id,
      Workflow: { Status: 'NOTIFIED' },
      Note: {
        UpdatedBy: 'wickr-autopilot',
        Text: expect.stringMatching(
          /^wickr-autopilot: SEV1 lockdown applied to \d+ group\(s\) on network\(s\) 12345678/,
        ),
      },
    });
    expect(imports()).toHaveLength(2);
    // That import matched no rule: the incident function ran once, for the finding itself; the lockdown stays.
    expect(stack.bus.invocations.filter((i) => i.functionName === 'incidentSources')).toHaveLength(1);
    expect(stack.emulator.snapshot().networks[0]?.consentPopup?.enabled).toBe(true);
  });
});
