/**
 * Which security-group settings a lockdown may tighten, and what "stricter" means for each. Shared by the
 * incident capability (shorten, never lengthen) and rotation (never loosen a lockdown).
 *
 * An absent setting reads as its `absent` value — the permissive end for limits (0 = unlimited) and for
 * switches — so a restore can write back an explicit value.
 */

interface LimitRule {
  readonly kind: 'limit';
  /** 0 disables the limit, so it is the loosest value. */
  readonly absent: 0;
}
interface SwitchRule {
  readonly kind: 'switch';
  /** The value that is stricter. */
  readonly strict: boolean;
  readonly absent: boolean;
}

/** Settings a playbook may tighten, with their rule. */
export const tightenableSettings = {
  maxNonSsoSessionMinutes: { kind: 'limit', absent: 0 },
  ssoMaxIdleMinutes: { kind: 'limit', absent: 0 },
  lockoutThreshold: { kind: 'limit', absent: 0 },
  forceDeviceLockout: { kind: 'limit', absent: 0 },
  alwaysReauthenticate: { kind: 'switch', strict: true, absent: false },
  messageForwardingEnabled: { kind: 'switch', strict: false, absent: true },
  enableFileDownload: { kind: 'switch', strict: false, absent: true },
  filesEnabled: { kind: 'switch', strict: false, absent: true },
  isLinkPreviewEnabled: { kind: 'switch', strict: false, absent: true },
} as const satisfies Record<string, LimitRule | SwitchRule>;

/** A setting a lockdown may tighten. */
export type TightenableSetting = keyof typeof tightenableSettings;
/** A value of such a setting. */
export type SettingValue = number | boolean;

/** The value a setting holds, reading absence (or a value of the wrong type) as its documented loose end. */
export function effectiveValue(setting: TightenableSetting, value: unknown): SettingValue {
  const rule = tightenableSettings[setting];
  if (rule.kind === 'limit') return typeof value === 'number' ? value : rule.absent;
  return typeof value === 'boolean' ? value : rule.absent;
}

/** Orders two values: negative when `a` is stricter than `b`, 0 when equally strict, positive when looser. */
export function compareStrictness(setting: TightenableSetting, a: SettingValue, b: SettingValue): number {
  const rule = tightenableSettings[setting];
  if (rule.kind === 'limit') {
    const x = a === 0 ? Number.POSITIVE_INFINITY : Number(a);
    const y = b === 0 ? Number.POSITIVE_INFINITY : Number(b);
    return x === y ? 0 : x < y ? -1 : 1;
  }
  if (a === b) return 0;
  return a === rule.strict ? -1 : 1;
}

/** The stricter of two values. */
export function stricterOf(setting: TightenableSetting, a: SettingValue, b: SettingValue): SettingValue {
  return compareStrictness(setting, a, b) <= 0 ? a : b;
}
