/** An access review's report: one row per account, as CSV for the auditor and JSON for tools — the same rows. */
import { type ReviewClass, type ReviewVerdict, reviewClasses } from './review-class.js';
import type { BotRow, GuestRow } from './review-guests-bots.js';

/** One reviewed account. */
export interface ReviewRow extends ReviewVerdict {
  readonly userId: string;
  readonly username: string;
  /** Whether Wickr suspends the account (a pending invitation can be suspended too). */
  readonly state: 'active' | 'suspended';
  /** Its invitation: accepted, pending (a way in), or expired. */
  readonly invitation: 'accepted' | 'pending' | 'expired';
  readonly admin: boolean;
  /** `;`-separated group ids. */
  readonly groups: string;
  readonly employeeId: string;
  /** ISO date of the last sign-in (GetUser's `lastLogin`, else `lastActivity`); empty when not asked or none. */
  readonly lastSignIn: string;
}

/** The columns, in order: the CSV's header and the JSON rows' members. */
export const reportColumns = [
  'userId',
  'username',
  'class',
  'evidence',
  'state',
  'invitation',
  'admin',
  'groups',
  'employeeId',
  'lastSignIn',
] as const satisfies readonly (keyof ReviewRow)[];

/** How many accounts fall in each class (every class present, zeros included). */
export type ReviewCounts = Record<ReviewClass, number>;

/** The counts of a set of rows. */
export function countsOf(rows: Iterable<Pick<ReviewRow, 'class'>>): ReviewCounts {
  const counts = Object.fromEntries(reviewClasses.map((c) => [c, 0])) as ReviewCounts;
  for (const row of rows) counts[row.class]++;
  return counts;
}

// A spreadsheet runs a cell that starts like a formula, and a username is the account holder's to choose. Where the
// locale separates cells with `;` (or a tab), `x;=HYPERLINK(…)` is two cells, the second a formula: every trigger
// that starts a cell in any locale — at the start, or after `,` `;` a tab or a line break — is defused with `'`
// (the JSON report keeps the value exactly).
const formulaTrigger = /(^|[,;\t\r\n])(\s*)([=+\-@])/g;

function cell(value: string | boolean): string {
  const safe = String(value).replace(formulaTrigger, "$1$2'$3");
  return /[",;\t\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The rows as CSV (RFC 4180: CRLF, quoted where needed), formula-looking cells defused with a leading `'`. */
export function csvOf(rows: readonly ReviewRow[]): string {
  const lines = [reportColumns.join(',')];
  for (const row of rows) lines.push(reportColumns.map((c) => cell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** What a run of one network produced. */
export interface ReviewReport {
  readonly runId: string;
  readonly networkId: string;
  readonly startedAt: string;
  readonly completedAt: string;
  readonly inactiveDays?: number | undefined;
  readonly counts: ReviewCounts;
  readonly rows: readonly ReviewRow[];
  /** The guests the network saw, and its bots with their classes: sections of their own. */
  readonly guests?: readonly GuestRow[] | undefined;
  readonly bots?: readonly BotRow[] | undefined;
}

/** Where a run's objects live in the reports bucket: by network and date, so a lifecycle or an auditor finds them. */
export const reportKeys = (networkId: string, startedAt: string, runId: string) => {
  const stem = `access-reviews/${networkId}/${startedAt.slice(0, 10)}/${runId}`;
  return {
    csv: `${stem}.csv`,
    json: `${stem}.json`,
    part: (seq: number) => `access-review-parts/${networkId}/${runId}/${String(seq).padStart(5, '0')}.json`,
  };
};
