import type {
  Held,
  Hold,
  HoldDecision,
  HoldOrigin,
  HoldSeal,
  HoldSubject,
  Holds,
  SealAnswer,
} from '../../lib/holds/hold.js';

/**
 * Holds in memory, for use-case tests and benches that do not test storage (the DynamoDB store has its own
 * tests through the HR holds suite): the same contract — subjects join the open hold of a trip, settling is final.
 */
export class MemoryHolds implements Holds {
  readonly holds = new Map<string, Hold>();
  readonly decisions = new Map<string, HoldDecision>();

  async hold(origin: HoldOrigin, subjects: readonly HoldSubject[], nowMs: number, holdMs: number): Promise<Held> {
    const { stem, ...rest } = origin;
    for (let seq = 1; ; seq++) {
      const holdId = `${stem}-${seq}`;
      const existing = this.holds.get(holdId);
      if (!existing) {
        this.holds.set(holdId, {
          ...rest,
          holdId,
          subjects: [...subjects],
          createdAt: new Date(nowMs).toISOString(),
          expiresAt: new Date(nowMs + holdMs).toISOString(),
          status: 'open',
        });
        return { holdId, created: true };
      }
      if (existing.status === 'open' && Date.parse(existing.expiresAt) > nowMs && !existing.sealed) {
        this.holds.set(holdId, { ...existing, figures: rest.figures, subjects: [...existing.subjects, ...subjects] });
        return { holdId, created: false };
      }
    }
  }

  async get(holdId: string) {
    return this.holds.get(holdId);
  }

  async list() {
    return [...this.holds.values()];
  }

  async settle(
    holdId: string,
    status: Exclude<Hold['status'], 'open'>,
    by: string,
    nowMs: number,
    result?: Readonly<Record<string, number>>,
  ) {
    const hold = this.holds.get(holdId);
    if (hold?.status !== 'open') return false;
    this.holds.set(holdId, { ...hold, status, decidedBy: by, settledAt: new Date(nowMs).toISOString(), result });
    return true;
  }

  async decisionOf(holdId: string) {
    return this.decisions.get(holdId);
  }

  async seal(holdId: string, seal: HoldSeal, nowMs: number): Promise<SealAnswer> {
    const hold = this.holds.get(holdId);
    if (!hold) return 'unknown';
    if (hold.sealed) {
      return hold.sealed.revision === seal.revision && hold.sealed.count === seal.count ? 'sealed-already' : 'changed';
    }
    if (hold.status !== 'open' || Date.parse(hold.expiresAt) <= nowMs) return 'closed';
    if (hold.subjects.length !== seal.count) return 'changed';
    this.holds.set(holdId, { ...hold, sealed: seal });
    return 'sealed';
  }

  async decide(decision: HoldDecision) {
    if (this.decisions.has(decision.holdId)) return 'decided-already' as const;
    this.decisions.set(decision.holdId, decision);
    return 'written' as const;
  }
}
