/**
 * The PagerDuty notes adapter with fetch, clock and sleep injected: the request PagerDuty's REST API documents, its
 * `Retry-After` honoured on 429, a bounded number of attempts, no retry of a refusal, and its pace.
 */
import { describe, expect, it } from 'vitest';
import { PagerDutyNotes } from '../../../lib/runtime/pagerduty-notes.js';

function harness(statuses: number[]) {
  const requests: { url: string; init: RequestInit }[] = [];
  const slept: number[] = [];
  let now = 1_000_000;
  const notes = new PagerDutyNotes({
    endpoint: 'https://api.pagerduty.com',
    from: 'secops@example.com',
    apiKey: async () => 'key-1',
    nowMs: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    fetchImpl: (async (url: string, init: RequestInit) => {
      requests.push({ url, init });
      const status = statuses.shift() ?? 201;
      return new Response(status === 201 ? '{"note":{}}' : '{}', {
        status,
        headers: status === 429 ? { 'retry-after': '2' } : {},
      });
    }) as typeof fetch,
  });
  return { notes, requests, slept };
}

describe('PagerDutyNotes', () => {
  it('posts the note as PagerDuty documents it', async () => {
    const { notes, requests } = harness([201]);
    await notes.createNote('Q1ABC', 'applied');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe('https://api.pagerduty.com/incidents/Q1ABC/notes');
    expect(requests[0]?.init.headers).toMatchObject({
      authorization: 'Token token=key-1',
      from: 'secops@example.com',
      accept: 'application/vnd.pagerduty+json;version=2',
    });
    expect(JSON.parse(String(requests[0]?.init.body))).toEqual({ note: { content: 'applied' } });
  });

  it('waits as a 429 asks and tries again; gives up after three attempts with the status', async () => {
    const retried = harness([429, 201]);
    await retried.notes.createNote('Q1', 'x');
    expect(retried.requests).toHaveLength(2);
    expect(retried.slept).toContain(2_000);
    const failing = harness([503, 503, 503, 503]);
    await expect(failing.notes.createNote('Q1', 'x')).rejects.toMatchObject({
      name: 'PagerDutyNoteError',
      code: 'PAGERDUTY_NOTE_FAILED',
    });
    expect(failing.requests).toHaveLength(3);
  });

  it('does not retry a refusal (400, 401, 404)', async () => {
    const { notes, requests } = harness([401]);
    await expect(notes.createNote('Q1', 'x')).rejects.toMatchObject({ retryable: false });
    expect(requests).toHaveLength(1);
  });

  it('keeps its pace: two notes at once go half a second apart', async () => {
    const { notes, slept } = harness([201, 201]);
    await notes.createNote('Q1', 'a');
    await notes.createNote('Q1', 'b');
    expect(slept).toEqual([500]);
  });
});
