import { describe, expect, it } from 'vitest';
import { nextFireTime } from '../../../../infra/local/scheduler/next-fire-time.js';

describe('nextFireTime, as EventBridge Scheduler computes it', () => {
  it('evaluates a cron in its time zone, across daylight saving', () => {
    const weekdays8 = 'cron(0 8 ? * MON,TUE,WED,THU,FRI *)';
    // Friday 2026-10-23, 10:00 in Berlin (CEST, UTC+2): next is Monday 08:00 CET (UTC+1) after the change.
    expect(nextFireTime(weekdays8, 'Europe/Berlin', new Date('2026-10-23T08:00:00Z'))?.toISOString()).toBe(
      '2026-10-26T07:00:00.000Z',
    );
    expect(nextFireTime(weekdays8, 'Europe/Berlin', new Date('2026-10-21T05:00:00Z'))?.toISOString()).toBe(
      '2026-10-21T06:00:00.000Z',
    );
    expect(
      nextFireTime('cron(0 22 ? * FRI,SAT *)', 'America/New_York', new Date('2026-11-28T12:00:00Z'))?.toISOString(),
    ).toBe('2026-11-29T03:00:00.000Z');
  });

  it('counts a rate from the schedule’s creation', () => {
    const created = new Date('2026-11-28T10:15:00Z');
    expect(nextFireTime('rate(1 hour)', 'UTC', new Date('2026-11-28T12:20:00Z'), created)?.toISOString()).toBe(
      '2026-11-28T13:15:00.000Z',
    );
  });
});
