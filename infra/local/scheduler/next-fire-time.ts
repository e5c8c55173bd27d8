/**
 * When a schedule fires next, as EventBridge Scheduler computes it: `rate(N unit)` every N units from when the
 * schedule was created, and `cron(minutes hours day-of-month month day-of-week year)` evaluated in the schedule's
 * time zone (daylight saving included). Fields may be `*`, `?`, numbers, lists and ranges, and day names; the
 * `L`, `W` and `#` forms are not emulated (the project derives none).
 */
const days = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const units: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

function field(spec: string, names: readonly string[] = [], offset = 0): (value: number) => boolean {
  if (spec === '*' || spec === '?') return () => true;
  const numberOf = (token: string) => {
    const named = names.indexOf(token.toUpperCase());
    return named >= 0 ? named + offset : Number(token);
  };
  const allowed = new Set<number>();
  for (const part of spec.split(',')) {
    const [from = '', to] = part.split('-');
    if (!/^([A-Za-z]{3}|\d+)(-([A-Za-z]{3}|\d+))?$/.test(part)) throw new Error(`Unsupported cron field ${spec}`);
    const start = numberOf(from);
    const end = to === undefined ? start : numberOf(to);
    for (let v = start; v <= end; v++) allowed.add(v);
  }
  return (value) => allowed.has(value);
}

/** The next time after `after` that the expression fires, or undefined within a year. */
export function nextFireTime(expression: string, timeZone: string, after: Date, createdAt = after): Date | undefined {
  const rate = expression.match(/^rate\((\d+) (minute|hour|day)s?\)$/);
  if (rate) {
    const period = Number(rate[1]) * (units[rate[2] ?? 'hour'] ?? 0);
    const elapsed = Math.max(0, after.getTime() - createdAt.getTime());
    return new Date(createdAt.getTime() + (Math.floor(elapsed / period) + 1) * period);
  }
  const cron = expression.match(/^cron\((.+)\)$/)?.[1]?.split(' ');
  if (cron?.length !== 6) throw new Error(`Unreadable schedule expression ${expression}`);
  const [minute = '', hour = '', dayOfMonth = '', month = '', dayOfWeek = ''] = cron;
  const matches = {
    minute: field(minute),
    hour: field(hour),
    dayOfMonth: field(dayOfMonth),
    month: field(month, ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'], 1),
    dayOfWeek: field(dayOfWeek, days, 1),
  };
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    weekday: 'short',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const start = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
  for (let t = start; t < start + 366 * 86_400_000; t += 60_000) {
    const parts = Object.fromEntries(format.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
    if (
      matches.minute(Number(parts.minute)) &&
      matches.hour(Number(parts.hour)) &&
      matches.dayOfMonth(Number(parts.day)) &&
      matches.month(Number(parts.month)) &&
      matches.dayOfWeek(days.indexOf(String(parts.weekday).toUpperCase()) + 1)
    ) {
      return new Date(t);
    }
  }
  return undefined;
}
