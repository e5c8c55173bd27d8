import type { MetricsPort } from '../metric-names.js';
import type { Playbook, Severity } from '../policy-file/incident-section.js';
import type { Publisher } from '../ports.js';
import type { WickrAdminClient } from '../wickr/index.js';
import type {
  ActiveIncident,
  FieldLock,
  GroupLock,
  IncidentChannel,
  NetworkDesiredState,
  NetworkLocks,
  PopupConfig,
  ReachedTarget,
} from './incident-records.js';

/** Publishes an outcome event to the project's bus (the shared port, by the name incident code knows it). */
export type OutcomePublisher = Publisher;

/** Runs a business step at most once per key, returning the first run's result to every repeat. */
export interface Idempotency {
  once<T extends Record<string, unknown>>(key: Readonly<Record<string, string>>, work: () => Promise<T>): Promise<T>;
}

/** Where decisions are logged; ids and decisions only, never personal data. */
export interface DecisionLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}

/** The invocation a step runs in. */
export interface Invocation {
  readonly requestId: string;
  readonly remainingMs: () => number;
}

/**
 * The incident facts of a network: each incident active (with the latest fact's time and severity) or a
 * resolution tombstone of its channel; every recorded fact moves the network's version.
 */
export interface IncidentFacts {
  declare(
    networkId: string,
    incident: ActiveIncident,
    channel: IncidentChannel,
    nowMs: number,
  ): Promise<{ result: 'recorded' | 'already-resolved' | 'other-channel' | 'stale'; resolvedAt?: string | undefined }>;
  withdraw(
    networkId: string,
    incidentId: string,
    channel: IncidentChannel,
    at: string,
    expiresAtMs: number,
  ): Promise<boolean>;
  activeOn(networkIds: readonly string[], incidentId: string, channel: IncidentChannel): Promise<string[]>;
  resolve(
    networkId: string,
    incidentId: string,
    resolution: { resolvedAt: string; channel: IncidentChannel; expiresAtMs: number; override?: boolean | undefined },
  ): Promise<'recorded' | 'other-channel' | 'stale'>;
  readDesired(networkId: string): Promise<NetworkDesiredState>;
}

/**
 * Who reconciles a network, and whether it is behind its facts: the lease (taken over when no reconcile could hold
 * it that long), the watch a coalesced fact schedules, and the sweep of a locked network.
 */
export interface NetworkLease {
  acquireLease(
    networkId: string,
    owner: string,
    nowMs: number,
    ttlMs: number,
  ): Promise<{ reached?: ReachedTarget | undefined; tookInvalid?: boolean } | undefined>;
  releaseLease(
    networkId: string,
    owner: string,
    version: number,
    atMs?: number,
    reached?: ReachedTarget,
  ): Promise<boolean>;
  abandonLease(networkId: string, owner: string): Promise<void>;
  watchLease(networkId: string, nowMs: number): Promise<number | undefined>;
  scheduleSweep(networkId: string, nowMs: number, dueAtMs: number): Promise<boolean>;
  isBehind(networkId: string): Promise<boolean>;
}

/** What the lockdown did to each field (original, set), written before the change it describes. */
export interface LockEntries {
  readLocks(networkId: string): Promise<NetworkLocks>;
  putGroupLock(networkId: string, groupId: string, fields: GroupLock['fields'], readRevision?: number): Promise<void>;
  deleteGroupLock(networkId: string, groupId: string): Promise<void>;
  putPopupLock(networkId: string, lock: FieldLock<PopupConfig>, exists: boolean): Promise<void>;
  deletePopupLock(networkId: string): Promise<void>;
  /** Records, ahead of its block, that the lockdown blocks a guest (idempotent). */
  putGuestLock(networkId: string, usernameHash: string): Promise<void>;
  deleteGuestLock(networkId: string, usernameHash: string): Promise<void>;
}

/** The incident state, by concern (lib/store implements it in the state table). */
export type IncidentState = IncidentFacts & NetworkLease & LockEntries;

/** How long a target that only loosens or rewords waits for the facts to stop moving; tightening never waits. */
export interface LoosenSettle {
  /** The desired state must stay unchanged this long… */
  readonly quietMs: number;
  /** …or this long have passed since the wait began. */
  readonly maxDelayMs: number;
}
/** What reconciling a network needs; every side effect is a port. */
export interface ReconcileDeps {
  readonly wickr: Pick<
    WickrAdminClient,
    | 'paginateSecurityGroups'
    | 'updateSecurityGroup'
    | 'getNetworkSettings'
    | 'updateNetworkSettings'
    | 'getDataRetentionBot'
    | 'paginateGuestUsers'
    | 'paginateBlockedGuestUsers'
    | 'updateGuestUser'
  >;
  /**
   * At the lift, a guest the lockdown blocked that an account containment holds: the block becomes the containment's
   * (true), so its release — not the lift — unblocks them. Absent: every guest is unblocked.
   */
  readonly guestHandover?: ((networkId: string, usernameHash: string) => Promise<boolean>) | undefined;
  readonly store: IncidentState;
  readonly playbooks: Readonly<Record<Severity, Playbook>>;
  /** Wickr requests in flight at once. */
  readonly concurrency: number;
  readonly nowMs: () => number;
  /** Waits before a pass that a storm made necessary; injectable so tests need not wait. */
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
  /** Default: 1 s quiet, at most 15 s. */
  readonly settle?: LoosenSettle | undefined;
  /** How long the target a reconcile reached saves the next holder its Wickr reads; default 60 s. */
  readonly trustReachedMs?: number | undefined;
  readonly logger?: Pick<DecisionLogger, 'warn'> | undefined;
  readonly metrics?: MetricsPort | undefined;
}

