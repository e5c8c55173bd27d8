/**
 * A roster row, read as the HR fact it states: `status active` is the employee onboarded (or moved) into the row's
 * department, `left` is their offboarding — each at the row's `updatedAt`, never later than the snapshot, checked
 * with the same schemas as the HR events so a row is refused for the same reasons, field by field.
 */
import { HrFactEvent } from '../events/hr-events.js';
import { fieldIssues } from '../schema-issues.js';
import type { RawRecord } from './roster-records.js';

/** The columns a roster may have; the header (or a JSON line's keys) may name no other. */
export const rosterColumns = [
  'employeeId',
  'username',
  'firstName',
  'lastName',
  'department',
  'team',
  'employmentType',
  'status',
  'updatedAt',
] as const;
export type RosterColumn = (typeof rosterColumns)[number];
const required: readonly RosterColumn[] = ['employeeId', 'username', 'department', 'status'];

/** One problem of a row: where, which field, which rule; never the value. */
export interface RowIssue {
  readonly line: number;
  readonly field: string;
  readonly reason: string;
}

/** Why a CSV header is not a roster's, or undefined when it is. */
export function headerProblem(header: readonly string[]): string | undefined {
  const names = header.map((h) => h.trim());
  const unknown = names.filter((n) => !(rosterColumns as readonly string[]).includes(n));
  if (unknown.length > 0) {
    return `unknown column ${JSON.stringify(unknown[0]?.slice(0, 40))} (columns: ${rosterColumns.join(', ')})`;
  }
  const missing = required.filter((r) => !names.includes(r));
  if (missing.length > 0) return `missing column ${missing.join(', ')}`;
  if (new Set(names).size !== names.length) return 'a column appears twice';
  return undefined;
}

/** The snapshot a row belongs to: its time (the file's), a tag for its facts' ids, and the envelope's origin. */
export interface SnapshotContext {
  readonly time: string;
  readonly tag: string;
  readonly source: string;
  readonly account: string;
  readonly region: string;
}

/** A record's values by column: a CSV record by the header, a JSON line as it is (strings only). */
function valuesOf(
  record: RawRecord,
  columns: readonly string[],
): { readonly values: Record<string, string> } | { readonly issue: RowIssue } {
  const values: Record<string, string> = {};
  if (record.fields) {
    if (record.fields.length !== columns.length) {
      const reason = `has ${record.fields.length} fields, the header ${columns.length}`;
      return { issue: { line: record.line, field: '(row)', reason } };
    }
    columns.forEach((column, i) => {
      const value = (record.fields?.[i] ?? '').trim();
      if (value !== '') values[column.trim()] = value;
    });
    return { values };
  }
  for (const [key, value] of Object.entries(record.object ?? {})) {
    if (!(rosterColumns as readonly string[]).includes(key)) {
      return { issue: { line: record.line, field: key.slice(0, 40), reason: 'is not a roster column' } };
    }
    if (value === null || value === undefined || value === '') continue;
    if (typeof value !== 'string') return { issue: { line: record.line, field: key, reason: 'must be a string' } };
    values[key] = value.trim();
  }
  return { values };
}

/** The HR fact a record states, or its problems (line, field, rule). */
export function factEventOfRow(
  record: RawRecord,
  columns: readonly string[],
  snapshot: SnapshotContext,
): { readonly event: HrFactEvent } | { readonly issues: readonly RowIssue[] } {
  if (record.problem) return { issues: [{ line: record.line, field: '(row)', reason: record.problem }] };
  const read = valuesOf(record, columns);
  if ('issue' in read) return { issues: [read.issue] };
  const { values } = read;
  const issues: RowIssue[] = [];
  const { status, updatedAt, employeeId, username, firstName, lastName, department, team, employmentType } = values;
  if (status !== 'active' && status !== 'left') {
    issues.push({ line: record.line, field: 'status', reason: 'must be active or left' });
  }
  let time = snapshot.time;
  if (updatedAt !== undefined) {
    const ms = Date.parse(updatedAt);
    if (!/^\d{4}-\d\d-\d\dT/.test(updatedAt) || Number.isNaN(ms)) {
      issues.push({ line: record.line, field: 'updatedAt', reason: 'must be an ISO 8601 date-time' });
    } else if (ms < Date.parse(snapshot.time)) {
      // A row is as of its own change at the latest: never later than the snapshot that lists it.
      time = new Date(ms).toISOString();
    }
  }
  if (issues.length > 0) return { issues };
  const left = status === 'left';
  const detail = left
    ? { employeeId, username }
    : { employeeId, username, firstName, lastName, department, team, employmentType };
  const parsed = HrFactEvent.safeParse({
    version: '0',
    id: `roster-${snapshot.tag}-${record.line}`,
    'detail-type': left ? 'Employee Offboarded' : 'Employee Onboarded',
    source: snapshot.source,
    account: snapshot.account,
    time,
    region: snapshot.region,
    resources: [],
    detail: Object.fromEntries(Object.entries(detail).filter(([, v]) => v !== undefined)),
  });
  if (parsed.success) return { event: parsed.data };
  return {
    issues: fieldIssues(parsed.error.issues).map((i) => ({
      line: record.line,
      field: i.field.replace(/^detail\./, ''),
      reason: i.reason,
    })),
  };
}
