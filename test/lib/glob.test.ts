import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IncidentDeclaredDetail } from '../../lib/events/incident-events.js';
import { compileGlob, globWildcards } from '../../lib/glob.js';

// The reference: the regular expression the first release built (fine for small inputs, exponential for hostile ones).
const reference = (pattern: string, name: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(name);

describe('compileGlob', () => {
  it('matches as the `*`-glob regex does, for any small pattern and name', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'A', '-', '.', '*'), maxLength: 8 });
    fc.assert(
      fc.property(text, text, (pattern, name) => {
        const plain = name.replaceAll('*', 'x');
        expect(compileGlob(pattern)(plain)).toBe(reference(pattern, plain));
      }),
      { numRuns: 2000, seed: 20261128 },
    );
  });

  it('answers a hostile pattern against a long name without backtracking', () => {
    // 22 stars made the regex take seconds per name; here it is a few linear scans.
    const hostile = `${'*a'.repeat(22)}*b`;
    const name = 'a'.repeat(10_000);
    for (let i = 0; i < 100; i++) expect(compileGlob(hostile)(name)).toBe(false);
    expect(compileGlob('fin***an*e')('Finance')).toBe(true);
    expect(globWildcards('a***b*c')).toBe(2);
  });

  it('is refused by the incident contract past ten wildcards, naming the field', () => {
    const parsed = IncidentDeclaredDetail.safeParse({
      incidentId: 'INC-1',
      severity: 'SEV1',
      groups: { namePatterns: ['*a'.repeat(11)] },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['groups', 'namePatterns', 0] });
    expect(parsed.error?.issues[0]?.message).toMatch(/at most 10 wildcards/);
  });
});
