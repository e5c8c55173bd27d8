import type { GroupSelector } from '../events/incident-events.js';
import type { Severity } from '../policy-file/incident-section.js';
import type { SettingValue, TightenableSetting } from '../security-settings/strictness.js';

/** An incident that is active on a network, as its declaration recorded it. */
export interface ActiveIncident {
  readonly incidentId: string;
  readonly severity: Severity;
  readonly title?: string | undefined;
  readonly declaredAt: string;
  readonly groups?: GroupSelector | undefined;
}

/** Where incident facts come from: an incident may be resolved only through the channel that declared it. */
export type IncidentChannel = 'incidents' | 'securityhub' | 'pagerduty';

/** The desired state of one network: the incidents active on it, and a version that moves with every change. */
export interface NetworkDesiredState {
  readonly version: number;
  readonly active: readonly ActiveIncident[];
}

/**
 * What the lockdown did to one field: the value before any incident (`original`), the value it last set or is
 * setting (`set`), and the value just before that (`prev`). The field is still ours while it holds one of them.
 */
export interface FieldLock<V = SettingValue> {
  readonly original: V;
  readonly set: V;
  readonly prev: V;
}

/** The lock entries of one security group. */
export interface GroupLock {
  readonly groupId: string;
  readonly fields: Partial<Record<TightenableSetting, FieldLock>>;
  /** Moves with every write; a write names the revision it read, so originals are never overwritten blindly. */
  readonly revision: number;
}

/** A consent popup with every member present, so two can be compared and one restored exactly. */
export interface PopupConfig {
  readonly enabled: boolean;
  readonly header: string;
  readonly content: string;
  readonly closeButtonLabel: string;
}

/** Every lock entry of a network. */
export interface NetworkLocks {
  readonly groups: readonly GroupLock[];
  readonly popup?: FieldLock<PopupConfig> | undefined;
  /** Guests the lockdown blocked (`guests: block-all`), by username hash. */
  readonly guests?: readonly string[] | undefined;
}

/**
 * The target a reconcile last brought a network exactly to, kept between invocations so that facts which leave it
 * alone cost no Wickr request: its basis (digests of what was asked), what the pass found, and when.
 */
export interface ReachedTarget {
  readonly asks: readonly string[];
  readonly popup?: string | undefined;
  readonly groupsChecked: number;
  /** Group ids and name patterns of the selectors then active that matched no group. */
  readonly unmatchedIds: readonly string[];
  readonly unmatchedPatterns: readonly string[];
  /** The desired state's version it was reached at, and when. */
  readonly version: number;
  readonly atMs: number;
}
