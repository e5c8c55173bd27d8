/**
 * What the steps of an HR reconcile share: an employee's result in a pass, the outcomes they report, batching, and
 * the look-ups more than one kind of step needs.
 */
import type { AppliedState, EmployeeRecord } from './employee-record.js';
import { remakeGroup, type WantedGroup } from './ensure-group.js';
import { normalizeName, templateFor } from './group-template.js';
import type { HrDeps } from './ports.js';

/** What became of one employee; ids and codes only. */
export interface EmployeeOutcome {
  readonly employeeId: string;
  readonly action:
    | 'created'
    | 'converged'
    | 'moved'
    | 'reactivated'
    | 'suspended'
    | 'deleted'
    | 'unchanged'
    | 'awaiting-onboarding'
    | 'absent'
    | 'already-gone'
    | 'refused'
    | 'not-adopted'
    | 'coalesced'
    /** Deprovisioning held by a safeguard: waits in `holdId` for a person. */
    | 'held';
  readonly userId?: string | undefined;
  readonly groupId?: string | undefined;
  readonly code?: string | undefined;
  readonly holdId?: string | undefined;
  /** An admin's change found on contact, and what the policy made of it. */
  readonly drift?: { readonly change: 'suspended' | 'deleted'; readonly decision: 'kept' | 'corrected' } | undefined;
}

/** One employee's result in a pass: settled with this applied state, or to go again (a group or user was gone). */
export type Result =
  | { readonly applied: AppliedState; readonly outcome: EmployeeOutcome }
  | { readonly again: AppliedState; readonly drift?: EmployeeOutcome['drift'] }
  | { readonly error: Error };

const batchLimit = 50;

/** A list in the API's batches of at most 50. */
export const chunks = <T>(items: readonly T[], size = batchLimit): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

/** The group an active record needs, with the template its audience maps to. */
export function wantedGroup(deps: HrDeps, record: EmployeeRecord): WantedGroup | undefined {
  const p = record.placement;
  if (p.state !== 'active') return undefined;
  const audience = { department: p.department, team: p.team, employmentType: p.employmentType };
  return {
    name: p.groupName,
    department: normalizeName(p.department),
    settings: templateFor(deps.hr.template, audience),
  };
}

/** A user's id by username (case-insensitive), or undefined. */
/**
 * An existing user a first import may take as an employee's (`hr.adoptExistingUsers`): found by username — but never
 * an administrator, nor an account `accessReview.exempt` names (service and break-glass accounts): those are the
 * network's own, and an HR fact naming one must not move or suspend it. Undefined when there is no such user.
 */
export async function adoptableUser(
  deps: HrDeps,
  networkId: string,
  username: string,
): Promise<{ readonly userId: string } | { readonly refused: 'ADMIN' | 'EXEMPT' } | undefined> {
  for await (const page of deps.wickr.paginateUsers({ networkId, username, maxResults: 100 })) {
    const user = page.users.find((u) => u.username?.toLowerCase() === username.toLowerCase());
    if (!user?.userId) continue;
    if (user.isAdmin) return { refused: 'ADMIN' };
    if (deps.neverAdopt?.(user.username ?? username)) return { refused: 'EXEMPT' };
    return { userId: user.userId };
  }
  return undefined;
}

/** A group Wickr says is gone: made again once, then the employee goes again. */
export async function remade(
  deps: HrDeps,
  networkId: string,
  record: EmployeeRecord,
  goneGroupId: string,
  again: AppliedState,
): Promise<Result> {
  const group = wantedGroup(deps, record);
  try {
    if (group) await remakeGroup(deps, networkId, group, goneGroupId);
    return { again };
  } catch (error) {
    return { error: error as Error };
  }
}
