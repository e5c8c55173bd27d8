/**
 * Which security-group settings a lockdown may tighten, and what "stricter" means for each. Shared by the
 * incident capability (shorten, never lengthen) and rotation (never loosen a lockdown).
 *
 * An absent setting reads as its `absent` value — the permissive end for limits (0 = unlimited), for switches, for
 * sizes (the largest) and for minimums (0) — so a restore can write back an explicit value.
 */
import {
  type AllowListEntry,
  securityGroupSettingTable,
  type TightenRule,
  type TightenValue,
  tightenRulesOf,
} from './settings-table.js';

type Table = typeof securityGroupSettingTable;

/** A setting a lockdown may tighten: the table's settings that have a `tighten` rule, and their tightenable fields. */
export type TightenableSetting =
  | { [K in keyof Table]: Table[K] extends { tighten: object } ? K : never }[keyof Table]
  | {
      [K in keyof Table]: Table[K] extends { tightenFields: infer F } ? `${K & string}.${keyof F & string}` : never;
    }[keyof Table];

/** Settings a playbook may tighten, with their rule: derived from the settings table. */
export const tightenableSettings = tightenRulesOf(securityGroupSettingTable) as Readonly<
  Record<TightenableSetting, TightenRule>
>;

/** A value of such a setting. */
export type SettingValue = TightenValue;

// An entry's identity: a network id, or its object's members in a fixed order (Wickr may answer in another).
const entryKey = (entry: AllowListEntry) =>
  typeof entry === 'string' ? entry : JSON.stringify(Object.entries(entry).sort(([a], [b]) => a.localeCompare(b)));
const keysOf = (list: SettingValue) => new Set((list as readonly AllowListEntry[]).map(entryKey));

/** The value a setting holds, reading absence (or a value of the wrong type) as its documented loose end. */
export function effectiveValue(setting: TightenableSetting, value: unknown): SettingValue {
  const rule = tightenableSettings[setting];
  if (rule.kind === 'switch') return typeof value === 'boolean' ? value : rule.absent;
  if (rule.kind === 'allowList') return Array.isArray(value) ? (value as AllowListEntry[]) : rule.absent;
  return typeof value === 'number' ? value : rule.absent;
}

/** Whether two values of a setting are the same: an allow-list's as sets, whatever their order. */
export function sameValue(setting: TightenableSetting, a: SettingValue, b: SettingValue): boolean {
  if (tightenableSettings[setting].kind !== 'allowList') return a === b;
  const x = keysOf(a);
  const y = keysOf(b);
  return x.size === y.size && [...x].every((k) => y.has(k));
}

/**
 * Orders two values: negative when `a` is stricter than `b`, 0 when equally strict, positive when looser. Allow-lists
 * are ordered by inclusion: a list that is not within the other counts as looser.
 */
export function compareStrictness(setting: TightenableSetting, a: SettingValue, b: SettingValue): number {
  const rule = tightenableSettings[setting];
  if (rule.kind === 'allowList') {
    if (sameValue(setting, a, b)) return 0;
    const within = keysOf(b);
    return [...keysOf(a)].every((k) => within.has(k)) ? -1 : 1;
  }
  if (rule.kind === 'limit') {
    const x = a === 0 ? Number.POSITIVE_INFINITY : Number(a);
    const y = b === 0 ? Number.POSITIVE_INFINITY : Number(b);
    return x === y ? 0 : x < y ? -1 : 1;
  }
  if (rule.kind === 'smaller') return Math.sign(Number(a) - Number(b));
  if (rule.kind === 'minimum') return Math.sign(Number(b) - Number(a));
  if (a === b) return 0;
  return a === rule.strict ? -1 : 1;
}

/** The stricter of two values; of two allow-lists, the entries of `a` that `b` has too (in `a`'s order). */
export function stricterOf(setting: TightenableSetting, a: SettingValue, b: SettingValue): SettingValue {
  if (tightenableSettings[setting].kind === 'allowList') {
    const keep = keysOf(b);
    return (a as readonly AllowListEntry[]).filter((entry) => keep.has(entryKey(entry)));
  }
  return compareStrictness(setting, a, b) <= 0 ? a : b;
}
