/**
 * The PagerDuty REST stand-in: `POST /incidents/{id}/notes` as PagerDuty documents it (REST API v2: `Authorization:
 * Token token=…`, a `From` header naming a user, body `{"note":{"content":…}}` → 201 with the note), each note kept
 * for tests to read (`GET /_local/pagerduty/notes` on the bus). A test may have the next requests answered 429 (with
 * `Retry-After`) or 5xx (`POST /_local/pagerduty/faults`). Not emulated: whether the key or the user exist (any
 * non-empty ones are taken, and recorded), incidents (any id is one), rate limits beyond the faults a test asks for.
 */
import { randomUUID } from 'node:crypto';

/** A note as the stand-in took it. */
export interface TakenNote {
  readonly incidentId: string;
  readonly content: string;
  readonly from: string;
  readonly token: string;
  readonly at: string;
}

/** An answer: status, headers and JSON body. */
export interface RestAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body: unknown;
}

const notePath = /^\/pagerduty\/incidents\/([A-Za-z0-9]{1,32})\/notes$/;

export class PagerDutyRestStandIn {
  readonly notes: TakenNote[] = [];
  #faults: number[] = [];

  /** Whether a request is the stand-in's. */
  static serves(pathname: string): boolean {
    return pathname.startsWith('/pagerduty/');
  }

  /** The next `count` note requests are answered `status`. */
  fail(status: number, count: number): void {
    this.#faults.push(...Array.from({ length: Math.min(count, 100) }, () => status));
  }

  /** Answers one request to PagerDuty's REST API. */
  handle(method: string, pathname: string, headers: Record<string, string | string[] | undefined>, raw: string) {
    const match = notePath.exec(pathname);
    if (method !== 'POST' || !match) return error(404, 'Not Found');
    const token = /^Token token=(\S{1,200})$/.exec(String(headers.authorization ?? ''))?.[1];
    if (!token) return error(401, 'Unauthorized');
    const from = String(headers.from ?? '');
    if (!/^[^\s@]{1,64}@[^\s@]{1,190}$/.test(from)) return error(400, 'Requester User Not Found');
    const fault = this.#faults.shift();
    if (fault)
      return {
        ...error(fault, fault === 429 ? 'Rate Limit Exceeded' : 'Internal Error'),
        headers: { 'retry-after': '1' },
      };
    const content = (JSON.parse(raw || '{}') as { note?: { content?: unknown } }).note?.content;
    if (typeof content !== 'string' || content.length === 0 || content.length > 25_000) {
      return error(400, 'Invalid Input Provided');
    }
    const note: TakenNote = { incidentId: match[1] as string, content, from, token, at: new Date().toISOString() };
    this.notes.push(note);
    return {
      status: 201,
      body: { note: { id: randomUUID().slice(0, 14).toUpperCase(), content, created_at: note.at } },
    };
  }
}

const error = (status: number, message: string): RestAnswer => ({ status, body: { error: { message, code: status } } });
