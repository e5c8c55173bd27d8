import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headlineOf, templateSafe } from '../../../lib/runtime/outcome-headline.js';

describe('an outcome headline', () => {
  it('names ids, counts and the reason, never a group name or a title', () => {
    const line = headlineOf('Wickr Lockdown Applied', {
      networkId: '12345678',
      incidentId: 'INC-7',
      severity: 'SEV1',
      title: 'Breach of jane.doe@example.com',
      groups: [{ groupId: 'g1', groupName: 'Jane Doe private group', changes: [] }],
    });
    expect(line).toBe('Lockdown Applied: networkId 12345678, incidentId INC-7, severity SEV1, 1 group(s)');
  });

  it('takes a hold’s own summary, and says why an automation failed', () => {
    expect(headlineOf('Wickr Hold Created', { summary: 'Safeguard hr-deprovision tripped on network 1' })).toBe(
      'Safeguard hr-deprovision tripped on network 1',
    );
    expect(
      headlineOf('Wickr Automation Failed', {
        functionName: 'hrEvents',
        errorType: 'HrInputError',
        reason: 'detail.x: bad',
      }),
    ).toBe('Automation Failed: functionName hrEvents, errorType HrInputError, reason: detail.x: bad');
  });

  it('is always safe inside a JSON string and bounded, whatever the fields hold', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), fc.string({ maxLength: 50 }), (reason, networkId) => {
        const line = headlineOf('Wickr Automation Failed', { reason, networkId });
        expect(line.length).toBeLessThanOrEqual(400);
        expect(JSON.parse(`"${line}"`)).toBe(line);
        expect(line).not.toMatch(/[<>]/);
      }),
    );
    expect(templateSafe('a\u202e"b\\c\nd')).toBe('a b c d');
  });
});
