import { describe, expect, it } from 'vitest';
import type { SourceFactOutcome } from '../../../lib/incident/apply-incident-fact.js';
import { writeBackOf } from '../../../lib/incident/security-hub-write-back.js';

const finding = { Id: 'arn:finding/1', ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty' };
const summary = { locked: true, activeIncidents: ['SH-1'], groupsChecked: 4, conflicts: 0, popupChanged: true };
const declared = (networks: unknown[]): SourceFactOutcome =>
  ({ incidentId: 'SH-1', action: 'declared', outcome: { incidentId: 'SH-1', networks } }) as SourceFactOutcome;

describe('writeBackOf', () => {
  it('notes the severity, the groups changed and the networks, and sets NOTIFIED', () => {
    const update = writeBackOf(
      finding,
      declared([
        { networkId: '11111111', result: 'reconciled', summary: { ...summary, groupsChanged: 3 } },
        { networkId: '22222222', result: 'handed-over' },
        { networkId: '33333333', result: 'other-channel' },
      ]),
      { severity: 'SEV1', eventId: 'ev-1' },
    );
    expect(update).toEqual({
      FindingIdentifiers: [finding],
      Note: {
        Text: 'wickr-autopilot: SEV1 lockdown applied to 3 group(s) on network(s) 11111111, 22222222 (1 still being applied) — incident SH-1, fact ev-1',
        UpdatedBy: 'wickr-autopilot',
      },
      Workflow: { Status: 'NOTIFIED' },
    });
  });

  it('says nothing for a declaration that locked nothing, or a fact that was not a declaration', () => {
    expect(
      writeBackOf(finding, declared([{ networkId: '1', result: 'stale' }]), { severity: 'SEV1', eventId: 'e' }),
    ).toBe(undefined);
    const ignored = { incidentId: 'SH-1', action: 'ignored', reason: 'x' } as const;
    expect(writeBackOf(finding, ignored, { severity: 'SEV1', eventId: 'e' })).toBeUndefined();
  });

  it('keeps the note within Security Hub’s 512 characters', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({
      networkId: String(10_000_000 + i),
      result: 'reconciled',
      summary: { ...summary, groupsChanged: 1 },
    }));
    const text = writeBackOf(finding, declared(many), { severity: 'SEV1', eventId: 'e' })?.Note.Text ?? '';
    expect(text.length).toBe(512);
    expect(text.endsWith('…')).toBe(true);
  });
});
