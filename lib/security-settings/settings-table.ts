/**
 * Every security-group setting, once: its wire type as the Wickr Admin API's model states it, whether
 * CreateSecurityGroup accepts it (`SecurityGroupSettingsRequest`), and — for the settings a lockdown may tighten —
 * what "stricter" means. The request and response schemas (lib/wickr), the playbook's `tighten` section
 * (lib/policy-file) and the strictness rules (./strictness.ts) are all derived from this table: a new setting is one
 * line here.
 */

/** A limit: 0 disables it, so 0 is the loosest value; otherwise smaller is stricter. */
export interface LimitRule {
  readonly kind: 'limit';
  readonly absent: 0;
}
/** A switch: one value is the stricter one; absence reads as the permissive end. */
export interface SwitchRule {
  readonly kind: 'switch';
  readonly strict: boolean;
  readonly absent: boolean;
}

/** A choice of sizes: smaller is stricter; absence reads as the largest (`maxAutoDownloadSize`). */
export interface SmallerRule {
  readonly kind: 'smaller';
  readonly absent: number;
}

/** A minimum: larger is stricter; absence reads as 0 (`passwordRequirements.minLength` and its other counts). */
export interface MinimumRule {
  readonly kind: 'minimum';
  readonly absent: 0;
}

/**
 * An allow-list: fewer entries is stricter; absence reads as empty (nothing to shrink). A lockdown only ever shrinks
 * it, to the entries the playbook lists that the group already has (`permittedNetworks` and its kin).
 */
export interface AllowListRule {
  readonly kind: 'allowList';
  readonly absent: readonly [];
}

/** What "stricter" means for one setting. */
export type TightenRule = LimitRule | SwitchRule | SmallerRule | MinimumRule | AllowListRule;

/** An allow-list's entry: a network id, or an object naming one (`{ region, networkId }`, `{ domain, networkId }`). */
export type AllowListEntry = string | Readonly<Record<string, string>>;

/** A value a lockdown may ask for. */
export type TightenValue = number | boolean | readonly AllowListEntry[];

/** A value's wire type. */
export type SettingType =
  | 'boolean'
  | 'count'
  | 'sessionMinutes'
  | 'strings'
  | 'networkIds'
  | 'awsNetworks'
  | 'enterpriseNetworks'
  | { readonly intIn: readonly [number, number] }
  | { readonly oneOf: readonly number[] }
  | { readonly fields: Readonly<Record<string, 'boolean' | 'count' | { readonly oneOf: readonly number[] }>> };

/** One setting of the table. */
export interface SettingSpec {
  readonly type: SettingType;
  /** CreateSecurityGroup accepts it (the others only UpdateSecurityGroup). */
  readonly create?: true;
  /** A lockdown may tighten it; what stricter means. */
  readonly tighten?: TightenRule;
  /** For a setting of several fields: those a lockdown may tighten, each on its own (`calling.canVideoCall`). */
  readonly tightenFields?: Readonly<Record<string, TightenRule>>;
  /**
   * Tightening it destroys evidence (shorter message lifetimes): a playbook may ask for it only with
   * `requireDataRetention: true`, and a reconcile skips it where the network's data retention is not active.
   */
  readonly needsRetention?: true;
}

const limit = { kind: 'limit', absent: 0 } as const;
const offIsStrict = { kind: 'switch', strict: false, absent: true } as const;
const onIsStrict = { kind: 'switch', strict: true, absent: false } as const;
const atLeast = { kind: 'minimum', absent: 0 } as const;
const allowList = { kind: 'allowList', absent: [] } as const;

