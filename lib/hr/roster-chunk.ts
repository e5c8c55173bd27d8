/**
 * One chunk of an accepted roster snapshot, taken from the HR queue: its rows read again from their byte range and
 * recorded as the employees' facts at the snapshot's time.
 */
import type { RosterChunkMessage } from '../events/roster-events.js';
import { factOf, type Identity, type Placement } from './employee-fact.js';
import { basisOf, type EmployeeRecord } from './employee-record.js';
import { HrError } from './errors.js';
import { destinationOf } from './fact-destination.js';
import type { HrDeps } from './ports.js';
import { type RosterIntake, recordsOf, rosterPrefix } from './roster-intake.js';
import { factEventOfRow, type SnapshotContext } from './roster-row.js';

const samePlacement = (a: Placement, b: Placement) =>
  a.state === b.state && (a.state === 'left' || (b.state === 'active' && a.groupName === b.groupName));
const sameIdentity = (a: Identity | undefined, b: Identity | undefined) =>
  a?.username === b?.username && a?.firstName === b?.firstName && a?.lastName === b?.lastName;

/**
 * One chunk: its rows read again from their byte range and recorded as facts at the snapshot's time. The employees
 * to reconcile are those whose record this changed (placement or identity), or whose record was never brought to
 * its facts: an identical snapshot records its facts and costs no Wickr request.
 */
export async function takeRosterChunk(
  deps: HrDeps,
  intake: RosterIntake,
  chunk: RosterChunkMessage,
): Promise<{ networkId: string; employeeIds: string[] }> {
  if (chunk.bucket !== intake.bucket || !chunk.key.startsWith(rosterPrefix)) {
    throw new HrError('a roster chunk must name the roster bucket and prefix', {
      retryable: false,
      code: 'ROSTER_ELSEWHERE',
    });
  }
  const snapshot: SnapshotContext = {
    time: chunk.snapshotTime,
    tag: chunk.tag,
    source: intake.source,
    account: intake.account ?? '',
    region: intake.region,
  };
  const bytes = intake.objects.read(chunk, { start: chunk.start, end: chunk.end });
  const facts = [];
  const seen = new Set<string>();
  for await (const record of recordsOf(chunk.format, bytes, chunk.start, chunk.line)) {
    const read = factEventOfRow(record, chunk.columns, snapshot);
    // Bad rows were reported when the snapshot was read whole; here they are skipped.
    if ('issues' in read || seen.has(read.event.detail.employeeId)) continue;
    let groupName: string | undefined;
    try {
      groupName = destinationOf(read.event, deps, chunk.networkId).groupName;
    } catch {
      continue;
    }
    seen.add(read.event.detail.employeeId);
    facts.push(factOf(read.event, chunk.networkId, groupName, true));
  }
  const before = new Map(
    (await deps.records.getMany(chunk.networkId, [...seen])).map((r) => [r.employeeId, r] as const),
  );
  const employeeIds: string[] = [];
  for (const fact of facts) {
    const record: EmployeeRecord | undefined = before.get(fact.employeeId);
    const recorded = await deps.records.recordFact(fact);
    const unfinished = !record || record.applied?.basis !== basisOf(record);
    // A row older than the recorded fact changed nothing; one that restates the record needs no Wickr request.
    const changed =
      (recorded.placement && !samePlacement(record?.placement ?? { state: 'left' }, fact.placement)) ||
      (recorded.identity && !sameIdentity(record?.identity, fact.identity));
    if (unfinished || changed) employeeIds.push(fact.employeeId);
  }
  return { networkId: chunk.networkId, employeeIds };
}
