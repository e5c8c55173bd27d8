/**
 * An account's containment, level-triggered like networks and employees: the desired state is "contained while any
 * of its cases is open", from facts that each say a case was opened (compromised) or closed (cleared) at a time. A
 * case's latest fact wins whatever order they arrive in (a tie goes to compromised, the safer); the account is
 * released only when its last open case is cleared. What was applied says what a release must undo — the
 * suspension only if this containment made it — and nothing more (device sign-outs are not undone).
 */

import type { CaseFact, CaseSource } from '../events/account-events.js';

export type { CaseFact, CaseSource };

/** A case as kept: its latest fact. */
export interface CaseState {
  readonly open: boolean;
  readonly time: string;
  readonly source: CaseSource;
  readonly reason?: string | undefined;
  readonly eventId: string;
  /**
   * Our clock when the fact that opened the case was recorded: time to contain counts from here — a finding's own
   * time says when the source saw it (minutes or hours earlier for an aggregated finding), not when we knew.
   */
  readonly openedAt?: string | undefined;
}

/** An account's cases, by case id (bounded by the store: a case is one item in a map). */
export type AccountCases = Readonly<Record<string, CaseState>>;

/** What this deployment made true in Wickr for the account. */
export interface AppliedContainment {
  /** Contained since (the first open case's fact time, for time to contain); absent when not contained. */
  readonly containedSince?: string | undefined;
  /** Whether the containment suspended the user (false: they were suspended already, by someone else). */
  readonly suspendedByUs?: boolean | undefined;
  /** The devices signed out (appIds), for the outcome; never undone. */
  readonly devicesSignedOut?: readonly string[] | undefined;
  /** Moved to the quarantine group: which, and the groups the user was in (release's fallback). */
  readonly quarantine?: { readonly groupId: string; readonly from: readonly string[] } | undefined;
  /**
   * A containment begun (its since), recorded before its first change: a retry after a crash between the changes
   * and their record knows the suspension and the quarantine it finds are this containment's.
   */
  readonly begun?: string | undefined;
}

/**
 * Merges a fact, received at `receivedAt`, into the cases: changed only when it is the case's latest (ties:
 * compromised wins). A case that opens is stamped with its receipt; one that stays open keeps its first.
 */
export function mergeCaseFact(
  cases: AccountCases,
  fact: CaseFact,
  receivedAt: string,
): { cases: AccountCases; changed: boolean } {
  const kept = cases[fact.caseId];
  if (kept) {
    const order = fact.time.localeCompare(kept.time);
    if (order < 0) return { cases, changed: false };
    if (order === 0 && (kept.open || !fact.compromised)) return { cases, changed: false };
  }
  const state: CaseState = {
    open: fact.compromised,
    time: fact.time,
    source: fact.source,
    ...(fact.reason !== undefined ? { reason: fact.reason } : {}),
    eventId: fact.eventId,
    ...(fact.compromised ? { openedAt: kept?.open ? (kept.openedAt ?? kept.time) : receivedAt } : {}),
  };
  return { cases: bounded({ ...cases, [fact.caseId]: state }), changed: true };
}

/** The most cases an account keeps: every open one, and the latest closed ones up to this many in all. */
export const maxCases = 50;

// One account cannot grow without limit however many facts name it: the oldest closed cases go first.
function bounded(cases: AccountCases): AccountCases {
  const entries = Object.entries(cases);
  if (entries.length <= maxCases) return cases;
  const closed = entries.filter(([, c]) => !c.open).sort(([, a], [, b]) => a.time.localeCompare(b.time));
  const drop = new Set(closed.slice(0, entries.length - maxCases).map(([id]) => id));
  return Object.fromEntries(entries.filter(([id]) => !drop.has(id)));
}

/** The open cases, oldest first. */
export const openCases = (cases: AccountCases) =>
  Object.entries(cases)
    .filter(([, c]) => c.open)
    .sort(([, a], [, b]) => a.time.localeCompare(b.time))
    .map(([caseId, c]) => ({ caseId, ...c }));

/** What one account needs now, from its cases, what was applied, and the user as Wickr has it. */
export type ContainmentStep =
  | { readonly kind: 'none' }
  /** Suspend (unless already suspended: then it is not ours to lift) and sign out every active device. */
  | {
      readonly kind: 'contain';
      readonly suspend: boolean;
      /** The first open case's fact time: the containment's identity (its tokens). */
      readonly since: string;
      /** When we learnt of that case (its receipt): time to contain counts from here. */
      readonly openedAt: string;
    }
  /**
   * The last case cleared: lift the suspension if it was ours, or HR's reactivation waited for it — never when HR
   * wants the user gone.
   */
  | { readonly kind: 'release'; readonly unsuspend: boolean };

/** The step for one account. Pure: the use case applies it. */
export function planContainment(
  cases: AccountCases,
  applied: AppliedContainment,
  live: { readonly suspended: boolean },
  hr: { readonly left: boolean; readonly reactivationHeld?: boolean | undefined },
): ContainmentStep {
  const open = openCases(cases);
  // Begun and not recorded: what the live account shows may be this containment's own doing.
  const begun = applied.begun !== undefined && !applied.containedSince;
  if (open.length > 0) {
    if (applied.containedSince) return { kind: 'none' };
    const first = open[0];
    const since = first?.time ?? '';
    // A suspension found after this containment began is its own (made, or about to be): made (again) and owned.
    return { kind: 'contain', suspend: begun || !live.suspended, since, openedAt: first?.openedAt ?? since };
  }
  // Cleared before the containment it began was recorded: undo what it may have done.
  if (begun) return { kind: 'release', unsuspend: live.suspended && !hr.left };
  if (!applied.containedSince) return { kind: 'none' };
  // Lifted when it was ours, or when HR's own reactivation of the person waited for this release.
  const lift = applied.suspendedByUs === true || hr.reactivationHeld === true;
  return { kind: 'release', unsuspend: lift && live.suspended && !hr.left };
}
