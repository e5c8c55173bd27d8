import { createUsers } from './create-users.js';
import { type EmployeeStep, planEmployee } from './employee-plan.js';
import { basisOf, type EmployeeRecord } from './employee-record.js';
import { type EnsuredGroup, ensureGroups, type WantedGroup } from './ensure-group.js';
import { HrError, HrGroupCapError } from './errors.js';
import { guardLeavers, holdGroupCreations } from './hold-actions.js';
import { findLeavers, leave } from './leave-users.js';
import { placeUsers } from './place-users.js';
import type { HrDeps } from './ports.js';
import { type EmployeeOutcome, type Result, wantedGroup } from './reconcile-step.js';

export type { EmployeeOutcome } from './reconcile-step.js';

/** A reconcile of some employees of one network: their outcomes, and those that failed (to retry). */
export interface EmployeesReconciled {
  readonly outcomes: readonly EmployeeOutcome[];
  readonly failed: ReadonlyMap<string, Error>;
}

const maxPasses = 4;

/**
 * Brings the Wickr users of some employees of one network to their desired records, with the fewest calls: each
 * group they need is ensured once; joiners go 50 to a BatchCreateUser, leavers 50 to a suspend or delete, movers
 * one UpdateUser each; each user's entry in a batch answer is handled on its own. Records are claimed first (one
 * taken by another reconcile is left to it: that one sees the new fact when it gives the record back), and a
 * record a fact moved during the reconcile goes again.
 */
export async function reconcileEmployees(
  deps: HrDeps,
  networkId: string,
  employeeIds: readonly string[],
): Promise<EmployeesReconciled> {
  const outcomes: EmployeeOutcome[] = [];
  const failed = new Map<string, Error>();
  const read = await deps.records.getMany(networkId, [...new Set(employeeIds)]);
  // An approved hold's employees are due again though their facts did not move: the approval is the news.
  const approved = (r: EmployeeRecord) => deps.approvedHold !== undefined && r.applied?.held === deps.approvedHold;
  const due = read.filter((r) => basisOf(r) !== r.applied?.basis || approved(r));
  for (const r of read) if (!due.includes(r)) outcomes.push({ employeeId: r.employeeId, action: 'unchanged' });
  let work: EmployeeRecord[] = [];
  const until = deps.clock.now() + deps.clock.remainingMs();
  for (const r of due) {
    const claimed = await deps.records.claim(networkId, r.employeeId, deps.holder, until, deps.clock.now());
    if (claimed) work.push(claimed);
    else outcomes.push({ employeeId: r.employeeId, action: 'coalesced' });
  }
  const drifts = new Map<string, EmployeeOutcome['drift']>();
  for (let pass = 0; work.length > 0; pass++) {
    const results = await reconcilePass(deps, networkId, work);
    const next: EmployeeRecord[] = [];
    for (const record of work) {
      const result = results.get(record.employeeId) ?? { error: new HrError('no result') };
      if ('error' in result) {
        failed.set(record.employeeId, result.error);
        await deps.records.abandon(networkId, record.employeeId, deps.holder).catch(() => undefined);
        continue;
      }
      if ('again' in result) {
        if (result.drift) drifts.set(record.employeeId, result.drift);
        if (pass + 1 >= maxPasses)
          failed.set(record.employeeId, new HrError('did not settle within the passes allowed'));
        else next.push({ ...record, applied: result.again });
        continue;
      }
      // A hold is noted only by the pass that made it; any other result means the employee moved on from it.
      const held = result.outcome.action === 'held' ? result.applied.held : undefined;
      const applied = { ...result.applied, held, basis: basisOf(record) };
      const released = await deps.records.release(record, deps.holder, applied);
      if (released === 'moved') {
        const fresh = await deps.records.get(networkId, record.employeeId);
        if (fresh) next.push({ ...fresh, applied });
        continue;
      }
      const drift = result.outcome.drift ?? drifts.get(record.employeeId);
      outcomes.push(drift ? { ...result.outcome, drift } : result.outcome);
      if ((result.outcome.action === 'awaiting-onboarding' || result.outcome.action === 'absent') && !record.identity) {
        // Reported as unmatched if no onboarding arrives within the grace period.
        if (record.applied?.status !== 'absent' && record.applied?.status !== 'unmatched') {
          await deps.followUp.send(
            { kind: 'unmatched-check', networkId, employeeId: record.employeeId, version: record.version },
            deps.hr.unmatchedGraceMinutes * 60,
          );
        }
      }
    }
    work = next;
  }
  return { outcomes, failed };
}

async function reconcilePass(
  deps: HrDeps,
  networkId: string,
  records: readonly EmployeeRecord[],
): Promise<Map<string, Result>> {
  const results = new Map<string, Result>();
  const rules = { leaver: deps.hr.leaver, adoptExistingUsers: deps.hr.adoptExistingUsers };
  const steps = records.map((record) => ({ record, step: planEmployee(record, rules) }));
  const wanted = new Map<string, WantedGroup>();
  for (const { record, step } of steps) {
    const group = wantedGroup(deps, record);
    if (!group || !(step.kind === 'create' || (step.kind === 'place' && step.move))) continue;
    // An operator approved this employee's group past the cap: it may be created beyond it.
    const approved = deps.approvedHold !== undefined && record.applied?.held === deps.approvedHold;
    wanted.set(group.name, approved || wanted.get(group.name)?.beyondCap ? { ...group, beyondCap: true } : group);
  }
  let groups = new Map<string, EnsuredGroup>();
  const groupFailures = new Map<string, Error>();
  try {
    groups = await ensureGroups(deps, networkId, [...wanted.values()], groupFailures);
  } catch (error) {
    // The listing failed: all who need a group wait for the next delivery; the others go on.
    for (const name of wanted.keys()) groupFailures.set(name, error as Error);
  }
  const capped: { record: EmployeeRecord; groupName: string }[] = [];
  for (const { record, step } of steps) {
    const groupName = wantedGroup(deps, record)?.name ?? '';
    const failure = groupFailures.get(groupName);
    if (!failure || !(step.kind === 'create' || (step.kind === 'place' && step.move))) continue;
    if (failure instanceof HrGroupCapError) capped.push({ record, groupName });
    else results.set(record.employeeId, { error: failure });
  }
  await holdGroupCreations(deps, networkId, capped, results);
  const groupOf = (name: string) => groups.get(name)?.groupId;
  const pending = steps.filter(({ record }) => !results.has(record.employeeId));
  const of = <K extends EmployeeStep['kind']>(kind: K) =>
    pending.filter(
      (s): s is { record: EmployeeRecord; step: Extract<EmployeeStep, { kind: K }> } => s.step.kind === kind,
    );

  for (const { record, step } of of('settle')) {
    results.set(record.employeeId, {
      applied: step.applied,
      outcome: { employeeId: record.employeeId, action: step.note, userId: step.applied.userId },
    });
  }
  const leavers = [...of('suspend'), ...of('delete')].map(({ record, step }) => ({ record, userId: step.userId }));
  await findLeavers(deps, networkId, of('find-and-leave'), leavers, results);
  await createUsers(deps, networkId, of('create'), of('replay-create'), groupOf, results);
  await leave(deps, networkId, await guardLeavers(deps, networkId, leavers, results), results);
  await placeUsers(deps, networkId, of('place'), groupOf, results);
  return results;
}
