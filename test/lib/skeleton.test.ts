/**
 * Look-alike skeletons: names that look alike share one, and the table shipped in lib/confusables-data.ts maps every
 * code point exactly as the `unhomoglyph` package it was written from (so a regeneration that loses an entry fails).
 */
import unhomoglyph from 'unhomoglyph';
import { describe, expect, it } from 'vitest';
import { confusablesJson } from '../../lib/confusables-data.js';
import { skeleton } from '../../lib/skeleton.js';

describe('skeleton', () => {
  it('gives names that look alike one skeleton, and names that do not, different ones', async () => {
    const sales = await skeleton('sales');
    for (const lookAlike of ['ѕаӏеѕ', 'ꮪales', 'sales\uFE0F', 'SALES', 's\u200Bales'])
      expect(await skeleton(lookAlike)).toBe(sales);
    expect(await skeleton('sails')).not.toBe(sales);
  });

  it('maps every code point of the shipped table as the package does', () => {
    const table = JSON.parse(confusablesJson) as Record<string, string>;
    const keys = Object.keys(table);
    expect(keys.length).toBeGreaterThan(6000);
    expect(keys.filter((k) => unhomoglyph(k) !== table[k])).toEqual([]);
  });
});
