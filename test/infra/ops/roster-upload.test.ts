/** `ops roster upload` as a user types it, on the stack `npm start -- --serve` gives (in a checkout of its own). */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { shadowCheckout } from '../../support/shadow-checkout.js';

const { dir, serve, stop, run } = shadowCheckout('roster-upload-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ops roster upload', () => {
  it('ops roster upload waits for the rows to take effect and says what they did; --no-wait only uploads', async () => {
    const stack = await serve('npm start -- --serve --quiet');
    try {
      const first = run('npm run --silent ops -- roster upload examples/roster.csv --local');
      expect(first.status).toBe(0);
      expect(first.stdout).toMatch(/: accepted — 6 rows, 1 skipped as invalid, 1 chunk\(s\) queued/);
      expect(first.stdout).toMatch(/^ {2}applied: created 4 \(5 row\(s\) recorded\)$/m);
      const again = run('npm run --silent ops -- roster upload examples/roster.csv --local');
      expect(again.stdout).toMatch(/^ {2}applied: nothing changed in Wickr \(5 row\(s\) recorded\)$/m);
      const quick = run('npm run --silent ops -- roster upload examples/roster.csv --local --no-wait');
      expect([quick.status, quick.stdout.trim()]).toEqual([
        0,
        expect.stringMatching(
          /^roster\/roster\.csv \(version \w+\): uploaded, not waiting \(ops audit shows what it did\)$/,
        ),
      ]);
    } finally {
      await stop(stack);
    }
  }, 180_000);
});