/**
 * One unit of work: bring one network to its desired state because of one fact. It runs in the invocation that
 * received the fact or, handed over, in a fresh invocation of the reconcile function (through its queue).
 */
export interface ReconcileUnit {
  readonly networkId: string;
  readonly incidentId: string;
  /** What the outcome event says caused it: `Incident Declared`, `Security Hub`, `scope narrowed`… */
  readonly trigger: string;
  /** The fact's time: time-to-contain runs from it to the network's last change. */
  readonly factTime: string;
  /** Carried into the outcome event as they are. */
  readonly extra?:
    | {
        readonly severity?: string | undefined;
        readonly override?: boolean | undefined;
        readonly reason?: string | undefined;
        readonly requestedBy?: string | undefined;
      }
    | undefined;
  /** The EventBridge id of the fact: the outcome event names it, so whoever sent the fact can wait for it. */
  readonly eventId?: string | undefined;
  /** How many invocations handed this network on before. */
  readonly handovers?: number | undefined;
  /**
   * Groups those invocations changed: the outcome event lists the groups of the last invocation and counts the
   * earlier ones (a whole diff of thousands of groups would not fit a queue message).
   */
  readonly groupsChangedBefore?: number | undefined;
  /**
   * A look after a lease runs out: the fact coalesced into a reconcile whose holder may have died. It reconciles
   * only a network still behind its facts.
   */
  readonly watch?: boolean | undefined;
  /**
   * A sweep of a locked network (every few minutes, and when a group is created): Wickr read afresh, groups made or
   * loosened by hand brought back under the lockdown and reported as drift.
   */
  readonly sweep?: boolean | undefined;
  /** The fact ended or narrowed an incident (a resolution, a withdrawal): the outcome is Updated or Lifted. */
  readonly ends?: boolean | undefined;
}

/** Where a unit goes to continue in a fresh invocation, at once or after `delaySeconds` (0–900, SQS's bounds). */
export interface Handover {
  send(unit: ReconcileUnit, delaySeconds?: number): Promise<void>;
}

/** What one reconcile did, in counts (the per-group diff goes out in the outcome event). */
export interface ReconcileSummary {
  readonly locked: boolean;
  readonly activeIncidents: readonly string[];
  readonly groupsChecked: number;
  readonly groupsChanged: number;
  readonly conflicts: number;
  readonly popupChanged: boolean;
}

/** What the fact did to the network, as its outcome event says it. */
export type LockdownOutcome =
  | 'Wickr Lockdown Applied'
  | 'Wickr Lockdown Updated'
  | 'Wickr Lockdown Lifted'
  | 'Wickr Lockdown Matched Nothing';

/** What the incident use cases need. */
export interface IncidentDeps extends ReconcileDeps {
  /** The networks in the policy file: the default targets, and the only ones accepted. */
  readonly networkIds: readonly string[];
  readonly tombstoneDays: number;
  readonly idempotency: Idempotency;
  readonly publisher: OutcomePublisher;
  readonly logger: DecisionLogger;
  /**
   * Where a network goes to continue in a fresh invocation: when set, networks beyond the first are handed on at
   * once (they run in parallel) and a reconcile stops before `safetyMarginMs` of the invocation remain.
   */
  readonly handover?: Handover | undefined;
  /** Default 10 s: enough for a batch of PATCHes in flight to settle and the hand-over to be sent. */
  readonly safetyMarginMs?: number | undefined;
  /**
   * Sends a failure a retry cannot fix to the function's failure destination, with its reason (and publishes
   * `Wickr Automation Failed`); false when there is none (then it is retried until its dead-letter queue).
   */
  readonly refuse?: ((error: Error, input: unknown) => Promise<boolean>) | undefined;
  /** How often a locked network is swept for groups made or loosened by hand; 0 (or no hand-over): never. */
  readonly sweepEveryMs?: number | undefined;
  /** Time to contain, groups locked and restored, conflicts, popup changes. */
  readonly metrics?: MetricsPort | undefined;
  /**
   * Whether the bus admits only named incident publishers. Without them anyone in the account may put an
   * `override: true`, so an override is refused.
   */
  readonly incidentPublishersNamed?: boolean | undefined;
}

/** What one network's step ended with. */
export type NetworkOutcome =
  | {
      readonly networkId: string;
      readonly result: 'reconciled';
      readonly outcome?: LockdownOutcome | undefined;
      readonly summary: ReconcileSummary;
    }
  | { readonly networkId: string; readonly result: 'swept'; readonly drift: number }
  /** A dry run's plan: the fields the lockdown would change, or why the network could not be read. */
  | { readonly networkId: string; readonly result: 'planned'; readonly changes: number; readonly error?: string }
  | { readonly networkId: string; readonly result: 'coalesced' }
  | { readonly networkId: string; readonly result: 'handed-over' }
  | { readonly networkId: string; readonly result: 'other-channel' }
  | { readonly networkId: string; readonly result: 'stale' }
  | {
      readonly networkId: string;
      readonly result: 'withdrawn';
      readonly outcome?: LockdownOutcome | undefined;
      readonly summary: ReconcileSummary;
    }
  /** A resolution newer than the declaration is recorded: the declaration changes nothing. */
  | { readonly networkId: string; readonly result: 'already-resolved'; readonly resolvedAt: string };

/** The outcome of one incident event. */
export interface IncidentOutcome extends Record<string, unknown> {
  readonly incidentId: string;
  readonly networks: readonly NetworkOutcome[];
}
