/**
 * Guests and bots as containment subjects, attacked through the local stack as an insider would name them: an empty
 * name, a prefix of a real bot's name, a hash that names no guest, a guest or bot of a network outside the policy —
 * none touches anyone; and a captured compromise replayed after its clear does not contain again.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../infra/local/local-stack.js';
import { incidentPublisher } from '../support/incident-publisher.js';
import { dynamoKind } from '../support/local-dynamodb.js';

const stack = await startLocalStack({ dynamodb: dynamoKind, retryDelaysMs: [50, 100], logLevel: 'CRITICAL' });
afterAll(() => stack.close());
beforeEach(() => {
  stack.emulator.reset();
  stack.emulator.clearJournal();
});

const put = incidentPublisher(stack);
const writes = () => stack.emulator.journal().filter((e) => e.method !== 'GET');
const invocationOf = (eventId: string) => stack.bus.invocations.filter((i) => i.eventId === eventId);
const network = () => stack.emulator.snapshot().networks[0];
const at = (minute: number) => new Date(Date.now() - (60 - minute) * 60_000);

describe('guests and bots as subjects, named by an insider', () => {
  it('touches nobody for an empty name, a prefix of a bot, a hash no network saw, or a network outside the policy', async () => {
    const refusedOrUnresolved: string[] = [];
    for (const [subject, networkId] of [
      ['bot:', undefined],
      ['guest:', undefined],
      ['bot:alerts', undefined],
      ['guest:g7f3a9c', undefined],
      ['bot:alerts-bot', '99999999'],
    ] as const) {
      const caseId = `ATT-${randomUUID().slice(0, 8)}`;
      const id = await put(
        'Account Compromised',
        { caseId, subject, reason: 'insider', ...(networkId ? { networkId } : {}) },
        at(1),
      );
      const [invocation] = invocationOf(id);
      refusedOrUnresolved.push(`${subject} ${invocation?.outcome}`);
      if (invocation?.outcome === 'refused') {
        expect(invocation.error?.message).toMatch(/subject: must name the bot or guest after its prefix/);
      }
    }
    expect(writes()).toEqual([]);
    expect(network()?.bots.every((b) => !b.suspended)).toBe(true);
    expect(
      network()
        ?.guests.filter((g) => g.blocked)
        .map((g) => g.usernameHash),
    ).toEqual(['g91c2b07']);
    // Each is answered once, none retried: an empty name is refused at the edge, naming the rule; the rest end
    // Unresolved.
    expect(refusedOrUnresolved).toEqual([
      'bot: refused',
      'guest: refused',
      'bot:alerts succeeded',
      'guest:g7f3a9c succeeded',
      'bot:alerts-bot succeeded',
    ]);
  });

  it('does not contain again when a captured compromise is replayed after its clear', async () => {
    for (const subject of ['guest:g7f3a9c1', 'bot:alerts-bot']) {
      const caseId = `REPLAY-${randomUUID().slice(0, 8)}`;
      const compromise = { caseId, subject, reason: 'stolen session' };
      await put('Account Compromised', compromise, at(10));
      await put('Account Cleared', { caseId, subject }, at(20));
      // The same bytes again, later: the case's latest fact is still the clear.
      await put('Account Compromised', compromise, at(10));
    }
    expect(network()?.guests.find((g) => g.usernameHash === 'g7f3a9c1')?.blocked).toBe(false);
    expect(network()?.bots.find((b) => b.username === 'alerts-bot')?.suspended).toBe(false);
    // Blocked and suspended once each, then released: two writes each, none by the replay.
    expect(writes().map((e) => e.operation)).toEqual(['UpdateGuestUser', 'UpdateGuestUser', 'UpdateBot', 'UpdateBot']);
  });
});
