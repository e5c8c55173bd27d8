/**
 * `ops audit verify`'s check on trails built as the publisher builds them: an untouched trail verifies; a deleted,
 * an altered and a moved entry are each named (the first one first); an anchor finds a trail cut short or rewritten
 * after it; a duplicate delivery is one entry; an outcome without a link after the chain began is named.
 */
import { describe, expect, it } from 'vitest';
import { genesisValue, linkValue } from '../../../lib/audit/chain-link.js';
import { type Anchor, type TrailEntry, verifyTrail } from '../../../lib/audit/verify-trail.js';

/** A stream's trail: outcomes `seconds` apart, each linked to the one before. */
function trail(stream: string, count: number, startMs = Date.parse('2026-12-07T09:00:00Z'), seconds = 10) {
  const entries: TrailEntry[] = [];
  let prev = genesisValue;
  for (let seq = 1; seq <= count; seq++) {
    const at = new Date(startMs + seq * seconds * 1000).toISOString();
    const detail = { networkId: '12345678', groups: [`g${seq}`], eventId: `fact-${seq}` };
    const value = linkValue(prev, { stream, seq, at }, 'Wickr Lockdown Applied', detail);
    entries.push({
      id: `${stream}-${seq}`,
      time: at,
      detailType: 'Wickr Lockdown Applied',
      detail: { ...detail, chain: { stream, seq, value, at } },
    });
    prev = value;
  }
  return entries;
}
const nth = <T>(list: readonly T[], index: number): T => {
  const item = list[index];
  if (item === undefined) throw new Error(`no entry ${index}`);
  return item;
};
const head = (entries: TrailEntry[], index: number) => {
  const chain = nth(entries, index).detail.chain as { stream: string; seq: number; value: string };
  return { stream: chain.stream, seq: chain.seq, value: chain.value };
};

describe('verifyTrail', () => {
  const a = trail('fn-a#03', 6);
  const b = trail('fn-b#11', 4);
  const untouched = [...a, ...b].sort((x, y) => x.time.localeCompare(y.time));
  const anchors: Anchor[] = [{ at: '2026-12-07T10:00:00.000Z', heads: [head(a, 5), head(b, 3)] }];

  it('verifies an untouched trail against its anchors', () => {
    expect(verifyTrail(untouched, anchors, { fromStart: true })).toEqual({
      problems: [],
      verified: 10,
      streams: 2,
      preChain: 0,
      lastAnchorAt: '2026-12-07T10:00:00.000Z',
    });
  });

  it('names a deleted entry by its place', () => {
    const deleted = untouched.filter((e) => e.id !== 'fn-a#03-3');
    const { problems } = verifyTrail(deleted, anchors, { fromStart: true });
    expect(problems).toEqual([expect.objectContaining({ kind: 'missing', stream: 'fn-a#03', seq: 3 })]);
  });

  it('names an altered entry (a group taken out of it), and one whose link was recomputed by the editor', () => {
    const altered = untouched.map((e) => (e.id === 'fn-b#11-2' ? { ...e, detail: { ...e.detail, groups: [] } } : e));
    expect(verifyTrail(altered, anchors, { fromStart: true }).problems).toEqual([
      expect.objectContaining({ kind: 'altered', stream: 'fn-b#11', seq: 2, id: 'fn-b#11-2' }),
    ]);
    // An editor who recomputes the edited link breaks the next one; who rewrites all after it, the anchor.
    const rewritten = trail('fn-b#11', 4).map((e, i) => (i === 1 ? { ...e, detail: { ...e.detail, groups: [] } } : e));
    let prev = (nth(rewritten, 0).detail.chain as { value: string }).value;
    for (const e of rewritten.slice(1)) {
      const c = e.detail.chain as { stream: string; seq: number; at: string };
      const value = linkValue(prev, c, e.detailType, e.detail);
      (e.detail as Record<string, unknown>).chain = { ...c, value };
      prev = value;
    }
    expect(verifyTrail([...a, ...rewritten], anchors, { fromStart: true }).problems).toEqual([
      expect.objectContaining({ kind: 'altered', stream: 'fn-b#11', seq: 4, why: expect.stringContaining('anchored') }),
    ]);
  });

  it('names an entry moved later than entries that came after it', () => {
    const moved = [...untouched];
    const index = moved.findIndex((e) => e.id === 'fn-a#03-2');
    const [entry] = moved.splice(index, 1);
    moved.push(entry as TrailEntry);
    expect(verifyTrail(moved, anchors, { fromStart: true }).problems).toEqual([
      expect.objectContaining({ kind: 'reordered', stream: 'fn-a#03', seq: 2, id: 'fn-a#03-2' }),
    ]);
  });

  it('takes concurrent publishers reaching the log out of order within the window as they are', () => {
    const close = trail('fn-c#01', 3, Date.parse('2026-12-07T09:00:00Z'), 0.2);
    const swapped = [nth(close, 0), nth(close, 2), nth(close, 1)];
    expect(verifyTrail(swapped, [], { fromStart: true }).problems).toEqual([]);
  });

  it('finds a trail cut short after an anchor, and the first entries of a stream deleted', () => {
    const cut = untouched.filter((e) => e.id !== 'fn-a#03-6');
    expect(verifyTrail(cut, anchors, { fromStart: true }).problems).toEqual([
      expect.objectContaining({ kind: 'missing', stream: 'fn-a#03', seq: 6, why: expect.stringContaining('anchored') }),
    ]);
    const headless = untouched.filter((e) => e.id !== 'fn-b#11-1');
    expect(verifyTrail(headless, anchors, { fromStart: true }).problems).toEqual([
      expect.objectContaining({ kind: 'missing', stream: 'fn-b#11', seq: 1 }),
    ]);
    // From a window's start, the stream's first entry in it is taken as given.
    expect(verifyTrail(headless, anchors, { fromStart: false }).problems).toEqual([]);
  });

  it('takes a duplicate delivery as one entry, a second different entry at one place as an edit', () => {
    const twice = [...untouched, nth(untouched, 0)];
    expect(verifyTrail(twice, anchors, { fromStart: true }).problems).toEqual([]);
    const forged = [
      ...untouched,
      { ...nth(untouched, 0), id: 'forged', detail: { ...nth(untouched, 0).detail, groups: ['x'] } },
    ];
    expect(verifyTrail(forged, anchors, { fromStart: true }).problems).toEqual([
      expect.objectContaining({ kind: 'altered', id: 'forged' }),
    ]);
  });

  it('counts outcomes from before the chain, and names one without a link after it began', () => {
    const old = { id: 'old', time: '2026-12-07T08:00:00Z', detailType: 'Wickr Lockdown Applied', detail: {} };
    const late = { id: 'late', time: '2026-12-07T11:00:00Z', detailType: 'Wickr Lockdown Lifted', detail: {} };
    const verdict = verifyTrail([old, ...untouched, late], anchors, { fromStart: true });
    expect(verdict.preChain).toBe(1);
    expect(verdict.problems).toEqual([expect.objectContaining({ kind: 'unchained', id: 'late' })]);
  });
});
