/**
 * An employee's desired record as the HR capability reasons about it — the latest fact, who they are, and what
 * this deployment last made true in Wickr — and the port that keeps it (the state table, in lib/store).
 */
import type { EmployeeFact } from './employee-fact.js';

/** What this deployment last made true in Wickr for an employee, and on which facts. */
export interface AppliedState {
  readonly userId?: string | undefined;
  readonly groupId?: string | undefined;
  /** The normalized name of that group: a move is a change of name. */
  readonly groupName?: string | undefined;
  /** Suspended by someone else, and kept so (`hr.manualChanges: keep`): never lifted by a reconcile. */
  readonly adminSuspended?: boolean | undefined;
  /** `absent`: no user (yet); `unmatched`: reported as never onboarded; `refused`: Wickr refused the user. */
  readonly status: 'active' | 'suspended' | 'deleted' | 'absent' | 'unmatched' | 'refused';
  /** The record's `basis` this state was reconciled to; equal to the record's: nothing to do. */
  readonly basis?: string | undefined;
  /** Deleted by someone else, and kept so (`hr.manualChanges: keep`): never made again by a reconcile. */
  readonly adminDeleted?: boolean | undefined;
  /** An existing user just taken as this employee's (ours, or adopted): to be placed on the next pass. */
  readonly converged?: boolean | undefined;
  /**
   * The exact BatchCreateUser request sent for this employee, recorded before it is sent and kept until an answer
   * says what became of it. Ownership comes only from an answer: should this one be lost, the same request is
   * replayed (same `clientToken`, same body), and Wickr answers with its first answer if it had applied it. An
   * "already exists" is never taken as our own user.
   */
  readonly pendingCreate?: PendingCreate | undefined;
  /** The hold this employee's deprovisioning waits in (a safeguard tripped); cleared by the next reconcile. */
  readonly held?: string | undefined;
}

/** A BatchCreateUser request whose answer is not known yet, and the group the employee was to join. */
export interface PendingCreate {
  readonly clientToken: string;
  readonly users: readonly {
    readonly username: string;
    readonly securityGroupIds: readonly string[];
    readonly firstName?: string | undefined;
    readonly lastName?: string | undefined;
  }[];
  /** This employee's entry in `users`, and the group they were to join. */
  readonly username: string;
  readonly groupName: string;
}

/** An employee's desired record (the latest fact), who they are, and what was applied. */
export interface EmployeeRecord
  extends Pick<EmployeeFact, 'networkId' | 'employeeId' | 'version' | 'placement' | 'identity'> {
  /** The latest fact's time. */
  readonly factTime: string;
  readonly identityVersion?: string | undefined;
  readonly applied?: AppliedState | undefined;
  readonly firstSeenAt?: string | undefined;
}

/** The facts a record stands on: its placement's version and its identity's. Reconciled once per basis. */
export const basisOf = (record: Pick<EmployeeRecord, 'version' | 'identityVersion'>) =>
  `${record.version}#${record.identityVersion ?? ''}`;

/** How a fact changed the record. */
export interface FactRecorded {
  readonly placement: boolean;
  readonly identity: boolean;
}

/** How giving back a claimed record went. */
export type ReleaseResult = 'released' | 'moved' | 'lost';

/**
 * Where employees' desired records are kept: each fact recorded only if later than the record's; a reconcile claims
 * a record with a lease, notes what it is about to do, and gives it back only if no fact moved it meanwhile.
 */
export interface EmployeeRecords {
  recordFact(fact: EmployeeFact): Promise<FactRecorded>;
  get(networkId: string, employeeId: string): Promise<EmployeeRecord | undefined>;
  getMany(networkId: string, employeeIds: readonly string[]): Promise<EmployeeRecord[]>;
  claim(
    networkId: string,
    employeeId: string,
    holder: string,
    untilMs: number,
    nowMs: number,
  ): Promise<EmployeeRecord | undefined>;
  noteApplied(networkId: string, employeeId: string, holder: string, applied: AppliedState): Promise<boolean>;
  release(record: EmployeeRecord, holder: string, applied: AppliedState): Promise<ReleaseResult>;
  abandon(networkId: string, employeeId: string, holder: string): Promise<void>;
  /** How many users this deployment provisioned on a network and has not deprovisioned (the safeguard's base). */
  countProvisioned(networkId: string): Promise<number>;
  /** The employee ids of those users, page by page (a roster compares its people with them). */
  listProvisioned(networkId: string): AsyncIterable<string>;
}
