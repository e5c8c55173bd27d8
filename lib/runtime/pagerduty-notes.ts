/**
 * PagerDuty's REST API, for the one call the automation makes: `POST /incidents/{id}/notes` with the API key read from
 * its SSM SecureString (kept in memory at most 5 minutes, never in an environment variable or a log) and `From`, the
 * PagerDuty user the note is written as. Paced (at most one note per `minIntervalMs` per environment: PagerDuty limits
 * an API key's requests per minute), and retried on 429 and 5xx (`Retry-After` honoured, at most 10 s) a bounded
 * number of times; then the caller reports it.
 */
import { AutomationError } from '../failure.js';
import type { IncidentNotes } from '../incident/handle-pagerduty.js';

/** PagerDuty refused the note, or could not be reached, after the retries. */
export class PagerDutyNoteError extends AutomationError {
  override name = 'PagerDutyNoteError';
  constructor(message: string, status: number) {
    super(message, { retryable: status === 429 || status >= 500, code: 'PAGERDUTY_NOTE_FAILED' });
  }
}

/** What the adapter needs: where, as whom, the key's reader, and (for tests) fetch, clock and sleep. */
export interface PagerDutyNotesOptions {
  readonly endpoint: string;
  readonly from: string;
  readonly apiKey: () => Promise<string | undefined>;
  readonly fetchImpl?: typeof fetch;
  readonly nowMs?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly attempts?: number;
  readonly minIntervalMs?: number;
}

/** Notes on PagerDuty incidents. */
export class PagerDutyNotes implements IncidentNotes {
  #nextAt = 0;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: PagerDutyNotesOptions) {
    this.#sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async #paced(): Promise<void> {
    const { nowMs = Date.now, minIntervalMs = 500 } = this.options;
    const wait = this.#nextAt - nowMs();
    this.#nextAt = Math.max(nowMs(), this.#nextAt) + minIntervalMs;
    if (wait > 0) await this.#sleep(wait);
  }

  async createNote(incidentId: string, content: string): Promise<void> {
    const { endpoint, from, fetchImpl = fetch, attempts = 3 } = this.options;
    const key = await this.options.apiKey();
    if (!key) throw new PagerDutyNoteError('No PagerDuty API key in its parameter', 401);
    const url = `${endpoint.replace(/\/$/, '')}/incidents/${encodeURIComponent(incidentId)}/notes`;
    let status = 0;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      await this.#paced();
      const response = await fetchImpl(url, {
        method: 'POST',
        headers: {
          authorization: `Token token=${key}`,
          from,
          accept: 'application/vnd.pagerduty+json;version=2',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ note: { content } }),
      }).catch(() => undefined);
      status = response?.status ?? 0;
      await response?.body?.cancel();
      if (response?.ok) return;
      if (status !== 0 && status !== 429 && status < 500) break;
      const retryAfter = Number(response?.headers.get('retry-after') ?? '');
      if (attempt < attempts)
        await this.#sleep(
          Math.min(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 2 ** attempt * 250, 10_000),
        );
    }
    throw new PagerDutyNoteError(
      `PagerDuty answered ${status || 'nothing'} to a note on incident ${incidentId}`,
      status,
    );
  }
}
