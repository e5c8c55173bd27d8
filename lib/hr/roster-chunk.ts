/**
 * One chunk of an accepted roster snapshot, taken from the HR queue: its rows read again from their byte range and
 * recorded as the employees' facts at the snapshot's time; those whose Wickr user then needs a change are
 * reconciled with the batch.
 */
import { mapSettled } from '../concurrency.js';
import type { RosterChunkMessage } from '../events/roster-events.js';
import { AggregateFailure } from '../failure.js';
import { factOf } from './employee-fact.js';
import { planEmployee } from './employee-plan.js';
import type { EmployeeRecord } from './employee-record.js';
import { HrError } from './errors.js';
import { destinationOf } from './fact-destination.js';
import type { HrDeps } from './ports.js';
import { type RosterIntake, recordsOf, rosterPrefix } from './roster-intake.js';
import { factEventOfRow, type SnapshotContext } from './roster-row.js';

// DynamoDB writes of one chunk in flight at once: well under a table's per-partition rate.
const recordsInFlight = 16;

/**
 * One chunk: its rows read again from their byte range and recorded as facts at the snapshot's time. The employees
 * to reconcile are those the planner would act on in Wickr now: an identical snapshot records its facts and
 * costs no Wickr request.
 */
export async function takeRosterChunk(
  deps: HrDeps,
  intake: RosterIntake,
  chunk: RosterChunkMessage,
): Promise<{ networkId: string; employeeIds: string[]; recorded: number }> {
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
  // Each employee's record is written on its own (a conditional write per fact): several in flight at once.
  const rules = { leaver: deps.hr.leaver, adoptExistingUsers: deps.hr.adoptExistingUsers };
  const settled = await mapSettled(facts, recordsInFlight, async (fact) => {
    const record: EmployeeRecord | undefined = before.get(fact.employeeId);
    const recorded = await deps.records.recordFact(fact);
    // The record as it now stands: to be reconciled only if the planner would do something in Wickr for it — a
    // row that restates what was applied (an identical snapshot) costs no request and no claim.
    const base: EmployeeRecord = record ?? { ...fact, factTime: fact.time };
    const now: EmployeeRecord = {
      ...base,
      ...(recorded.placement ? { version: fact.version, placement: fact.placement } : {}),
      ...(recorded.identity ? { identity: fact.identity } : {}),
    };
    return planEmployee(now, rules).kind === 'settle' ? undefined : fact.employeeId;
  });
  const failed = settled.filter((r) => r.status === 'rejected').map((r) => r.reason as Error);
  if (failed.length > 0) throw new AggregateFailure(`${failed.length} roster rows not recorded`, failed);
  const employeeIds = settled.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []));
  return { networkId: chunk.networkId, employeeIds, recorded: facts.length };
}
