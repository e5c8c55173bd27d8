/**
 * The hourly safeguard window, as pure arithmetic: how many of the actions wanted now may go ahead. A window opens
 * with the first action after the last one closed and lasts an hour; once an action in it is held, every further
 * one that hour is held too — a burst that trips the rule is suspect as a whole.
 */

/** A window as kept: when it opened, what it let through, whether it tripped. */
export interface WindowState {
  readonly startMs: number;
  readonly count: number;
  readonly tripped: boolean;
}

/** What the window says about some wanted actions. */
export interface Admission {
  readonly admitted: number;
  readonly next: WindowState;
  /** The limit that applied (0 when the window had tripped already). */
  readonly limit: number;
}

export const windowMs = 3_600_000;

/** The current window at `nowMs`: the kept one, or a fresh one when it closed. */
export const currentWindow = (state: WindowState | undefined, nowMs: number): WindowState =>
  !state || nowMs >= state.startMs + windowMs ? { startMs: nowMs, count: 0, tripped: false } : state;

/** How many of `wanted` actions the window admits under `limit`, and the window after them. */
export function admit(state: WindowState | undefined, wanted: number, nowMs: number, limit: number): Admission {
  const current = currentWindow(state, nowMs);
  if (current.tripped) return { admitted: 0, next: current, limit };
  const admitted = Math.max(0, Math.min(wanted, limit - current.count));
  return {
    admitted,
    limit,
    next: { startMs: current.startMs, count: current.count + admitted, tripped: admitted < wanted },
  };
}

/**
 * The deprovisioning limit of a network: above both the count and the share of the users this deployment
 * provisioned there — the larger of the two.
 */
export const deprovisionLimit = (rules: { maxPerHour: number; maxPercent: number }, provisioned: number) =>
  Math.max(rules.maxPerHour, Math.floor((provisioned * rules.maxPercent) / 100));

/** Where windows are kept: each admission one conditional write, so concurrent reconciles share one window. */
export interface SafeguardWindows {
  /**
   * Admits up to `wanted` actions in the window of `scope`; `limitFor` gives the limit, asked only when the
   * window's count would pass `floor` (the limit's lower bound), since it may cost a read.
   */
  admit(
    scope: string,
    wanted: number,
    nowMs: number,
    floor: number,
    limitFor: () => Promise<number>,
  ): Promise<Admission>;
}
