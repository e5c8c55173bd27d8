/**
 * A hold: actions a safeguard stopped, waiting for a person. The facts behind them are recorded as usual (the
 * desired state stays true); only the actions wait. An operator approves (the actions are re-planned against the
 * desired state as it then stands and applied) or rejects (they are dropped); an undecided hold expires as
 * rejected. A decision names the hold's revision — a digest of its subjects and their planned actions — and count,
 * as the operator saw them; the first decision seals the hold (later subjects start a new one). Decisions are taken
 * only through the operators' entry point, where AWS authenticates the caller (lib/operators), and live apart from
 * the hold, where only that entry point may write them.
 */
import { createHash } from 'node:crypto';

/** The source of the operators' decision nudges on the bus: a wake-up with no authority of its own. */
export const operatorsSource = 'wickr.autopilot.operators';
/** The nudge's detail-type; its detail is `{ kind: 'hold-decision', holdId, capability }`. */
export const holdDecisionDetailType = 'Wickr Hold Decision';

/** Which capability a hold belongs to: the one that applies it when approved. */
export type HoldCapability = 'hr' | 'rotation' | 'containment' | 'review';

/** Where a hold stands. `open` waits for a decision; the others are final. */
export type HoldStatus = 'open' | 'approved' | 'rejected' | 'expired';

/** One held action: on whom, on which facts, and what it would change. Ids and values only, no names. */
export interface HoldSubject {
  /** The employee id (HR) or the group id (rotation). */
  readonly subject: string;
  /** The facts the action stood on (an HR record's basis; a rotation's period): a later fact wins over the hold. */
  readonly version: string;
  /** `suspend` / `delete` (HR), `update` (rotation). */
  readonly action: string;
  readonly userId?: string | undefined;
  /** Rotation: each field, from → to. */
  readonly changes?: readonly { readonly field: string; readonly from: unknown; readonly to: unknown }[] | undefined;
}

/** What a safeguard saw when it tripped. */
export interface HoldOrigin {
  readonly capability: HoldCapability;
  readonly networkId: string;
  /** The policy key of the safeguard, e.g. `safeguards.hr.maxDeprovisionsPerHour`. */
  readonly safeguard: string;
  /** Its figures: the limit, what was applied, what is held, the population it is a share of. */
  readonly figures: Readonly<Record<string, number>>;
  /** Holds of one trip share an id stem: the safeguard's window (HR) or the run's time (rotation). */
  readonly stem: string;
  /**
   * The principals that alone could have caused it, as the platform's policies make them (HR facts and rosters: the
   * HR publishers): none of them may decide it.
   */
  readonly causedBy?: readonly string[] | undefined;
}

/** What a decision sealed: the hold's revision and count as the operator saw them. */
export interface HoldSeal {
  readonly revision: string;
  readonly count: number;
}

/** A hold as kept. */
export interface Hold extends Omit<HoldOrigin, 'stem'> {
  readonly holdId: string;
  readonly subjects: readonly HoldSubject[];
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly status: HoldStatus;
  /** Set by the first decision: from then on the hold takes no subject. */
  readonly sealed?: HoldSeal | undefined;
  /** Once final: when, by whom (the operator's principal, or `expiry`) and what applying it did. */
  readonly settledAt?: string | undefined;
  readonly decidedBy?: string | undefined;
  readonly result?: Readonly<Record<string, number>> | undefined;
}

/**
 * An operator's decision on a hold, written only by the operators' entry point: who decided as AWS authenticated
 * them, when by that function's clock, and exactly which revision of the hold.
 */
export interface HoldDecision extends HoldSeal {
  readonly holdId: string;
  readonly decision: 'approve' | 'reject';
  readonly decidedBy: string;
  readonly decidedAt: string;
  readonly reason?: string | undefined;
}

/** How sealing a hold for a decision went. */
export type SealAnswer = 'sealed' | 'sealed-already' | 'changed' | 'closed' | 'unknown';

/** How holding some subjects went: the hold they joined, and whether this call opened it. */
export interface Held {
  readonly holdId: string;
  readonly created: boolean;
}

/** Where holds are kept (the state table, in lib/store); the functions create and settle, never decide. */
export interface Holds {
  /** Adds subjects to the open hold of this trip (a new one when full or none), expiring `holdMs` from now. */
  hold(origin: HoldOrigin, subjects: readonly HoldSubject[], nowMs: number, holdMs: number): Promise<Held>;
  get(holdId: string): Promise<Hold | undefined>;
  list(): Promise<Hold[]>;
  /** Final: only an open hold settles; false when it was settled already. */
  settle(
    holdId: string,
    status: Exclude<HoldStatus, 'open'>,
    by: string,
    nowMs: number,
    result?: Readonly<Record<string, number>>,
  ): Promise<boolean>;
  decisionOf(holdId: string): Promise<HoldDecision | undefined>;
  /**
   * Seals an open, unexpired hold at `seal` (its count must still be the count): `sealed-already` when it was sealed
   * at the same revision before, `changed` when its subjects are not what was seen, `closed`, or `unknown`.
   */
  seal(holdId: string, seal: HoldSeal, nowMs: number): Promise<SealAnswer>;
  /** Records a decision once: `decided-already` when one was recorded before (a decision is final). */
  decide(decision: HoldDecision): Promise<'written' | 'decided-already'>;
}

/**
 * A hold's revision: a digest of its subjects and their planned actions, in order (subjects only ever append), so
 * two holds that say the same have the same revision and any added, removed or changed action changes it.
 */
export function holdRevision(subjects: readonly HoldSubject[]): string {
  const canonical = subjects.map((s) => [s.subject, s.version, s.action, s.userId ?? null, s.changes ?? null]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 12);
}

/** Whether a hold is past its expiry (it then counts as rejected, whatever is decided later). */
export const isExpired = (hold: Pick<Hold, 'expiresAt'>, nowMs: number) => nowMs >= Date.parse(hold.expiresAt);

/** The hold id's stem for a time: minutes, UTC, no separators a shell or a key would mind. */
export const stemOf = (capability: HoldCapability, networkId: string, ms: number) =>
  `${capability}-${networkId}-${new Date(ms).toISOString().slice(0, 16).replace(/[-:]/g, '').toLowerCase()}`;

/** A readable line about a new hold for a notification: ids and figures, no personal data. */
export function holdSummary(hold: Pick<Hold, 'holdId' | 'networkId' | 'safeguard' | 'figures' | 'expiresAt'>) {
  const figures = Object.entries(hold.figures)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return (
    `Safeguard ${hold.safeguard} tripped on network ${hold.networkId} (${figures}); actions are held in ` +
    `${hold.holdId} until ${hold.expiresAt}. Review: npm run --silent ops -- holds show ${hold.holdId}; ` +
    `decide: holds approve ${hold.holdId} --revision R (as show prints it), or holds reject ${hold.holdId}.`
  );
}
