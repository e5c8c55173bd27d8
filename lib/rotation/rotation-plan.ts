import type { ConsentPopupReading } from '../wickr/consent-popup.js';
import type { SecurityGroupSettingsUpdate } from '../wickr/index.js';
import type { DesiredState, RotationGroup } from './policy-at.js';

/** A group as listed, with the settings it holds now. */
export interface LiveRotationGroup extends RotationGroup {
  readonly settings: Readonly<Record<string, unknown>>;
}

/** One field that differs from the policy. */
export interface RotationChange {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
}

/** What to PATCH on one drifted group: only the fields that differ. */
export interface RotationGroupStep {
  readonly groupId: string;
  readonly groupName: string;
  readonly patch: SecurityGroupSettingsUpdate;
  readonly changes: readonly RotationChange[];
}

/** Fields an active incident lockdown holds, which rotation must not touch. */
type Popup = NonNullable<DesiredState['popup']>;

export interface LockedFields {
  /** Group id → field → the value the lockdown set. */
  readonly groups: ReadonlyMap<string, ReadonlyMap<string, unknown>>;
  readonly popup: boolean;
  /** The popup the lockdown set, when it holds one. */
  readonly popupSet?: Popup | undefined;
}

/** The change set of one rotation run. */
export interface RotationPlan {
  readonly checked: number;
  readonly groups: readonly RotationGroupStep[];
  readonly popup?: { readonly from: Popup | null; readonly to: Popup } | undefined;
  readonly skipped: readonly { readonly groupId: string; readonly field: string; readonly reason: string }[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as canonical JSON (object keys sorted): equal values, equal text. */
export function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_, v) => (isObject(v) ? Object.fromEntries(Object.entries(v).sort()) : v)) ?? 'undefined'
  );
}

// PATCH merges structures one level down, so a structure differs only in the members the policy names.
function differs(desired: unknown, live: unknown): boolean {
  if (isObject(desired))
    return Object.entries(desired).some(([k, v]) => differs(v, isObject(live) ? live[k] : undefined));
  return canonical(desired) !== canonical(live);
}

const popupOf = (reading: ConsentPopupReading): Popup | null | undefined => {
  if (reading.status === 'absent') return null;
  if (reading.status === 'unreadable') return undefined;
  const c = reading.config;
  return {
    enabled: c.enabled,
    header: c.header ?? '',
    content: c.content ?? '',
    closeButtonLabel: c.closeButtonLabel ?? '',
  };
};

/** The minimal change set from the live state to the desired one, leaving what a lockdown holds alone. Pure. */
export function planRotation(
  desired: DesiredState,
  groups: readonly LiveRotationGroup[],
  popup: ConsentPopupReading,
  locked: LockedFields,
): RotationPlan {
  const steps: RotationGroupStep[] = [];
  const skipped: RotationPlan['skipped'][number][] = [];
  for (const group of groups) {
    const want = desired.groups.get(group.id);
    if (!want) continue;
    const patch: Record<string, unknown> = {};
    const changes: RotationChange[] = [];
    for (const [field, value] of Object.entries(want)) {
      if (!differs(value, group.settings[field])) continue;
      if (locked.groups.get(group.id)?.has(field)) {
        skipped.push({ groupId: group.id, field, reason: 'held by an active incident lockdown' });
        continue;
      }
      patch[field] = value;
      changes.push({ field, from: group.settings[field] ?? null, to: value });
    }
    if (changes.length > 0) steps.push({ groupId: group.id, groupName: group.name, patch, changes });
  }
  let popupChange: RotationPlan['popup'];
  if (desired.popup) {
    const live = popupOf(popup);
    if (live === undefined)
      skipped.push({
        groupId: '(network)',
        field: 'consentPopup',
        reason: 'the live popup is in a form this version cannot read',
      });
    else if (canonical(live) !== canonical(desired.popup)) {
      if (locked.popup)
        skipped.push({ groupId: '(network)', field: 'consentPopup', reason: 'held by an active incident lockdown' });
      else popupChange = { from: live, to: desired.popup };
    }
  }
  return { checked: groups.length, groups: steps, popup: popupChange, skipped };
}
