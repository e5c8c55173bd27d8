/**
 * The security-group settings' schemas, built from the settings table (lib/security-settings/settings-table.ts):
 * requests checked with the model's rules (strict: a misspelt setting is refused), responses read loosely (a
 * setting a newer API revision adds passes through).
 */
import * as z from 'zod/mini';
import type { SettingTable, SettingType, TightenValue } from '../security-settings/settings-table.js';

type FieldValue<T> = T extends 'boolean' ? boolean : number;
type ValueOf<T> = T extends 'boolean'
  ? boolean
  : T extends 'strings' | 'networkIds'
    ? string[]
    : T extends 'awsNetworks'
      ? { region: string; networkId: string }[]
      : T extends 'enterpriseNetworks'
        ? { domain: string; networkId: string }[]
        : T extends { readonly fields: infer F }
          ? { -readonly [K in keyof F]?: FieldValue<F[K]> }
          : number;

/** The settings object a table describes: every setting optional, typed by its wire type. */
export type SettingsOf<Table> = {
  -readonly [K in keyof Table]?: Table[K] extends { readonly type: infer T } ? ValueOf<T> : never;
};

const networkId = () => z.string().check(z.regex(/^[0-9]{8}$/, 'must be exactly 8 digits'));
const label = () => z.string().check(z.minLength(1, 'must not be empty'));
const nonNegativeInt = () => z.int('must be an integer').check(z.gte(0, 'must be 0 or more'));
const oneOf = (values: readonly number[]) =>
  z.int('must be an integer').check(z.refine((v) => values.includes(v), `must be one of ${values.join(', ')}`));

/** The API documentation: 0 disables the limit; otherwise 60–525600 (the model's 1–59 are refused). */
export const sessionMinutes = () =>
  z
    .int('must be an integer')
    .check(z.refine((v) => v === 0 || (v >= 60 && v <= 525600), 'must be 0 (disabled) or 60–525600'));

function requestValue(type: SettingType | 'boolean' | 'count'): z.ZodMiniType {
  if (type === 'boolean') return z.boolean();
  if (type === 'count') return nonNegativeInt();
  if (type === 'sessionMinutes') return sessionMinutes();
  if (type === 'strings') return z.array(z.string());
  if (type === 'networkIds') return z.array(networkId());
  if (type === 'awsNetworks') return z.array(z.strictObject({ region: label(), networkId: networkId() }));
  if (type === 'enterpriseNetworks') return z.array(z.strictObject({ domain: label(), networkId: networkId() }));
  if ('intIn' in type) {
    const [min, max] = type.intIn;
    return z.int('must be an integer').check(z.gte(min, `must be ${min}–${max}`), z.lte(max, `must be ${min}–${max}`));
  }
  if ('oneOf' in type) return oneOf(type.oneOf);
  return z.strictObject(
    Object.fromEntries(Object.entries(type.fields).map(([k, t]) => [k, z.optional(requestValue(t))])),
  );
}

function responseValue(type: SettingType | 'boolean' | 'count'): z.ZodMiniType {
  if (type === 'boolean') return z.boolean();
  if (type === 'strings' || type === 'networkIds') return z.array(z.string());
  if (type === 'awsNetworks') return z.array(z.looseObject({ region: z.string(), networkId: z.string() }));
  if (type === 'enterpriseNetworks') return z.array(z.looseObject({ domain: z.string(), networkId: z.string() }));
  if (typeof type === 'object' && 'fields' in type) {
    return z.looseObject(
      Object.fromEntries(Object.entries(type.fields).map(([k, t]) => [k, z.optional(responseValue(t))])),
    );
  }
  return z.number();
}

/** The settings a request may carry (all of them, or CreateSecurityGroup's), each checked by the model's rules. */
export function requestSettingsSchema<T extends SettingTable>(
  table: T,
  options: { createOnly?: boolean; unknownSetting?: string } = {},
): z.ZodMiniType<SettingsOf<T>, SettingsOf<T>> {
  const entries = Object.entries(table).filter(([, spec]) => !options.createOnly || spec.create);
  const { unknownSetting } = options;
  return z.strictObject(
    Object.fromEntries(entries.map(([name, spec]) => [name, z.optional(requestValue(spec.type))])),
    unknownSetting
      ? { error: (issue) => (issue.code === 'unrecognized_keys' ? unknownSetting : undefined) }
      : undefined,
  ) as unknown as z.ZodMiniType<SettingsOf<T>, SettingsOf<T>>;
}

/** The settings a response carries, read loosely. */
export function responseSettingsSchema<T extends SettingTable>(
  table: T,
): z.ZodMiniType<SettingsOf<T> & Record<string, unknown>> {
  return z.looseObject(
    Object.fromEntries(Object.entries(table).map(([name, spec]) => [name, z.optional(responseValue(spec.type))])),
  ) as unknown as z.ZodMiniType<SettingsOf<T> & Record<string, unknown>>;
}

// A playbook's allow-list names the few networks a lockdown keeps; a bound keeps a lock entry's item small.
const maxAllowListEntries = 100;

/**
 * The settings of a table a lockdown may tighten (but `except`), each checked as a request would check it; a setting
 * of several fields as an object of the fields it may tighten (`calling: { canVideoCall: false }`).
 */
export function tightenSettingsSchema<T extends SettingTable>(table: T, except: readonly string[] = []) {
  const entries = Object.entries(table).filter(
    ([name, spec]) => (spec.tighten || spec.tightenFields) && !except.includes(name),
  );
  const schemaOf = (spec: T[keyof T]) => {
    if (spec.tighten?.kind === 'allowList') {
      return (requestValue(spec.type) as z.ZodMiniArray).check(
        z.maxLength(maxAllowListEntries, `must list at most ${maxAllowListEntries} entries`),
      );
    }
    if (!spec.tightenFields || typeof spec.type !== 'object' || !('fields' in spec.type)) {
      return requestValue(spec.type);
    }
    const fields = spec.type.fields as Readonly<Record<string, Parameters<typeof requestValue>[0]>>;
    return z.strictObject(
      Object.fromEntries(
        Object.keys(spec.tightenFields).map((field) => [field, z.optional(requestValue(fields[field] ?? 'boolean'))]),
      ),
    );
  };
  return z.strictObject(
    Object.fromEntries(entries.map(([name, spec]) => [name, z.optional(schemaOf(spec as T[keyof T]))])),
  ) as unknown as z.ZodMiniType<{ [K in keyof T]?: TightenValue | Readonly<Record<string, number | boolean>> }>;
}
