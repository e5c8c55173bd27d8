/**
 * What a network's reconcile does next, from the facts alone (pure): the rules that decide between "already there",
 * "wait for the storm to pass" and "read Wickr and apply" — so they can be tested without DynamoDB or Wickr.
 */
import type { ReachedTarget } from './incident-records.js';
import { sameBasis, type TargetBasis, tightens } from './lockdown-target.js';

/** Where a loosening's wait for quiet stands: how many waits so far, and the version the last one saw. */
export interface SettleState {
  readonly waits: number;
  readonly version?: number | undefined;
}

/** The next step of a round. */
export type NextStep =
  /** The network is at the target these facts ask for: only the version moved; release without reading Wickr. */
  | { readonly kind: 'at-target' }
  /** A storm that would loosen: wait for the facts to stop (one restore instead of one per resolution). */
  | { readonly kind: 'wait-for-quiet'; readonly settle: SettleState }
  /** Read Wickr, plan and apply. */
  | { readonly kind: 'reconcile' };

/**
 * The next step for facts at `version` asking for `basis`, when the network last reached `reached` (a trusted one, or
 * none). Tightening never waits, nor does a lone fact (one version past the reached one); a loosening in a storm waits
 * for quiet at most `maxWaits` times, and never twice for the same version.
 */
export function nextStep(
  basis: TargetBasis,
  version: number,
  reached: ReachedTarget | undefined,
  settle: SettleState,
  maxWaits: number,
): NextStep {
  if (!reached) return { kind: 'reconcile' };
  if (sameBasis(basis, reached)) return { kind: 'at-target' };
  const storm = version > reached.version + 1;
  if (storm && !tightens(basis, reached) && settle.waits < maxWaits && version !== settle.version) {
    return { kind: 'wait-for-quiet', settle: { waits: settle.waits + 1, version } };
  }
  return { kind: 'reconcile' };
}
