import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcomeTable } from '../../lib/outcomes.js';

/** Every TypeScript file under a folder. */
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

// The bus's inputs that share the `Wickr ` prefix: the operators' nudges and requests, the review's hand-overs.
const inputs = new Set(['Wickr Hold Decision', 'Wickr Access Review Requested', 'Wickr Access Review Continued']);

describe('the outcome table', () => {
  const named = new Set(
    [...sources('lib'), ...sources('functions')].flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/'(Wickr [A-Z][A-Za-z ]+)'/g)].map((m) => m[1] as string),
    ),
  );

  it('lists every outcome type a function can publish, and nothing none publishes', () => {
    const published = [...named].filter((t) => !inputs.has(t)).sort();
    expect(Object.keys(outcomeTable).sort()).toEqual(published);
  });

  it('says of every type whether it answers a fact, and how', () => {
    for (const [type, verdict] of Object.entries(outcomeTable)) {
      expect(['applied', 'unchanged', 'ignored', 'held', 'refused', 'report'], type).toContain(verdict);
    }
  });
});
