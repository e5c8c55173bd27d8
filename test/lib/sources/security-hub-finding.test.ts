/**
 * The Security Hub adapter alone: which imported findings declare, resolve, withdraw or are refused, from the
 * documented ASFF members (`ProductArn`, `AwsAccountId`, `Severity.Label`, `Workflow.Status`, `RecordState`).
 */
import { describe, expect, it } from 'vitest';
import { SecurityHubFindingsImportedEvent } from '../../../lib/events/security-hub-events.js';
import type { IncidentSection } from '../../../lib/policy-file/incident-section.js';
import { factsOfFindings, findingIncidentId } from '../../../lib/sources/security-hub-finding.js';

const section: IncidentSection['securityHub'] = {
  severityMapping: { CRITICAL: 'SEV1', HIGH: 'SEV2' },
  resolveOn: ['RESOLVED', 'ARCHIVED'],
  writeBack: false,
};
const origins = { products: ['guardduty'], accounts: ['123456789012'] };
const guardDuty = 'arn:aws:securityhub:us-east-1::product/aws/guardduty';

type Finding = { Label?: string; Status?: string; RecordState?: string; ProductArn?: string; AwsAccountId?: string };
const imported = (...findings: Finding[]) =>
  SecurityHubFindingsImportedEvent.parse({
    version: '0',
    id: 'eb-2',
    'detail-type': 'Security Hub Findings - Imported',
    source: 'aws.securityhub',
    account: '123456789012',
    time: '2026-11-28T03:05:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      findings: findings.map((f, i) => ({
        SchemaVersion: '2018-10-08',
        Id: `finding-${i}`,
        ProductArn: f.ProductArn ?? guardDuty,
        AwsAccountId: f.AwsAccountId ?? '123456789012',
        Title: 'Credential exfiltration',
        Severity: { Label: f.Label ?? 'CRITICAL' },
        Workflow: { Status: f.Status ?? 'NEW' },
        RecordState: f.RecordState ?? 'ACTIVE',
      })),
    },
  });

describe('Security Hub findings as incident facts', () => {
  it.each([
    [{}, { kind: 'declared', severity: 'SEV1', title: 'Credential exfiltration' }],
    [{ Label: 'HIGH' }, { kind: 'declared', severity: 'SEV2' }],
    [{ Label: 'MEDIUM' }, { kind: 'no-longer-rates', reason: 'severity MEDIUM is not mapped' }],
    [{ Status: 'RESOLVED' }, { kind: 'resolved' }],
    [{ RecordState: 'ARCHIVED', Status: 'NOTIFIED' }, { kind: 'resolved' }],
    [
      { Status: 'SUPPRESSED' },
      { kind: 'ignored', reason: 'workflow status SUPPRESSED does not resolve (securityHub.resolveOn)' },
    ],
    [
      { Status: 'NOTIFIED', Label: 'LOW' },
      { kind: 'ignored', reason: 'severity LOW is not mapped' },
    ],
    [
      { ProductArn: 'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default' },
      { kind: 'ignored', refused: true, reason: 'product is not an accepted AWS product' },
    ],
    [
      { ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/inspector' },
      { kind: 'ignored', refused: true, reason: 'product is not an accepted AWS product' },
    ],
    [
      { AwsAccountId: '999999999999' },
      { kind: 'ignored', refused: true, reason: 'account is not one of this deployment' },
    ],
  ])('%j → %j', (finding, expected) => {
    expect(factsOfFindings(imported(finding), section, origins)).toEqual([expect.objectContaining(expected)]);
  });

  it('names each finding by product, account and id together, in the import’s order, at the import’s time', () => {
    const event = imported({}, { Status: 'RESOLVED' });
    const facts = factsOfFindings(event, section, origins);
    expect(facts.map((f) => f.incidentId)).toEqual(event.detail.findings.map((f) => findingIncidentId(f)));
    expect(new Set(facts.map((f) => f.incidentId)).size).toBe(2);
    expect(facts[0]).toMatchObject({ at: '2026-11-28T03:05:00Z', eventId: 'eb-2' });
    // A custom product importing a finding with the same Id names another incident.
    const forged = { ...(event.detail.findings[0] as never as Record<string, string>), ProductArn: 'arn:x' };
    expect(findingIncidentId(forged as never)).not.toBe(facts[0]?.incidentId);
  });
});

describe('the write-back does not loop', () => {
  it('ignores the import our own note and NOTIFIED caused, even where NOTIFIED would resolve', () => {
    const event = SecurityHubFindingsImportedEvent.parse({
      version: '0',
      id: 'e-loop',
      'detail-type': 'Security Hub Findings - Imported',
      source: 'aws.securityhub',
      account: '123456789012',
      time: '2026-12-07T10:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail: {
        findings: [
          {
            Id: 'arn:finding/1',
            ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty',
            AwsAccountId: '123456789012',
            Severity: { Label: 'CRITICAL' },
            Workflow: { Status: 'NOTIFIED' },
            Note: { Text: 'wickr-autopilot: …', UpdatedBy: 'wickr-autopilot' },
          },
        ],
      },
    });
    const [fact] = factsOfFindings(event, { ...section, resolveOn: ['NOTIFIED'] }, origins);
    expect(fact).toMatchObject({ kind: 'ignored', reason: 'our own write-back (note and NOTIFIED)' });
  });
});
