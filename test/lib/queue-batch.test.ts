/**
 * The SQS edge both queues share, alone: whatever mix of bodies that do not parse, messages the domain fails
 * permanently or transiently, and a failure destination that answers or not, every message is accounted for
 * exactly once — done, refused (with the message as it arrived), or returned to the queue — and only a transient
 * failure (or a refusal with nowhere to go) is ever returned.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AutomationError } from '../../lib/failure.js';
import { consumeBatch } from '../../lib/queue-batch.js';

type Fate = 'bad-body' | 'ok' | 'permanent' | 'transient';
const permanent = () => new AutomationError('refused: detail.x: bad', { retryable: false, code: 'INPUT_REFUSED' });
const transient = () => new AutomationError('busy', { retryable: true, code: 'BUSY' });

describe('consumeBatch', () => {
  it('accounts for every message exactly once, and returns only what a retry may fix', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<Fate>('bad-body', 'ok', 'permanent', 'transient'), { maxLength: 25 }),
        fc.boolean(),
        fc.boolean(),
        async (fates, destination, handleThrows) => {
          const records = fates.map((fate, i) => ({
            messageId: `m${i}`,
            body: fate === 'bad-body' ? `{not json ${i}` : JSON.stringify({ i, fate }),
          }));
          const received: unknown[] = [];
          const answer = await consumeBatch(
            { Records: records },
            {
              parse: (body) => {
                try {
                  return JSON.parse(body) as { i: number; fate: Fate };
                } catch {
                  throw permanent();
                }
              },
              handle: async (messages) => {
                if (handleThrows) throw transient();
                const failures = new Map<string, Error>();
                for (const { messageId, message } of messages) {
                  if (message.fate === 'permanent') failures.set(messageId, permanent());
                  if (message.fate === 'transient') failures.set(messageId, transient());
                }
                return failures;
              },
              refuse: async (_error, body) => {
                received.push(body);
                return destination;
              },
              subjectOf: (body) =>
                typeof body === 'object' && body !== null ? { index: String((body as { i: number }).i) } : undefined,
            },
          );
          const returned = answer.batchItemFailures.map((f) => f.itemIdentifier);
          const refused = answer.refused.map((r) => r.messageId);
          expect(new Set([...returned, ...refused]).size).toBe(returned.length + refused.length);
          fates.forEach((fate, i) => {
            const id = `m${i}`;
            const failed = fate === 'bad-body' || handleThrows || fate !== 'ok';
            const isPermanent = fate === 'bad-body' || (!handleThrows && fate === 'permanent');
            expect(returned.includes(id), `${id} ${fate} returned`).toBe(failed && (!isPermanent || !destination));
            expect(refused.includes(id), `${id} ${fate} refused`).toBe(failed && isPermanent && destination);
          });
          expect(answer.messages).toBe(fates.length);
          // A refusal keeps the message as it arrived: its JSON, or the start of a body that is not JSON.
          for (const body of received)
            expect(typeof body === 'string' ? body.startsWith('{not json') : 'fate' in (body as object)).toBe(true);
          for (const r of answer.refused) expect(r.reason.length).toBeLessThanOrEqual(300);
        },
      ),
      { seed: 20261130, numRuns: 200 },
    );
  });

  it('refuses a body past the bound alone, naming the field, and handles the rest of its batch', async () => {
    const handled: string[] = [];
    const received: unknown[] = [];
    const answer = await consumeBatch(
      {
        Records: [
          { messageId: 'big', body: JSON.stringify({ pad: 'x'.repeat(1_048_000) }) },
          { messageId: 'ok', body: '{"fate":"ok"}' },
        ],
      },
      {
        parse: (body) => JSON.parse(body) as unknown,
        handle: async (messages) => {
          handled.push(...messages.map((m) => m.messageId));
          return new Map();
        },
        refuse: async (_error, body) => {
          received.push(body);
          return true;
        },
      },
    );
    expect(handled).toEqual(['ok']);
    expect(answer).toEqual({
      batchItemFailures: [],
      refused: [{ messageId: 'big', reason: 'body: must be at most 262144 characters' }],
      messages: 2,
    });
    // What the failure queue keeps of it is bounded too.
    expect((received[0] as string).length).toBe(1000);
  });
});
