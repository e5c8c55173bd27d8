/**
 * The metrics the functions emit (CloudWatch namespace `WickrAutopilot`, through Powertools Metrics / EMF), with
 * their units. The dashboard in infra/dashboard.yml may name only these; a test holds the two together.
 */
export const metricUnits = {
  /** From an incident fact's time to the network reconciled to it. */
  TimeToContain: 'Milliseconds',
  GroupsLocked: 'Count',
  GroupsRestored: 'Count',
  Conflicts: 'Count',
  PopupChanges: 'Count',
  UnmatchedSelectors: 'Count',
  UsersCreated: 'Count',
  UsersMoved: 'Count',
  UsersReactivated: 'Count',
  UsersDeprovisioned: 'Count',
  UsersRefused: 'Count',
  UserDrift: 'Count',
  EmployeesUnmatched: 'Count',
  GroupsCreated: 'Count',
  GroupsAdopted: 'Count',
  RotationDrift: 'Count',
  RotationPatched: 'Count',
  GuardStops: 'Count',
  WickrRequests: 'Count',
  WickrThrottled: 'Count',
  RefusedEvents: 'Count',
  /** A network lease longer than any reconcile takes, taken over (someone wrote it by hand). */
  LeasesTakenOver: 'Count',
  /** A lease watch found its network behind its facts: the holder died with facts untaken. */
  NetworksBehind: 'Count',
  /** Fields a sweep brought back under a lockdown (groups made or loosened by hand). */
  LockdownDrift: 'Count',
  /** Declarations whose selectors selected no group of a network. */
  LockdownsMatchedNothing: 'Count',
  /** Holds a safeguard opened (HR deprovisions, rotation runs past their guard). */
  HoldsCreated: 'Count',
  /** Roster snapshots read whole and accepted, or refused as not a roster (format, header, size, bad rows). */
  RostersAccepted: 'Count',
  RostersRefused: 'Count',
  /** Accounts contained (a compromise: suspended, every device signed out), the devices signed out, and the time
   * from the compromise's fact to the containment. */
  AccountsContained: 'Count',
  DevicesSignedOut: 'Count',
  AccountTimeToContain: 'Milliseconds',
  /** Contained accounts found undone by hand (unsuspended, moved out of quarantine) by the sweep, and restored. */
  ContainmentDrift: 'Count',
  /** Holds waiting for a decision, as the holds sweep counts them every quarter hour (a gauge: Maximum). */
  HoldsOpen: 'Count',
  /** Holds settled: approved and applied, rejected, or expired. */
  HoldsDecided: 'Count',
  /** An access review's accounts, and those of each finding class (a review run's counts, per network). */
  ReviewAccounts: 'Count',
  ReviewLeaversActive: 'Count',
  ReviewOrphans: 'Count',
  ReviewWrongGroup: 'Count',
  ReviewInactive: 'Count',
  ReviewInvitesExpired: 'Count',
  ReviewAdmins: 'Count',
  /** Items of a network's posture that drifted from its baseline (retention, SSO, key, counts), per check. */
  PostureDrift: 'Count',
  /** Security Hub findings the write-back could not update (a note and NOTIFIED after their lockdown). */
  WriteBackFailures: 'Count',
  /** Notes on PagerDuty incidents (a lockdown applied, updated, lifted) that could not be written after retries. */
  PagerDutyNoteFailures: 'Count',
} as const;

export type MetricName = keyof typeof metricUnits;

/** Where a use case counts what it did; a no-op where nobody listens (tests, tools). */
export interface MetricsPort {
  add(name: MetricName, value: number): void;
}
