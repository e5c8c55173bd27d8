/** What account containment needs; every side effect is a port (lib/store implements the records). */
import type { Holds } from '../holds/hold.js';
import type { MetricsPort } from '../metric-names.js';
import type { ContainmentSection } from '../policy-file/containment-section.js';
import type { DecisionLog, Publisher } from '../ports.js';
import type { WickrAdminClient } from '../wickr/index.js';
import type { AccountCases, AppliedContainment } from './account-case.js';

/** An account as kept: its cases, what was applied, and the revision every write is made over. */
export interface AccountRecord {
  readonly networkId: string;
  readonly userId: string;
  readonly employeeId?: string | undefined;
  readonly cases: AccountCases;
  readonly applied: AppliedContainment;
  readonly revision: number;
}

/** Where accounts are kept: each write only over the revision read (a concurrent one makes the caller read again). */
export interface AccountRecords {
  get(networkId: string, userId: string): Promise<AccountRecord | undefined>;
  /** Writes the cases (and, if new, the record) over `revision` (undefined: not there yet). */
  putCases(
    account: Pick<AccountRecord, 'networkId' | 'userId' | 'employeeId' | 'cases'>,
    revision: number | undefined,
  ): Promise<boolean>;
  putApplied(networkId: string, userId: string, applied: AppliedContainment, revision: number): Promise<boolean>;
  /** Every account of a network with a case (the cockpit's status). */
  list(networkId: string): Promise<AccountRecord[]>;
  /** The network's quarantine group, once made (or found). */
  quarantineGroup(networkId: string): Promise<string | undefined>;
  /** Keeps the group's id; the first writer wins, and its id is answered. */
  keepQuarantineGroup(networkId: string, groupId: string): Promise<string>;
  /** Forgets an id Wickr no longer knows (the group was deleted by hand). */
  forgetQuarantineGroup(networkId: string, groupId: string): Promise<void>;
}

/** Who this deployment provisioned (the HR records, read only): the only users containment acts on by default. */
export interface ProvisionedUsers {
  byEmployeeId(networkId: string, employeeId: string): Promise<{ userId: string; left: boolean } | undefined>;
  /**
   * `reactivationHeld`: HR says the person is employed, and the suspension HR itself made (they had left) waits to be
   * lifted — held while the account is contained.
   */
  byUserId(
    networkId: string,
    userId: string,
  ): Promise<
    | { employeeId: string; left: boolean; reactivationHeld?: boolean | undefined; groupId?: string | undefined }
    | undefined
  >;
}

/** The containment use case's ports. */
export interface ContainmentDeps {
  readonly wickr: Pick<
    WickrAdminClient,
    | 'paginateUsers'
    | 'getUser'
    | 'batchToggleUserSuspendStatus'
    | 'paginateDevicesForUser'
    | 'batchResetDevicesForUser'
    | 'paginateSecurityGroups'
    | 'createSecurityGroup'
    | 'updateUser'
    | 'paginateGuestUsers'
    | 'paginateBlockedGuestUsers'
    | 'updateGuestUser'
    | 'paginateBots'
    | 'getBot'
    | 'updateBot'
  >;
  /** `containment.quarantine`: the group contained users are moved to, for which sources; absent: none. */
  readonly quarantine?: ContainmentSection['quarantine'];
  readonly accounts: AccountRecords;
  readonly provisioned: ProvisionedUsers;
  /** `containment.anyUser`: act on users this deployment did not provision too. */
  readonly anyUser: boolean;
  readonly networkIds: readonly string[];
  /**
   * The safety rail (`containment.maxPerHour`): whether one more account may be contained this hour. The on-call's
   * own containments pass it.
   */
  readonly admit?: (() => Promise<boolean>) | undefined;
  /** Where containments past the safety rail wait for a person (the holds); absent: they are refused. */
  readonly holds?: Holds | undefined;
  /** How long a hold waits for its decision (`safeguards.holdHours`), and the rail's limit (its figures). */
  readonly holdMs?: number | undefined;
  readonly maxPerHour?: number | undefined;
  /**
   * At a guest's release, while a lockdown blocks every guest of the network (`guests: block-all`): the block becomes
   * the lockdown's (true), so its lift — not this release — unblocks the guest. Absent: the release unblocks.
   */
  readonly guestToLockdown?: ((networkId: string, usernameHash: string) => Promise<boolean>) | undefined;
  readonly nowMs: () => number;
  readonly publisher: Publisher;
  readonly metrics?: MetricsPort | undefined;
  readonly logger: DecisionLog;
}
