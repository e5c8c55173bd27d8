import { describe, expect, it } from 'vitest';
import { rotationSchedules } from '../../../lib/rotation/rotation-schedules.js';

const settings = { maxNonSsoSessionMinutes: 60 };

describe('rotationSchedules', () => {
  it('derives one schedule per window edge, in the policy’s zone; an edge past midnight falls on the next day', () => {
    const schedules = rotationSchedules({
      timeZone: 'America/New_York',
      rules: [
        {
          select: { all: true },
          settings,
          when: { days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '09:30', to: '17:00' },
        },
        { select: { default: true }, settings, when: { days: ['FRI', 'SAT'], from: '22:00', to: '06:00' } },
        { select: { namePattern: 'ops*' }, settings, when: { days: ['SAT'], from: '09:30', to: '12:00' } },
        { select: { ids: ['g1'] }, settings },
      ],
    });
    expect(schedules).toEqual([
      { suffix: 'hourly', expression: 'rate(1 hour)', timeZone: 'America/New_York' },
      { suffix: 'edge-0600', expression: 'cron(0 6 ? * SAT,SUN *)', timeZone: 'America/New_York' },
      { suffix: 'edge-0930', expression: 'cron(30 9 ? * MON,TUE,WED,THU,FRI,SAT *)', timeZone: 'America/New_York' },
      { suffix: 'edge-1200', expression: 'cron(0 12 ? * SAT *)', timeZone: 'America/New_York' },
      { suffix: 'edge-1700', expression: 'cron(0 17 ? * MON,TUE,WED,THU,FRI *)', timeZone: 'America/New_York' },
      { suffix: 'edge-2200', expression: 'cron(0 22 ? * FRI,SAT *)', timeZone: 'America/New_York' },
    ]);
  });
});
