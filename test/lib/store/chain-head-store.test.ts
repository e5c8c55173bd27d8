/**
 * The outcome chain's heads against a real local DynamoDB: concurrent environments (each with its own memory of the
 * heads) take every place of a stream exactly once, in one order whose links all compute; environments that meet on
 * one stream move apart; the anchor reads every head of its owners.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChainLink, genesisValue, linkValue } from '../../../lib/audit/chain-link.js';
import { ChainHeadStore } from '../../../lib/store/chain-head-store.js';
import { documentClient } from '../../../lib/store/dynamodb-client.js';
import { startDynamoWithTables, tableNames } from '../../support/local-dynamodb.js';

const db = await startDynamoWithTables();
afterAll(() => db.close());
const environment = (nowMs: () => number = Date.now, random: () => number = Math.random) =>
  new ChainHeadStore(documentClient(db.client), tableNames.state, nowMs, random);

/** Four environments at once, each publishing ten outcomes one at a time (as one Lambda environment does). */
async function publishFromFour(owner: string, stores: ChainHeadStore[]) {
  const details = new Map<string, Record<string, unknown>>();
  const links = (
    await Promise.all(
      stores.map(async (store, e) => {
        const taken: ChainLink[] = [];
        for (let i = 0; i < 10; i++) {
          const detail = { networkId: '12345678', n: e * 10 + i };
          const link = await store.next(owner, (place, prev) =>
            linkValue(prev, place, 'Wickr Lockdown Applied', detail),
          );
          details.set(`${link.stream}:${link.seq}`, detail);
          taken.push(link);
        }
        return taken;
      }),
    )
  ).flat();
  return { links, details };
}

describe('ChainHeadStore', () => {
  it('gives each place of a stream once, every link computing from the one before, in time order', async () => {
    const owner = `fn${randomUUID().slice(0, 8)}`;
    // All four start on the same stream: they must contend there and move apart.
    const { links, details } = await publishFromFour(
      owner,
      Array.from({ length: 4 }, () => environment(Date.now, () => 0)),
    );
    const streams = Map.groupBy(links, (l) => l.stream);
    expect(streams.size).toBeGreaterThan(1);
    const heads = [];
    for (const [stream, inStream] of streams) {
      const bySeq = [...inStream].sort((a, b) => a.seq - b.seq);
      expect(bySeq.map((l) => l.seq)).toEqual(bySeq.map((_, i) => i + 1));
      let prev = genesisValue;
      let at = '';
      for (const link of bySeq) {
        expect(linkValue(prev, link, 'Wickr Lockdown Applied', details.get(`${stream}:${link.seq}`) ?? {})).toBe(
          link.value,
        );
        expect(link.at >= at).toBe(true);
        prev = link.value;
        at = link.at;
      }
      heads.push({ stream, seq: bySeq.length, value: prev });
    }
    expect(links).toHaveLength(40);
    const read = await environment().heads([owner]);
    expect(read.sort((a, b) => a.stream.localeCompare(b.stream))).toEqual(
      heads.sort((a, b) => a.stream.localeCompare(b.stream)),
    );
  });

  it('never dates a link before the one ahead of it, whatever the environment’s clock says', async () => {
    const owner = `fn${randomUUID().slice(0, 8)}`;
    const ahead = await environment(
      () => Date.parse('2026-12-07T12:00:05Z'),
      () => 0,
    ).next(owner, () => 'a'.repeat(64));
    const behind = await environment(
      () => Date.parse('2026-12-07T12:00:01Z'),
      () => 0,
    ).next(owner, () => 'b'.repeat(64));
    expect([ahead.stream, ahead.seq, behind.stream, behind.seq]).toEqual([`${owner}#0`, 1, `${owner}#0`, 2]);
    expect(behind.at).toBe('2026-12-07T12:00:05.000Z');
  });
});
