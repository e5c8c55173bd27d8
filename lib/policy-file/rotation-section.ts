import * as z from 'zod/mini';
import { SecurityGroupSettingsInput } from '../wickr/request-schemas.js';

export const weekdays = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof weekdays)[number];

const clock = z.string().check(z.regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a time HH:MM (24 h)'));

/** Which groups a rule applies to. */
export const GroupSelection = z.union(
  [
    z.strictObject({ all: z.literal(true) }),
    z.strictObject({ default: z.literal(true) }),
    z.strictObject({ namePattern: z.string().check(z.minLength(1)) }),
    z.strictObject({ ids: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)) }),
  ],
  'must be one of {all: true}, {default: true}, {namePattern: "…"}, {ids: […]}',
);
export type GroupSelection = z.output<typeof GroupSelection>;

const Window = z.strictObject({
  days: z.array(z.enum(weekdays, `must be one of ${weekdays.join(', ')}`)).check(z.minLength(1)),
  from: clock,
  to: clock,
});
export type TimeWindow = z.output<typeof Window>;

const Rule = z.strictObject({
  select: GroupSelection,
  /** Settings while the rule holds (inside `when`, or always when there is no `when`). */
  settings: SecurityGroupSettingsInput,
  /** A weekly window, in the section's time zone; `to` before `from` runs past midnight. */
  when: z.optional(Window),
  /** Settings outside the window. */
  otherwise: z.optional(SecurityGroupSettingsInput),
});
export type RotationRule = z.output<typeof Rule>;

const placeholder = /\{\{\s*(\w+)\s*\}\}/g;
export const periodPlaceholders = ['period', 'year', 'quarter', 'month'] as const;
const popupText = (max: number) =>
  z.string().check(
    z.refine(
      (t) => [...t.matchAll(placeholder)].every((m) => (periodPlaceholders as readonly string[]).includes(m[1] ?? '')),
      `may use only ${periodPlaceholders.map((p) => `{{${p}}}`).join(', ')}`,
    ),
    z.refine((t) => t.replace(placeholder, 'XXXXXXX').length <= max, `must stay within ${max} characters`),
  );

export const timeZone = z.string().check(
  z.refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone, e.g. Europe/Berlin'),
);

/** The `rotation` section: baselines and windows per group selection, the rotating consent text, and guards. */
export const RotationSection = z.strictObject({
  timeZone: z._default(timeZone, 'UTC'),
  /** Applied in order; a later rule wins for the settings it names. */
  rules: z._default(z.array(Rule), () => []),
  /** The consent text people acknowledge, versioned per month or quarter. */
  consentPopup: z.optional(
    z.strictObject({
      period: z.enum(['month', 'quarter'], 'must be month or quarter'),
      enabled: z._default(z.boolean(), true),
      header: popupText(100),
      content: popupText(5000),
      closeButtonLabel: z._default(z.string().check(z.maxLength(20, 'must be at most 20 characters')), 'Acknowledge'),
    }),
  ),
  guards: z._default(
    z.strictObject({
      /** A run that would change more groups than this changes none. */
      maxChanges: z._default(z.int().check(z.gte(0)), 100),
      /** …or more than this percentage of the network's groups. */
      maxChangePercent: z._default(z.number().check(z.gte(0), z.lte(100)), 50),
    }),
    () => ({ maxChanges: 100, maxChangePercent: 50 }),
  ),
  /** Publish the plan only; change nothing. */
  dryRun: z._default(z.boolean(), false),
});
export type RotationSection = z.output<typeof RotationSection>;
