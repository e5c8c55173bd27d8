import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown, renderPopup } from '../../../lib/incident/render-popup.js';
import { loadPolicyFile } from '../../../lib/policy-file/policy-file.js';

const { playbooks } = loadPolicyFile('infra/policy.yml').incident;
const incident = { incidentId: 'INC-1', severity: 'SEV1' as const, declaredAt: '2026-11-28T03:00:00Z' };

describe('renderPopup', () => {
  it('escapes event fields for Markdown so they cannot add links or emphasis', () => {
    const popup = renderPopup(playbooks.SEV1, { ...incident, title: '[click](https://evil.example) **now** <b>' });
    expect(popup.content).toContain('\\[click\\]\\(https\\[:\\]//evil\\[\\.\\]example\\) \\*\\*now\\*\\* \\<b\\>');
    expect(popup.content).not.toContain('[click](');
    expect(escapeMarkdown('a_b`c#')).toBe('a\\_b\\`c\\#');
  });

  it('strips control characters and always fits the API limits', () => {
    const idInHeader = {
      ...playbooks.SEV1,
      consentPopup: { ...playbooks.SEV1.consentPopup, header: '{{incidentId}}: {{title}}' },
    };
    const popup = renderPopup(idInHeader, {
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

  it('breaks URLs and bare hosts, drops bidi overrides and zero-width characters, folds look-alikes', () => {
    const popup = renderPopup(playbooks.SEV3, {
      ...incident,
      severity: 'SEV3',
      incidentId: 'evil.example',
      title: 'log in at https://3232235521/wickr-login or \u202Eｗｉｃｋｒ．ｃｏｍ\u200B now',
    });
    for (const text of [popup.header, popup.content]) {
      expect(text).not.toMatch(/:\/\/|\p{Cf}/u);
      expect(text).not.toMatch(/[\uFF00-\uFFEF]/u);
    }
    expect(popup.content).toContain('https\\[:\\]//3232235521/wickr\\-login');
    expect(popup.content).toContain('wickr\\[\\.\\]com now');
  });

  it('breaks bare IPv4 addresses and ideographic dots, and drops Hangul and Braille fillers', () => {
    const popup = renderPopup(playbooks.SEV3, {
      ...incident,
      severity: 'SEV3',
      title: 'go\u3164to 10.0.0.1 or evil\u3002example or ｅｖｉｌ｡com\u2800now',
    });
    expect(popup.content).not.toMatch(/[\u3164\u2800\u3002\uFF61]/u);
    expect(popup.content).not.toMatch(/10\.0\.0\.1|evil\.example|evil\.com/);
    expect(popup.content).toContain('10\\[\\.\\]0\\[\\.\\]0\\[\\.\\]1');
    expect(popup.content).toContain('evil\\[\\.\\]example');
  });

  it('renders any hostile Unicode title into well-formed text within the limits, with no live link', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.string({
            unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
            maxLength: 5,
          }),
        ),
        fc.constantFrom(...(['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const)),
        (title, severity) => {
          const popup = renderPopup(playbooks[severity], { ...incident, severity, incidentId: 'I'.repeat(128), title });
          for (const [text, max] of [
            [popup.header, 100],
            [popup.content, 5000],
          ] as const) {
            expect(text.length).toBeLessThanOrEqual(max);
            expect(text.isWellFormed()).toBe(true);
            expect(text).not.toMatch(/\p{Cf}|:\/\/|(?<!\\)\]\(/u);
          }
        },
      ),
      { numRuns: 500, seed: 20261128 },
    );
  });
});
