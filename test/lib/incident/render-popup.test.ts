import { describe, expect, it } from 'vitest';
import { escapeMarkdown, renderPopup } from '../../../lib/incident/render-popup.js';
import { loadPolicyFile } from '../../../lib/policy-file/policy-file.js';

const { playbooks } = loadPolicyFile('infra/policy.yml').incident;
const incident = { incidentId: 'INC-1', severity: 'SEV1' as const, declaredAt: '2026-11-28T03:00:00Z' };

describe('renderPopup', () => {
  it('escapes event fields for Markdown so they cannot add links or emphasis', () => {
    const popup = renderPopup(playbooks.SEV1, { ...incident, title: '[click](https://evil.example) **now** <b>' });
    expect(popup.content).toContain('\\[click\\]\\(https://evil\\.example\\) \\*\\*now\\*\\* \\<b\\>');
    expect(popup.content).not.toContain('[click](');
    expect(escapeMarkdown('a_b`c#')).toBe('a\\_b\\`c\\#');
  });

  it('strips control characters and always fits the API limits', () => {
    const popup = renderPopup(playbooks.SEV1, {
      ...incident,
      incidentId: 'I'.repeat(128),
      title: `x\u0007${'y'.repeat(199)}`,
    });
    expect(popup.header.length).toBeLessThanOrEqual(100);
    expect(popup.header.endsWith('…')).toBe(true);
    expect(popup.content.length).toBeLessThanOrEqual(5000);
    expect(popup.content).not.toMatch(/\p{Cc}(?<!\n)/u);
    expect(popup).toMatchObject({ enabled: true, closeButtonLabel: 'I understand' });
  });
});
