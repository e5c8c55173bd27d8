import type { Holds } from '../holds/hold.js';
import type { SafeguardWindows } from '../holds/safeguard-window.js';
import type { MetricsPort } from '../metric-names.js';
import type { HrSection } from '../policy-file/hr-section.js';
import type { SafeguardsSection } from '../policy-file/safeguards-section.js';
import type { Publisher } from '../ports.js';
import type { WickrAdminClient } from '../wickr/index.js';
import type { EmployeeRecords } from './employee-record.js';
import type { GroupMappings } from './group-mapping.js';

/** Time as the HR reconcile sees it: injectable, so tests drive waits and deadlines. */
export interface HrClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Time left in the invocation. */
  remainingMs(): number;
  /** How often a reconcile waiting for another's group looks again. */
  readonly pollMs: number;
}

/** What the HR use cases need; every side effect is a port. */
export interface HrDeps {
  readonly wickr: Pick<
    WickrAdminClient,
    | 'paginateSecurityGroups'
    | 'createSecurityGroup'
    | 'updateSecurityGroup'
    | 'batchCreateUser'
    | 'paginateUsers'
    | 'updateUser'
    | 'batchToggleUserSuspendStatus'
    | 'batchDeleteUser'
  >;
  readonly mappings: GroupMappings;
  readonly records: EmployeeRecords;
  readonly hr: HrSection;
  /** A burst of deprovisions past the safeguard waits in a hold for a person. */
  readonly safeguards: {
    readonly rules: SafeguardsSection;
    readonly windows: SafeguardWindows;
    readonly holds: Holds;
    /** Who alone may put HR facts and rosters (the bus and bucket policies say so): none of them decides HR's holds. */
    readonly causedBy?: readonly string[] | undefined;
  };
  /** Accounts a first import never adopts, by username: `accessReview.exempt` (administrators never are either). */
  readonly neverAdopt?: ((username: string) => boolean) | undefined;
  /** Set while an approved hold is applied: its held leavers go ahead, uncounted. */
  readonly approvedHold?: string | undefined;
  /** The employees that approved hold names (a roster's missing people were never reconciled into it). */
  readonly approvedSubjects?: ReadonlySet<string> | undefined;
  /** The networks in the policy file: the only ones accepted. */
  readonly networkIds: readonly string[];
  /**
   * Whether a user is under account containment (a compromise): HR never lifts a suspension then — not a rehire's,
   * not an admin's — and containment's release decides. Absent: no containment deployed.
   */
  readonly contained?: ((networkId: string, userId: string) => Promise<boolean>) | undefined;
  /**
   * Whether a contained user sits in the quarantine group: HR then records a move without making it — containment's
   * release puts the user in the group HR says then. Absent: no quarantine.
   */
  readonly quarantined?: ((networkId: string, userId: string) => Promise<boolean>) | undefined;
  /** Wickr requests in flight at once (`WICKR_REQUESTS_IN_FLIGHT`); 8 when absent. */
  readonly requestsInFlight?: number | undefined;
  /** This reconcile's name on the leases it takes (employee records, group intents). */
  readonly holder: string;
  readonly clock: HrClock;
  /** Sends a message to the HR queue itself, delayed (the unmatched-employee check). */
  readonly followUp: { send(body: unknown, delaySeconds: number): Promise<void> };
  readonly publisher: Publisher;
  /** Users created, moved, reactivated, deprovisioned, refused; drift; groups created and adopted. */
  readonly metrics?: MetricsPort | undefined;
  /** Ids and decisions only: never names or e-mails. */
  readonly logger: {
    info(message: string, extra: Record<string, unknown>): void;
    warn(message: string, extra: Record<string, unknown>): void;
  };
}
