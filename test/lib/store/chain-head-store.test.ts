/**
 * The outcome chain's heads against a real local DynamoDB: concurrent publishers (separate environments, each with
 * its own memory of the head) take every place of a stream exactly once, in one order whose links all compute; the
 * anchor reads every head of its owners.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChainLink, genesisValue, linkValue, streamOf } from '../../../lib/audit/chain-link.js';
import { ChainHeadStore } from '../../../lib/store/chain-head-store.js';
import { documentClient } from '../../../lib/store/dynamodb-client.js';
import { startDynamoWithTables, tableNames } from '../../support/local-dynamodb.js';

const db = await startDynamoWithTables();
afterAll(() => db.close());
const environment = (nowMs: () => number = Date.now) =>
  new ChainHeadStore(documentClient(db.client), tableNames.state, nowMs);

describe('ChainHeadStore', () => {
  it('gives concurrent environments each place of a stream once, every link computing from the one before', async () => {
    const owner = `fn-${randomUUID().slice(0, 8)}`;
    const stream = streamOf(owner, '12345678');
    const environments = Array.from({ length: 4 }, () => environment());
    const details = new Map<number, Record<string, unknown>>();
    // Four environments at once, each publishing one outcome at a time (as one Lambda environment does).
    const links = (
      await Promise.all(
        environments.map(async (store, e) => {
          const taken: ChainLink[] = [];
          for (let i = 0; i < 10; i++) {
            const detail = { networkId: '12345678', n: e * 10 + i };
            const link = await store.next(stream, (place, prev) =>
              linkValue(prev, place, 'Wickr Lockdown Applied', detail),
            );
            details.set(link.seq, detail);
            taken.push(link);
          }
          return taken;
        }),
      )
    ).flat();
    const bySeq = [...links].sort((a, b) => a.seq - b.seq);
    expect(bySeq.map((l) => l.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    let prev = genesisValue;
    let at = '';
    for (const link of bySeq) {
      expect(linkValue(prev, link, 'Wickr Lockdown Applied', details.get(link.seq) ?? {})).toBe(link.value);
      expect(link.at >= at).toBe(true);
      prev = link.value;
      at = link.at;
    }
    expect(await environment().heads([owner])).toEqual([{ stream, seq: 40, value: prev }]);
  });

  it('never dates a link before the one ahead of it, whatever the environment’s clock says', async () => {
    const stream = streamOf(`fn-${randomUUID().slice(0, 8)}`, undefined);
    const ahead = await environment(() => Date.parse('2026-12-07T12:00:05Z')).next(stream, () => 'a'.repeat(64));
    const behind: ChainLink = await environment(() => Date.parse('2026-12-07T12:00:01Z')).next(stream, () =>
      'b'.repeat(64),
    );
    expect([ahead.seq, behind.seq]).toEqual([1, 2]);
    expect(behind.at).toBe('2026-12-07T12:00:05.000Z');
  });

  it('spreads one function’s networks over a fixed set of streams, and keeps a network in one', () => {
    const streams = new Set(Array.from({ length: 500 }, (_, i) => streamOf('fn', String(10_000_000 + i))));
    expect(streams.size).toBeLessThanOrEqual(16);
    expect(streams.size).toBeGreaterThan(8);
    expect(streamOf('fn', '12345678')).toBe(streamOf('fn', '12345678'));
  });
});
