import type { Identity } from './employee-fact.js';
import type { AppliedState, EmployeeRecord, PendingCreate } from './employee-record.js';

/** What one employee needs, from their desired record and what was applied. */
export type EmployeeStep =
  /** Nothing in Wickr: the record is reconciled as it stands. */
  | { readonly kind: 'settle'; readonly applied: AppliedState; readonly note: EmployeeNote }
  /** A user to create in the group. */
  | { readonly kind: 'create'; readonly groupName: string; readonly identity: Identity }
  /** A create whose answer was lost: the same request again, whose answer says whether the user is ours. */
  | { readonly kind: 'replay-create'; readonly pending: PendingCreate }
  /** Our user, into the group (UpdateUser), reactivated when we had suspended them. */
  | {
      readonly kind: 'place';
      readonly userId: string;
      readonly groupName: string;
      readonly move: boolean;
      readonly reactivate: boolean;
    }
  /** Our user, suspended or deleted. */
  | { readonly kind: 'suspend'; readonly userId: string }
  | { readonly kind: 'delete'; readonly userId: string }
  /** A user to adopt (`hr.adoptExistingUsers`): found by username, then left. */
  | { readonly kind: 'find-and-leave'; readonly identity: Identity };

/** Why a record changes nothing in Wickr. */
export type EmployeeNote = 'unchanged' | 'awaiting-onboarding' | 'absent' | 'already-gone';

/** How the HR section shapes the plan. */
export interface PlanRules {
  readonly leaver: 'suspend' | 'delete';
  readonly adoptExistingUsers: boolean;
}

const settle = (applied: AppliedState, note: EmployeeNote): EmployeeStep => ({ kind: 'settle', applied, note });

/**
 * The step that brings one employee's Wickr user to their desired record. Pure: the reconcile applies it. A user
 * is acted on only if this deployment made them (an answer of Wickr named them: the applied state holds their id),
 * or found by username where the policy allows adopting. A create whose answer was lost is replayed first, whatever
 * the record now wants: only its answer can say whether the user is ours.
 */
export function planEmployee(record: EmployeeRecord, rules: PlanRules): EmployeeStep {
  const applied: AppliedState = record.applied ?? { status: 'absent' };
  const placement = record.placement;
  const user = applied.userId && applied.status !== 'deleted' ? applied.userId : undefined;
  const pending = applied.pendingCreate;
  if (!user && pending) return { kind: 'replay-create', pending };
  if (placement.state === 'left') {
    if (user) {
      const want = rules.leaver === 'delete' ? 'deleted' : 'suspended';
      if (applied.status === want) return settle(applied, 'unchanged');
      return { kind: rules.leaver, userId: user };
    }
    if (applied.status === 'deleted') return settle(applied, 'already-gone');
    if (record.identity && rules.adoptExistingUsers) return { kind: 'find-and-leave', identity: record.identity };
    return settle({ ...applied, status: applied.status === 'unmatched' ? 'unmatched' : 'absent' }, 'absent');
  }
  if (applied.status === 'deleted' && applied.adminDeleted) return settle(applied, 'already-gone');
  if (user) {
    const move = applied.groupName !== placement.groupName;
    // Only our own suspension is lifted; an admin's stands unless the policy corrects it (decided on contact).
    const reactivate = applied.status === 'suspended' && !applied.adminSuspended;
    if (!move && !reactivate) return settle(applied, 'unchanged');
    return { kind: 'place', userId: user, groupName: placement.groupName, move, reactivate };
  }
  if (!record.identity) {
    return settle(
      { ...applied, status: applied.status === 'unmatched' ? 'unmatched' : 'absent' },
      'awaiting-onboarding',
    );
  }
  return { kind: 'create', groupName: placement.groupName, identity: record.identity };
}
