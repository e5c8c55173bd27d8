import { canonicalJson } from '../canonical-json.js';
import { putSetting, settingAt } from '../security-settings/settings-table.js';
import {
  effectiveValue,
  type SettingValue,
  sameValue,
  stricterOf,
  type TightenableSetting,
} from '../security-settings/strictness.js';
import type { ConsentPopupReading } from '../wickr/consent-popup.js';
import type { FieldLock, GroupLock, NetworkLocks, PopupConfig } from './incident-records.js';
import type { LockdownTarget } from './lockdown-target.js';

/** A security group as listed, with the settings it holds now. */
export interface LiveGroup {
  readonly id: string;
  readonly name: string;
  readonly settings: Readonly<Record<string, unknown>>;
}

/** One field changed on one group. */
export interface FieldChange {
  readonly field: TightenableSetting;
  readonly before: SettingValue;
  readonly after: SettingValue;
}

/** A value someone else set while the lockdown held the field: kept, and reported. */
export interface FieldConflict {
  readonly field: TightenableSetting;
  readonly original: SettingValue;
  readonly ours: SettingValue;
  readonly found: SettingValue;
}

type LockFields = GroupLock['fields'];

/** What to do to one group, in order: write `lockBefore`, PATCH `patch`, then write `lockAfter`. */
export interface GroupStep {
  readonly groupId: string;
  readonly groupName: string;
  /** The request body: a field of a setting of several fields inside its object (`calling: {…}`), the rest kept. */
  readonly patch: Readonly<Record<string, unknown>>;
  readonly changes: readonly FieldChange[];
  readonly conflicts: readonly FieldConflict[];
  /** Entries to record before the PATCH; undefined when none are needed. */
  readonly lockBefore?: LockFields | undefined;
  /** Entries once the PATCH succeeded: `null` deletes them, undefined leaves them as they are. */
  readonly lockAfter?: LockFields | null | undefined;
  /** The revision of the entry as read; undefined when the group had none. */
  readonly readRevision?: number | undefined;
}

/** What to do to the network's consent popup. */
export interface PopupStep {
  readonly send?: PopupConfig | undefined;
  readonly before?: PopupConfig | undefined;
  readonly lockBefore?: FieldLock<PopupConfig> | undefined;
  readonly lockExists: boolean;
  readonly lockAfter?: null | undefined;
  readonly conflict?: { readonly ours: PopupConfig; readonly found: PopupConfig } | undefined;
  readonly skipped?: string | undefined;
}

/** Everything one reconcile pass will do to a network. */
export interface ReconcilePlan {
  readonly groups: readonly GroupStep[];
  readonly popup: PopupStep;
}

/** A popup with every member present; absent text reads as empty. */
export function normalizePopup(config: {
  enabled: boolean;
  header?: string | undefined;
  content?: string | undefined;
  closeButtonLabel?: string | undefined;
}): PopupConfig {
  return {
    enabled: config.enabled,
    header: config.header ?? '',
    content: config.content ?? '',
    closeButtonLabel: config.closeButtonLabel ?? '',
  };
}

const samePopup = (a: PopupConfig, b: PopupConfig) =>
  a.enabled === b.enabled &&
  a.header === b.header &&
  a.content === b.content &&
  a.closeButtonLabel === b.closeButtonLabel;

// A field is still ours while it holds a value we recorded: the one we set, the one before it (the PATCH may
// not have happened), or the original (the restore PATCH may have happened before its entry was removed).
const ownedBy = <V>(lock: FieldLock<V>, live: V, same: (a: V, b: V) => boolean) =>
  same(live, lock.set) || same(live, lock.prev) || same(live, lock.original);