/** The settings table. */
export const securityGroupSettingTable = {
  alwaysReauthenticate: { type: 'boolean', tighten: onIsStrict },
  atakPackageValues: { type: 'strings' },
  calling: {
    type: { fields: { canStart11Call: 'boolean', canVideoCall: 'boolean', forceTcpCall: 'boolean' } },
    tightenFields: { canStart11Call: offIsStrict, canVideoCall: offIsStrict, forceTcpCall: onIsStrict },
  },
  checkForUpdates: { type: 'boolean' },
  enableAtak: { type: 'boolean', tighten: offIsStrict },
  enableCrashReports: { type: 'boolean' },
  enableFileDownload: { type: 'boolean', tighten: offIsStrict },
  enableGuestFederation: { type: 'boolean', create: true, tighten: offIsStrict },
  enableNotificationPreview: { type: 'boolean', tighten: offIsStrict },
  enableOpenAccessOption: { type: 'boolean' },
  enableRestrictedGlobalFederation: { type: 'boolean', create: true, tighten: onIsStrict },
  federationMode: { type: { intIn: [0, 2] }, create: true },
  filesEnabled: { type: 'boolean', tighten: offIsStrict },
  forceDeviceLockout: { type: 'count', tighten: limit },
  forceOpenAccess: { type: 'boolean' },
  forceReadReceipts: { type: 'boolean' },
  globalFederation: { type: 'boolean', create: true, tighten: offIsStrict },
  isAtoEnabled: { type: 'boolean', tighten: onIsStrict },
  isLinkPreviewEnabled: { type: 'boolean', tighten: offIsStrict },
  locationAllowMaps: { type: 'boolean', tighten: offIsStrict },
  locationEnabled: { type: 'boolean', tighten: offIsStrict },
  lockoutThreshold: { type: 'count', create: true, tighten: limit },
  maxAutoDownloadSize: { type: { oneOf: [512000, 7340032] }, tighten: { kind: 'smaller', absent: 7340032 } },
  maxBor: { type: 'count', tighten: limit, needsRetention: true },
  maxNonSsoSessionMinutes: { type: 'sessionMinutes', tighten: limit },
  maxTtl: { type: 'count', tighten: limit, needsRetention: true },
  messageForwardingEnabled: { type: 'boolean', tighten: offIsStrict },
  passwordRequirements: {
    type: {
      fields: { lowercase: 'count', minLength: 'count', numbers: 'count', symbols: 'count', uppercase: 'count' },
    },
    tightenFields: {
      lowercase: atLeast,
      minLength: atLeast,
      numbers: atLeast,
      symbols: atLeast,
      uppercase: atLeast,
    },
  },
  permittedNetworks: { type: 'networkIds', create: true, tighten: allowList },
  permittedWickrAwsNetworks: { type: 'awsNetworks', create: true, tighten: allowList },
  permittedWickrEnterpriseNetworks: { type: 'enterpriseNetworks', create: true, tighten: allowList },
  presenceEnabled: { type: 'boolean' },
  quickResponses: { type: 'strings' },
  showMasterRecoveryKey: { type: 'boolean' },
  shredder: { type: { fields: { canProcessManually: 'boolean', intensity: { oneOf: [0, 20, 60, 100] } } } },
  ssoMaxIdleMinutes: { type: 'count', tighten: limit },
} as const satisfies Readonly<Record<string, SettingSpec>>;

export type SettingTable = Readonly<Record<string, SettingSpec>>;

/** The settings of a table a lockdown may tighten, with their rules; a field of a setting as `setting.field`. */
export function tightenRulesOf(table: SettingTable): Record<string, TightenRule> {
  return Object.fromEntries(
    Object.entries(table).flatMap(([name, spec]) => [
      ...(spec.tighten ? [[name, spec.tighten] as const] : []),
      ...Object.entries(spec.tightenFields ?? {}).map(([field, rule]) => [`${name}.${field}`, rule] as const),
    ]),
  );
}

/** The settings of a table whose tightening needs the network's data retention on (`maxTtl`, `maxBor`). */
export function retentionSettingsOf(table: SettingTable): string[] {
  return Object.entries(table)
    .filter(([, spec]) => spec.needsRetention)
    .map(([name]) => name);
}

/** A setting's value in a settings object, by its name or `setting.field`. */
export function settingAt(settings: Readonly<Record<string, unknown>>, name: string): unknown {
  const [top = '', field] = name.split('.');
  const value = settings[top];
  return field === undefined ? value : (value as Record<string, unknown> | undefined)?.[field];
}

/**
 * Puts a value in a request body by its name: a field of a setting of several fields goes into that setting's object,
 * the fields not named kept as `live` has them (UpdateSecurityGroup replaces the object whole).
 */
export function putSetting(
  body: Record<string, unknown>,
  name: string,
  value: unknown,
  live: Readonly<Record<string, unknown>>,
): void {
  const [top = '', field] = name.split('.');
  if (field === undefined) {
    body[top] = value;
    return;
  }
  const current = (body[top] ?? live[top] ?? {}) as Record<string, unknown>;
  body[top] = { ...current, [field]: value };
}

/** A playbook's `tighten` as flat asks: a field of a setting of several fields as `setting.field`. */
export function flatTighten(tighten: Readonly<Record<string, unknown>>): Record<string, TightenValue> {
  return Object.fromEntries(
    Object.entries(tighten).flatMap(([name, value]) =>
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? Object.entries(value).map(([field, v]) => [`${name}.${field}`, v as TightenValue])
        : [[name, value as TightenValue]],
    ),
  );
}
