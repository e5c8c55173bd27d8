import type { HrFactEvent } from '../events/hr-events.js';
import type { EmploymentType } from '../policy-file/vocabulary.js';
import { HrError } from './errors.js';

/** Where an employee should be: active in a department's group, or gone. */
export type Placement =
  | {
      readonly state: 'active';
      readonly department: string;
      readonly team?: string | undefined;
      readonly employmentType: EmploymentType;
      /** The normalized group name the naming rule gives this audience. */
      readonly groupName: string;
    }
  | { readonly state: 'left' };

/** Who the employee is in Wickr: an onboarding says so (other facts may). Kept in the state table, never logged. */
export interface Identity {
  readonly username: string;
  readonly firstName?: string | undefined;
  readonly lastName?: string | undefined;
}

/** One HR fact, reduced to what the employee's desired record needs. */
export interface EmployeeFact {
  readonly networkId: string;
  readonly employeeId: string;
  /** Orders the employee's facts: see {@link factVersion}. */
  readonly version: string;
  readonly time: string;
  readonly eventId: string;
  readonly placement: Placement;
  readonly identity?: Identity | undefined;
}

// At the same instant, leaving outranks moving, and moving outranks joining: the safer fact wins a tie.
const tieRank = { 'Employee Onboarded': 0, 'Employee Transferred': 1, 'Employee Offboarded': 2 } as const;

/**
 * How close in time two facts must be for the HR system's own numbering (`detail.sequence`) to order them: the
 * clock skew the functions accept. Fixed, not configured: it is part of every stored version's format.
 */
export const sequenceWindowMs = 300_000;

/**
 * A string whose order is the facts' order, so one conditional write (`version < :v`) decides which fact wins.
 * Time is the primary order: facts fall into windows of {@link sequenceWindowMs}, and only inside one window does
 * the HR system's `sequence` order them (a fact without one counts as 0) — so a forged `sequence` cannot outrank a
 * later real fact beyond one window. Then `time` (milliseconds, UTC); a tie goes to leaving over moving over
 * joining, then to the event id. Every part is fixed-width or last, so string order is that order; the leading
 * `2|` sorts after the versions of earlier releases (`0|…`, `1…|…`), so any new fact outranks an old record.
 */
export function factVersion(
  event: Pick<HrFactEvent, 'detail-type' | 'time' | 'id'> & { detail: { sequence?: number | undefined } },
): string {
  const ms = Date.parse(event.time);
  const window = String(Math.floor(ms / sequenceWindowMs)).padStart(10, '0');
  const sequence = String(event.detail.sequence ?? 0).padStart(16, '0');
  return `2|${window}|${sequence}|${new Date(ms).toISOString()}|${tieRank[event['detail-type']]}|${event.id}`;
}

/** The time a {@link factVersion} was made for (its fourth part). */
export function timeOfVersion(version: string): string {
  return version.split('|')[3] ?? new Date(0).toISOString();
}

/**
 * The fact an HR event states, given the group name its audience maps to (for joiners and movers). Only an
 * onboarding says who the employee is in Wickr — unless the policy adopts existing users (a first import), where a
 * leaver's or mover's username may name a user made before this deployment.
 */
export function factOf(
  event: HrFactEvent,
  networkId: string,
  groupName: string | undefined,
  identityFromAnyFact = false,
): EmployeeFact {
  const { detail } = event;
  const base = {
    networkId,
    employeeId: detail.employeeId,
    version: factVersion(event),
    time: new Date(event.time).toISOString(),
    eventId: event.id,
  };
  if (event['detail-type'] === 'Employee Offboarded') {
    const { username } = event.detail;
    const identity = identityFromAnyFact && username ? { identity: { username } } : {};
    return { ...base, placement: { state: 'left' }, ...identity };
  }
  if (groupName === undefined) {
    throw new HrError(`${event['detail-type']} needs its group name`, { retryable: false, code: 'NO_GROUP_NAME' });
  }
  const { department, team } = event.detail as { department: string; team?: string | undefined };
  const placement: Placement = {
    state: 'active',
    department,
    ...(team !== undefined ? { team } : {}),
    employmentType: detail.employmentType,
    groupName,
  };
  const { username, firstName, lastName } = event.detail;
  if (!username || (event['detail-type'] !== 'Employee Onboarded' && !identityFromAnyFact))
    return { ...base, placement };
  return {
    ...base,
    placement,
    identity: {
      username,
      ...(firstName !== undefined ? { firstName } : {}),
      ...(lastName !== undefined ? { lastName } : {}),
    },
  };
}
