import { compileGlob } from '../glob.js';
import type { GroupSelection, RotationSection, TimeWindow, Weekday } from '../policy-file/rotation-section.js';
import type { SecurityGroupSettingsUpdate } from '../wickr/index.js';

/** A moment as a wall clock in some time zone shows it. */
export interface LocalTime {
  readonly weekday: Weekday;
  /** Minutes since local midnight. */
  readonly minutes: number;
  readonly year: number;
  readonly month: number;
}

const weekdayOf: Readonly<Record<string, Weekday>> = {
  Mon: 'MON',
  Tue: 'TUE',
  Wed: 'WED',
  Thu: 'THU',
  Fri: 'FRI',
  Sat: 'SAT',
  Sun: 'SUN',
};
const order: readonly Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/** The wall-clock time at `at` in `timeZone` (daylight saving included). */
export function localTime(at: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    weekday: weekdayOf[parts.weekday ?? ''] ?? 'MON',
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    year: Number(parts.year),
    month: Number(parts.month),
  };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether a local time falls in a weekly window; a window whose `to` is not after `from` runs past midnight. */
export function inWindow(window: TimeWindow, local: LocalTime): boolean {
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  if (from < to) return window.days.includes(local.weekday) && local.minutes >= from && local.minutes < to;
  if (local.minutes >= from) return window.days.includes(local.weekday);
  const yesterday = order[(order.indexOf(local.weekday) + 6) % 7] as Weekday;
  return local.minutes < to && window.days.includes(yesterday);
}

/** The version label of the consent text: `2026-11` per month, `2026-Q4` per quarter. */
export function periodOf(local: LocalTime, period: 'month' | 'quarter'): string {
  return period === 'month'
    ? `${local.year}-${String(local.month).padStart(2, '0')}`
    : `${local.year}-Q${Math.ceil(local.month / 3)}`;
}

/** A security group as rotation sees it. */
export interface RotationGroup {
  readonly id: string;
  readonly name: string;
  readonly isDefault: boolean;
}

/** Whether a rule's selection covers a group. */
export function selected(selection: GroupSelection, group: RotationGroup): boolean {
  if ('all' in selection) return true;
  if ('default' in selection) return group.isDefault;
  if ('ids' in selection) return selection.ids.includes(group.id);
  return compileGlob(selection.namePattern)(group.name);
}

/** What the policy asks of each group and of the popup at time T. */
export interface DesiredState {
  readonly groups: ReadonlyMap<string, SecurityGroupSettingsUpdate>;
  readonly popup?: { enabled: boolean; header: string; content: string; closeButtonLabel: string } | undefined;
  readonly period?: string | undefined;
}

/** The policy evaluated at T: a pure function of the rotation section, T and the groups. */
export function desiredAt(rotation: RotationSection, at: Date, groups: readonly RotationGroup[]): DesiredState {
  const local = localTime(at, rotation.timeZone);
  const desired = new Map<string, SecurityGroupSettingsUpdate>();
  for (const group of groups) {
    let settings: SecurityGroupSettingsUpdate = {};
    for (const rule of rotation.rules) {
      if (!selected(rule.select, group)) continue;
      const applies = rule.when ? inWindow(rule.when, local) : true;
      const layer = applies ? rule.settings : (rule.otherwise ?? {});
      settings = { ...settings, ...(layer as SecurityGroupSettingsUpdate) };
    }
    if (Object.keys(settings).length > 0) desired.set(group.id, settings);
  }
  const popup = rotation.consentPopup;
  if (!popup) return { groups: desired };
  const period = periodOf(local, popup.period);
  const values: Record<string, string> = {
    period,
    year: String(local.year),
    quarter: `Q${Math.ceil(local.month / 3)}`,
    month: String(local.month).padStart(2, '0'),
  };
  const fill = (text: string) => text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => values[name] ?? '');
  return {
    groups: desired,
    period,
    popup: {
      enabled: popup.enabled,
      header: fill(popup.header),
      content: fill(popup.content),
      closeButtonLabel: popup.closeButtonLabel,
    },
  };
}
