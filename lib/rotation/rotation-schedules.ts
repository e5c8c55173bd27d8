import type { RotationSection, Weekday } from '../policy-file/rotation-section.js';
import { weekdays } from '../policy-file/rotation-section.js';

/** One EventBridge Scheduler schedule of the rotation, in the policy's time zone. */
export interface RotationSchedule {
  /** Stable and within Scheduler's 64 characters once prefixed with the stack's name. */
  readonly suffix: string;
  readonly expression: string;
  readonly timeZone: string;
}

const nextDay = (day: Weekday): Weekday => weekdays[(weekdays.indexOf(day) + 1) % 7] as Weekday;

/**
 * The rotation's schedules, derived from the policy: the hourly drift repair, and one schedule per distinct window
 * edge — every `from` and `to` of every window, on the window's days (a `to` before its `from` falls on the next
 * day) — so moving a window in the policy moves its schedule, and daylight saving never shifts it.
 */
export function rotationSchedules(rotation: Pick<RotationSection, 'rules' | 'timeZone'>): RotationSchedule[] {
  const edges = new Map<string, Set<Weekday>>();
  const add = (clock: string, days: readonly Weekday[]) => {
    const set = edges.get(clock) ?? new Set<Weekday>();
    for (const day of days) set.add(day);
    edges.set(clock, set);
  };
  for (const rule of rotation.rules) {
    if (!rule.when) continue;
    const { from, to, days } = rule.when;
    add(from, days);
    add(to, to <= from ? days.map(nextDay) : days);
  }
  const schedules: RotationSchedule[] = [{ suffix: 'hourly', expression: 'rate(1 hour)', timeZone: rotation.timeZone }];
  for (const [clock, days] of [...edges].sort(([a], [b]) => a.localeCompare(b))) {
    const [hours, minutes] = clock.split(':').map(Number);
    const list = weekdays.filter((d) => days.has(d));
    schedules.push({
      suffix: `edge-${clock.replace(':', '')}`,
      expression: `cron(${minutes} ${hours} ? * ${list.join(',')} *)`,
      timeZone: rotation.timeZone,
    });
  }
  return schedules;
}
