/**
 * The canonical incident fact a source's adapter states (DESIGN's "sources are adapters"): a vendor's event in our
 * words, with a namespaced incident id and the source's own time. The incident capability applies it; no capability
 * reads a vendor's shape.
 */
import type { GroupSelector } from '../group-selector.js';
import type { Severity } from '../policy-file/vocabulary.js';

/** Where a fact came from: its channel (only it resolves what it declared) and its name in outcomes and logs. */
export interface IncidentOrigin {
  readonly channel: 'pagerduty' | 'securityhub';
  readonly label: 'PagerDuty' | 'Security Hub';
}

/** What one vendor event says about one incident. */
export type IncidentFact =
  /** The incident rates under the policy: declared (or, newer, updated). The title is normalised and bounded. */
  | {
      readonly kind: 'declared';
      readonly incidentId: string;
      readonly severity: Severity;
      readonly title: string;
      readonly at: string;
      readonly eventId: string;
      readonly networkIds?: readonly string[] | undefined;
      readonly groups?: GroupSelector | undefined;
    }
  /**
   * Resolved by its source. `onlyIfActive`: the source is no longer one the policy lists, so the resolution counts
   * only where the incident is active (it may have been declared while it was listed).
   */
  | {
      readonly kind: 'resolved';
      readonly incidentId: string;
      readonly at: string;
      readonly eventId: string;
      readonly networkIds?: readonly string[] | undefined;
      readonly onlyIfActive?: boolean | undefined;
      readonly reason?: string | undefined;
    }
  /** It no longer rates (a label or priority unmapped, a service off the list): withdrawn where active, else nothing. */
  | {
      readonly kind: 'no-longer-rates';
      readonly incidentId: string;
      readonly at: string;
      readonly reason: string;
      readonly networkIds?: readonly string[] | undefined;
    }
  /** Changes nothing here; `refused` when the event's origin is not one the deployment accepts. */
  | { readonly kind: 'ignored'; readonly incidentId: string; readonly reason: string; readonly refused?: boolean };