function planGroup(group: LiveGroup, lock: GroupLock | undefined, wants: LockdownTarget['groups']): GroupStep {
  const want = wants.get(group.id) ?? {};
  const fields = new Set([...Object.keys(want), ...Object.keys(lock?.fields ?? {})] as TightenableSetting[]);
  const entries: { -readonly [K in TightenableSetting]?: FieldLock } = { ...(lock?.fields ?? {}) };
  const patch: Record<string, unknown> = {};
  const changes: FieldChange[] = [];
  const conflicts: FieldConflict[] = [];
  const released = new Set<TightenableSetting>();
  let recordFirst = false;

  for (const field of [...fields].sort()) {
    const live = effectiveValue(field, settingAt(group.settings, field));
    const asked = want[field];
    let entry = entries[field];
    const same = (a: SettingValue, b: SettingValue) => sameValue(field, a, b);
    if (entry && !ownedBy(entry, live, same)) {
      conflicts.push({ field, original: entry.original, ours: entry.set, found: live });
      delete entries[field];
      entry = undefined;
    }
    if (entry) {
      const target = asked === undefined ? entry.original : stricterOf(field, entry.original, asked);
      if (!same(live, target)) {
        putSetting(patch, field, target, group.settings);
        changes.push({ field, before: live, after: target });
        entries[field] = { original: entry.original, set: target, prev: live };
        if (asked !== undefined) recordFirst = true;
      }
      if (asked === undefined) released.add(field);
    } else if (asked !== undefined && !same(stricterOf(field, live, asked), live)) {
      // An allow-list shrinks to the entries asked for that the group has; any other setting takes the value asked.
      const target = stricterOf(field, live, asked);
      putSetting(patch, field, target, group.settings);
      changes.push({ field, before: live, after: target });
      entries[field] = { original: live, set: target, prev: live };
      recordFirst = true;
    }
  }

  const remaining = Object.fromEntries(Object.entries(entries).filter(([f]) => !released.has(f as TightenableSetting)));
  const stored = recordFirst ? { ...entries } : lock?.fields;
  let lockAfter: LockFields | null | undefined;
  if (Object.keys(remaining).length === 0) lockAfter = stored === undefined ? undefined : null;
  else if (canonicalJson(remaining) !== canonicalJson(stored)) lockAfter = remaining;
  return {
    groupId: group.id,
    groupName: group.name,
    patch,
    changes,
    conflicts,
    lockBefore: recordFirst ? stored : undefined,
    lockAfter,
    readRevision: lock?.revision,
  };
}

function planPopup(
  reading: ConsentPopupReading,
  want: PopupConfig | undefined,
  lock: NetworkLocks['popup'],
): PopupStep {
  const lockExists = lock !== undefined;
  if (reading.status === 'unreadable') {
    return want || lock
      ? { lockExists, skipped: 'the popup in GetNetworkSettings is in a form this version cannot read; left as it is' }
      : { lockExists };
  }
  // Never configured reads as disabled: that is what a restore writes back.
  const live = reading.status === 'read' ? normalizePopup(reading.config) : normalizePopup({ enabled: false });
  let entry = lock;
  let conflict: PopupStep['conflict'];
  if (entry && !ownedBy(entry, live, samePopup)) {
    conflict = { ours: entry.set, found: live };
    entry = undefined;
  }
  if (entry) {
    const target = want ?? entry.original;
    const send = samePopup(live, target) ? undefined : target;
    return {
      send,
      before: send && live,
      lockBefore: want && send ? { original: entry.original, set: target, prev: live } : undefined,
      lockExists,
      lockAfter: want ? undefined : null,
      conflict,
    };
  }
  if (want && !samePopup(live, want)) {
    return { send: want, before: live, lockBefore: { original: live, set: want, prev: live }, lockExists, conflict };
  }
  return { lockExists, lockAfter: conflict ? null : undefined, conflict };
}

/**
 * Plans one reconcile pass, purely: shorten each targeted field where the group is looser than asked, put back
 * each field no incident asks for any more where it still holds what the lockdown set, and report the rest.
 */
export function planReconcile(
  target: LockdownTarget,
  groups: readonly LiveGroup[],
  locks: NetworkLocks,
  popup: ConsentPopupReading,
): ReconcilePlan {
  const lockByGroup = new Map(locks.groups.map((l) => [l.groupId, l]));
  const steps = groups.map((group) => planGroup(group, lockByGroup.get(group.id), target.groups));
  const live = new Set(groups.map((g) => g.id));
  // Entries of groups deleted meanwhile describe nothing any more.
  const stale = locks.groups
    .filter((l) => !live.has(l.groupId))
    .map((l) => ({ groupId: l.groupId, groupName: '', patch: {}, changes: [], conflicts: [], lockAfter: null }));
  return { groups: [...steps, ...stale], popup: planPopup(popup, target.popup, locks.popup) };
}
