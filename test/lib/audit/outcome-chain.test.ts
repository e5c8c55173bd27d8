/**
 * One environment's outcome chain, with its publication and its head store injected: links in one order that all
 * compute, a failed publication's place reused (no hole), links taken one at a time however many publish at once,
 * time never going back, and the head recorded at the first link and then at most once a minute.
 */
import { describe, expect, it } from 'vitest';
import { type ChainLink, genesisValue, linkValue } from '../../../lib/audit/chain-link.js';
import { OutcomeChain } from '../../../lib/audit/outcome-chain.js';

function harness(clock = { now: Date.parse('2026-12-07T12:00:00Z') }) {
  const recorded: ChainLink[] = [];
  const published: Record<string, unknown>[] = [];
  const chain = new OutcomeChain(
    'incidentDeclared',
    { record: async (h) => void recorded.push(h) },
    () => clock.now,
    60_000,
    'abc',
  );
  const publish =
    (fail = false) =>
    async (linked: Record<string, unknown>) => {
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      if (fail) throw new Error('PutEvents refused');
      published.push(linked);
    };
  return { chain, recorded, published, publish, clock };
}
const linkOf = (d: Record<string, unknown>) => d.chain as ChainLink;

describe('OutcomeChain', () => {
  it('links outcomes published at once in one order, each computing from the one before', async () => {
    const { chain, published, publish } = harness();
    await Promise.all(Array.from({ length: 10 }, (_, n) => chain.append('Wickr Lockdown Applied', { n }, publish())));
    expect(published.map((d) => linkOf(d).seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    let prev = genesisValue;
    for (const d of published) {
      const { chain: link, ...content } = d as { chain: ChainLink };
      expect(link.stream).toBe('incidentDeclared#abc');
      expect(linkValue(prev, link, 'Wickr Lockdown Applied', content)).toBe(link.value);
      prev = link.value;
    }
  });

  it('keeps a failed publication’s place for the next one: no hole', async () => {
    const { chain, published, publish } = harness();
    await chain.append('Wickr Lockdown Applied', { n: 1 }, publish());
    await expect(chain.append('Wickr Lockdown Applied', { n: 2 }, publish(true))).rejects.toThrow('PutEvents refused');
    await chain.append('Wickr Lockdown Applied', { n: 2 }, publish());
    expect(published.map((d) => [linkOf(d).seq, d.n])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('never dates a link before the one ahead of it, and records the head at first and then once a minute', async () => {
    const { chain, published, publish, recorded, clock } = harness();
    await chain.append('Wickr Lockdown Applied', {}, publish());
    clock.now -= 5_000; // the clock steps back
    await chain.append('Wickr Lockdown Applied', {}, publish());
    expect(linkOf(published[1] ?? {}).at).toBe(linkOf(published[0] ?? {}).at);
    clock.now += 30_000;
    await chain.append('Wickr Lockdown Applied', {}, publish());
    clock.now += 40_000;
    await chain.append('Wickr Lockdown Applied', {}, publish());
    expect(recorded.map((h) => h.seq)).toEqual([1, 4]);
  });

  it('publishes even when the head cannot be recorded (the anchor waits for the next record)', async () => {
    const published: unknown[] = [];
    const chain = new OutcomeChain('hrEvents', { record: () => Promise.reject(new Error('throttled')) });
    await chain.append('Wickr Users Reconciled', {}, async (d) => void published.push(d));
    expect(published).toHaveLength(1);
  });
});
