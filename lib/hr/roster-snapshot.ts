/**
 * A roster snapshot: a file of the whole workforce, uploaded to the stack's bucket under `roster/`. Its upload
 * is read twice. First whole, streamed: is it a roster at all (its format, header, size, share of bad rows), which
 * rows are bad (line, field, rule), which people the project provisioned it no longer lists — those become one
 * hold for a person, never deprovisioned by the file alone — and where its chunks of rows start. Then each chunk
 * on its own, through the HR queue: its rows recorded as the employees' facts at the snapshot's time (a row older
 * than a recorded fact changes nothing) and the employees whose records changed reconciled with the others.
 */
import type { RosterChunkMessage, RosterObjectCreated } from '../events/roster-events.js';
import { HrInputError } from './errors.js';
import { destinationOf } from './fact-destination.js';
import type { HrDeps } from './ports.js';
import {
  formatOf,
  maxInvalidShare,
  maxRosterBytes,
  type RosterFormat,
  type RosterIntake,
  recordsOf,
  rowsPerChunk,
} from './roster-intake.js';
import { holdMissing, missingFrom } from './roster-missing.js';
import type { RawRecord } from './roster-records.js';
import { factEventOfRow, headerProblem, type RowIssue, type SnapshotContext } from './roster-row.js';

/** What the first reading of a snapshot concluded. */
export type SnapshotVerdict =
  | { readonly accepted: false; readonly reason: string; readonly issues: readonly RowIssue[] }
  | {
      readonly accepted: true;
      readonly rows: number;
      readonly invalid: number;
      readonly issues: readonly RowIssue[];
      readonly chunks: number;
      readonly missing: number;
      readonly holdId?: string | undefined;
    };

const refused = (reason: string, issues: readonly RowIssue[] = []): SnapshotVerdict => ({
  accepted: false,
  reason,
  issues,
});

/** The network a roster is about: `sources.roster.networkId`, else the HR default (one network's workforce). */
function rosterNetwork(deps: HrDeps, intake: RosterIntake): string {
  const networkId = intake.networkId ?? deps.hr.defaultNetworkId ?? deps.networkIds[0];
  if (!networkId || !deps.networkIds.includes(networkId)) {
    throw new HrInputError('sources.roster.networkId', `network ${networkId} is not in the policy file`);
  }
  return networkId;
}

/**
 * The first reading: the whole file streamed once, nothing but ids and chunk offsets kept. Refused files change
 * nothing; accepted ones send their chunks to the HR queue and hold the people they no longer list.
 */
export async function takeRosterSnapshot(
  deps: HrDeps,
  intake: RosterIntake,
  event: RosterObjectCreated,
): Promise<SnapshotVerdict> {
  const { bucket, object } = event.detail;
  const format = formatOf(object.key);
  const networkId = rosterNetwork(deps, intake);
  const location = { bucket: bucket.name, key: object.key, versionId: object['version-id'] };
  // The snapshot is as of when S3 stored this version, and as large as S3 says: an event replayed later, or
  // claiming another size, cannot make an old file's rows new.
  const stored = format ? await intake.objects.head(location) : undefined;
  const snapshot: SnapshotContext = {
    time: stored?.lastModified ?? new Date(event.time).toISOString(),
    tag: (object.etag ?? object['version-id'] ?? event.id).replace(/[^A-Za-z0-9]/g, '').slice(0, 16),
    source: intake.source,
    account: intake.account ?? event.account,
    region: intake.region,
  };
  const verdict = await (async (): Promise<SnapshotVerdict> => {
    if (!format || !stored) return refused('not a roster: the key must end in .csv, .jsonl or .ndjson');
    if (stored.size > maxRosterBytes) return refused(`not a roster: ${stored.size} bytes, more than 50 MB`);
    const read = await readWhole(deps, format, intake.objects.read(location), snapshot, networkId);
    if ('reason' in read) return refused(read.reason, read.issues);
    for (const chunk of read.chunks) {
      const message: RosterChunkMessage = {
        kind: 'roster-chunk',
        bucket: bucket.name,
        key: object.key,
        versionId: object['version-id'],
        tag: snapshot.tag,
        snapshotTime: snapshot.time,
        networkId,
        format,
        columns: [...read.columns],
        ...chunk,
      };
      await deps.followUp.send(message, 0);
    }
    const missing = await missingFrom(deps, networkId, read.ids);
    const holdId = missing.length > 0 ? await holdMissing(deps, networkId, snapshot, missing) : undefined;
    return {
      accepted: true,
      rows: read.rows,
      invalid: read.invalid,
      issues: read.issues,
      chunks: read.chunks.length,
      missing: missing.length,
      holdId,
    };
  })();
  const where = { networkId, key: object.key, versionId: object['version-id'] };
  if (!verdict.accepted) {
    deps.logger.warn('Roster refused', { ...where, reason: verdict.reason });
    deps.metrics?.add('RostersRefused', 1);
    await deps.publisher.publish('Wickr Roster Refused', { ...where, reason: verdict.reason, issues: verdict.issues });
    return verdict;
  }
  const { issues, ...figures } = verdict;
  deps.logger.info('Roster accepted', { ...where, ...figures });
  deps.metrics?.add('RostersAccepted', 1);
  await deps.publisher.publish('Wickr Roster Accepted', { ...where, ...figures, issues });
  return verdict;
}

