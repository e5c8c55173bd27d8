/**
 * Which security-group settings a lockdown may tighten, and what "stricter" means for each. Shared by the
 * incident capability (shorten, never lengthen) and rotation (never loosen a lockdown).
 *
 * An absent setting reads as its `absent` value — the permissive end for limits (0 = unlimited), for switches, for
 * sizes (the largest) and for minimums (0) — so a restore can write back an explicit value.
 */
import { securityGroupSettingTable, type TightenRule, tightenRulesOf } from './settings-table.js';

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
export type SettingValue = number | boolean;

/** The value a setting holds, reading absence (or a value of the wrong type) as its documented loose end. */
export function effectiveValue(setting: TightenableSetting, value: unknown): SettingValue {
  const rule = tightenableSettings[setting];
  if (rule.kind === 'switch') return typeof value === 'boolean' ? value : rule.absent;
  return typeof value === 'number' ? value : rule.absent;
}

/** Orders two values: negative when `a` is stricter than `b`, 0 when equally strict, positive when looser. */
export function compareStrictness(setting: TightenableSetting, a: SettingValue, b: SettingValue): number {
  const rule = tightenableSettings[setting];
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

/** The stricter of two values. */
export function stricterOf(setting: TightenableSetting, a: SettingValue, b: SettingValue): SettingValue {
  return compareStrictness(setting, a, b) <= 0 ? a : b;
}
