import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IncidentDeclaredEvent, IncidentResolvedEvent } from '../../../lib/events/incident-events.js';
import { SecurityHubFindingsImportedEvent } from '../../../lib/events/security-hub-events.js';
import { fieldIssues } from '../../../lib/schema-issues.js';

const samples = readdirSync('events')
  .filter((f) => f.startsWith('incident-'))
  .map((file) => ({ file, event: JSON.parse(readFileSync(`events/${file}`, 'utf8')) as { 'detail-type': string } }));
const schemaOf = (event: { 'detail-type': string }) =>
  event['detail-type'] === 'Incident Declared' ? IncidentDeclaredEvent : IncidentResolvedEvent;

describe('incident contract v1 and the sample envelopes in events/', () => {
  it.each(samples.filter((s) => !s.file.includes('.invalid-')))('accepts $file', ({ event }) => {
    expect(schemaOf(event).safeParse(event).success).toBe(true);
  });

  const expected: Record<string, { field: string; reason: string }[]> = {
    'incident-declared.invalid-missing-severity.json': [
      { field: 'detail.severity', reason: 'must be one of SEV1, SEV2, SEV3, SEV4' },
    ],
    'incident-declared.invalid-network-id.json': [{ field: 'detail.networkIds.0', reason: 'must be exactly 8 digits' }],
    'incident-declared.invalid-control-characters.json': [
      { field: 'detail.title', reason: 'must not contain control characters' },
    ],
    'incident-resolved.invalid-incident-id.json': [
      { field: 'detail.incidentId', reason: 'must be 1–128 characters of letters, digits, . _ : -' },
    ],
  };
  it.each(samples.filter((s) => s.file.includes('.invalid-')))(
    'refuses $file, naming the field and the rule',
    ({ file, event }) => {
      const result = schemaOf(event).safeParse(event);
      expect(result.success).toBe(false);
      expect(result.success ? [] : fieldIssues(result.error.issues)).toEqual(expected[file]);
    },
  );

  it('defaults schemaVersion to 1 and keeps unknown detail members out of the domain', () => {
    const parsed = IncidentResolvedEvent.parse({
      ...samples[0]?.event,
      'detail-type': 'Incident Resolved',
      detail: { incidentId: 'X', extra: 1 },
    });
    expect(parsed.detail).toEqual({ schemaVersion: '1', incidentId: 'X' });
  });
});

describe('Security Hub findings and their sample envelopes', () => {
  const findings = readdirSync('events')
    .filter((f) => f.startsWith('security-hub-'))
    .map((file) => ({ file, event: JSON.parse(readFileSync(`events/${file}`, 'utf8')) as unknown }));

  it.each(findings.filter((s) => !s.file.includes('.invalid-')))('accepts $file', ({ event }) => {
    expect(SecurityHubFindingsImportedEvent.safeParse(event).success).toBe(true);
  });

  it('refuses a finding without a severity, naming the field', () => {
    const sample = findings.find((s) => s.file.includes('.invalid-'));
    const result = SecurityHubFindingsImportedEvent.safeParse(sample?.event);
    expect(result.success ? [] : fieldIssues(result.error.issues)).toEqual([
      { field: 'detail.findings.0.Severity', reason: 'is required' },
    ]);
  });
});