type WholeRead =
  | { readonly reason: string; readonly issues: readonly RowIssue[] }
  | {
      readonly columns: readonly string[];
      readonly rows: number;
      readonly invalid: number;
      readonly issues: readonly RowIssue[];
      readonly ids: ReadonlySet<string>;
      readonly chunks: readonly { start: number; end: number; line: number }[];
    };

// Bad rows reported by line and field, up to this many (the count is always whole).
const reportedIssues = 50;

async function readWhole(
  deps: HrDeps,
  format: RosterFormat,
  bytes: AsyncIterable<Uint8Array>,
  snapshot: SnapshotContext,
  networkId: string,
): Promise<WholeRead> {
  let columns: readonly string[] = [];
  const ids = new Set<string>();
  const issues: RowIssue[] = [];
  const chunks: { start: number; end: number; line: number }[] = [];
  let rows = 0;
  let invalid = 0;
  let first = true;
  for await (const record of recordsOf(format, bytes)) {
    if (first && format === 'csv') {
      first = false;
      const problem = record.fields ? headerProblem(record.fields) : (record.problem ?? 'no header');
      if (problem) return { reason: `not a roster: the header has ${problem}`, issues: [] };
      columns = record.fields?.map((f) => f.trim()) ?? [];
      continue;
    }
    first = false;
    if (rows % rowsPerChunk === 0) chunks.push({ start: record.start, end: record.end, line: record.line });
    const chunk = chunks.at(-1);
    if (chunk) chunk.end = record.end;
    rows++;
    const problems = rowProblems(deps, record, columns, snapshot, networkId, ids);
    if (problems.length > 0) {
      invalid++;
      if (issues.length < reportedIssues) issues.push(...problems.slice(0, reportedIssues - issues.length));
    }
  }
  if (rows === 0) return { reason: 'not a roster: it has no rows', issues: [] };
  if (invalid > rows * maxInvalidShare) {
    return { reason: `not a roster: ${invalid} of ${rows} rows are invalid (more than 20 %)`, issues };
  }
  return { columns, rows, invalid, issues, ids, chunks };
}

/** A row's problems; a good row's employee id joins the snapshot's (a second row for one id is refused). */
function rowProblems(
  deps: HrDeps,
  record: RawRecord,
  columns: readonly string[],
  snapshot: SnapshotContext,
  networkId: string,
  ids: Set<string>,
): RowIssue[] {
  const read = factEventOfRow(record, columns, snapshot);
  if ('issues' in read) return [...read.issues];
  const { employeeId } = read.event.detail;
  if (ids.has(employeeId)) return [{ line: record.line, field: 'employeeId', reason: 'appears in an earlier row' }];
  try {
    destinationOf(read.event, deps, networkId);
  } catch (error) {
    const { field, reason } = error as { field?: string; reason?: string };
    return [{ line: record.line, field: (field ?? '(row)').replace(/^detail\./, ''), reason: reason ?? 'refused' }];
  }
  ids.add(employeeId);
  return [];
}
