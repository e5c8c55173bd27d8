/**
 * What the HR consumer answers: each HR or Okta fact once, naming its event id (what became of its employee, or why
 * nobody), and each roster chunk when its rows took effect — the outcome events `send` and `ops` wait for.
 */
import type { OutcomeType } from '../outcomes.js';
import type { HrDeps } from './ports.js';
import type { EmployeeOutcome } from './reconcile-employees.js';

type Employee = { readonly networkId: string; readonly employeeId: string };

/** The roster chunk a message carried: where it came from and how many rows it recorded, for its outcome. */
export type ChunkTaken = {
  networkId: string;
  key: string;
  versionId?: string | undefined;
  start: number;
  recorded: number;
};

/** An HR fact's event (an HR system's or Okta's), for its one answer: the employee it is about, or why none. */
export type FactTaken = { eventId: string; groupName?: string | undefined; ignored?: string };

/** Each reconcile action, as the answer to the fact that led to it says it (the outcome table's verdicts). */
const answerOf: Record<EmployeeOutcome['action'], OutcomeType> = {
  created: 'Wickr Employee Fact Applied',
  converged: 'Wickr Employee Fact Applied',
  moved: 'Wickr Employee Fact Applied',
  reactivated: 'Wickr Employee Fact Applied',
  suspended: 'Wickr Employee Fact Applied',
  deleted: 'Wickr Employee Fact Applied',
  unchanged: 'Wickr Employee Fact Unchanged',
  'awaiting-onboarding': 'Wickr Employee Fact Unchanged',
  absent: 'Wickr Employee Fact Unchanged',
  'already-gone': 'Wickr Employee Fact Unchanged',
  coalesced: 'Wickr Employee Fact Unchanged',
  held: 'Wickr Employee Fact Held',
  refused: 'Wickr Employee Fact Refused',
  'not-adopted': 'Wickr Employee Fact Refused',
};

/**
 * The one answer to an HR fact, naming its event id: what became of its employee in Wickr (applied, unchanged,
 * held and the hold, refused and why), or ignored and why (an Okta event about nobody this deployment manages).
 */
export async function answerFact(
  deps: Pick<HrDeps, 'publisher'>,
  fact: FactTaken,
  employee: Employee | undefined,
  actions: ReadonlyMap<string, EmployeeOutcome>,
) {
  if (fact.ignored !== undefined || !employee) {
    await deps.publisher.publish('Wickr Employee Fact Ignored', {
      eventId: fact.eventId,
      reason: fact.ignored ?? 'no employee',
    });
    return;
  }
  const outcome = actions.get(`${employee.networkId}/${employee.employeeId}`);
  const action = outcome?.action ?? 'unchanged';
  await deps.publisher.publish(answerOf[action], {
    eventId: fact.eventId,
    ...employee,
    action,
    ...(outcome?.groupId ? { groupId: outcome.groupId } : {}),
    ...(fact.groupName && outcome?.groupId ? { groupName: fact.groupName } : {}),
    ...(outcome?.holdId ? { holdId: outcome.holdId } : {}),
    ...(outcome?.code ? { code: outcome.code } : {}),
  });
}

/**
 * A roster chunk done: the rows it recorded and what became of the employees it changed, by action (ids stay in
 * `Wickr Users Reconciled`), so whoever uploaded the roster learns when its rows took effect.
 */
export async function reportChunk(
  deps: Pick<HrDeps, 'publisher'>,
  chunk: ChunkTaken,
  employees: readonly Employee[],
  actions: ReadonlyMap<string, EmployeeOutcome>,
) {
  const byAction: Record<string, number> = {};
  for (const e of employees) {
    const action = actions.get(`${e.networkId}/${e.employeeId}`)?.action ?? 'unchanged';
    byAction[action] = (byAction[action] ?? 0) + 1;
  }
  await deps.publisher.publish('Wickr Roster Chunk Applied', {
    networkId: chunk.networkId,
    key: chunk.key,
    ...(chunk.versionId ? { versionId: chunk.versionId } : {}),
    start: chunk.start,
    recorded: chunk.recorded,
    actions: byAction,
  });
}
