import { describe, expect, it } from 'vitest';
import type { RotationSection } from '../../../lib/policy-file/rotation-section.js';
import { desiredAt, inWindow, localTime, periodOf } from '../../../lib/rotation/policy-at.js';

const weekdays = { days: ['MON', 'TUE', 'WED', 'THU', 'FRI'] as const, from: '08:00', to: '18:00' };
const at = (iso: string, tz: string) => localTime(new Date(iso), tz);

describe('policy at time T', () => {
  it.each([
    ['2026-11-30T06:59:00Z', false], // Monday 07:59 in Berlin (UTC+1)
    ['2026-11-30T07:00:00Z', true], // Monday 08:00: the window opens, inclusive
    ['2026-11-30T16:59:00Z', true], // Monday 17:59
    ['2026-11-30T17:00:00Z', false], // Monday 18:00: closed, exclusive
    ['2026-11-28T12:00:00Z', false], // Saturday noon
  ])('Berlin office hours at %s: %s', (iso, expected) => {
    expect(inWindow({ ...weekdays, days: [...weekdays.days] }, at(iso, 'Europe/Berlin'))).toBe(expected);
  });

  it('follows daylight saving: 08:00 Berlin is 06:00 UTC in summer', () => {
    expect(inWindow({ ...weekdays, days: [...weekdays.days] }, at('2026-07-06T06:00:00Z', 'Europe/Berlin'))).toBe(true);
    expect(inWindow({ ...weekdays, days: [...weekdays.days] }, at('2026-07-06T05:59:00Z', 'Europe/Berlin'))).toBe(
      false,
    );
  });

  it('runs a window past midnight, counting the early hours to the day it started', () => {
    const night = { days: ['FRI' as const], from: '22:00', to: '06:00' };
    expect(inWindow(night, at('2026-11-27T23:30:00Z', 'UTC'))).toBe(true); // Friday 23:30
    expect(inWindow(night, at('2026-11-28T05:59:00Z', 'UTC'))).toBe(true); // Saturday 05:59
    expect(inWindow(night, at('2026-11-28T06:00:00Z', 'UTC'))).toBe(false);
    expect(inWindow(night, at('2026-11-29T01:00:00Z', 'UTC'))).toBe(false); // Sunday 01:00
  });

  it('labels periods in the policy time zone, across year and quarter boundaries', () => {
    // 23:30 UTC on 31 December is already January in Berlin.
    const newYear = at('2026-12-31T23:30:00Z', 'Europe/Berlin');
    expect([periodOf(newYear, 'month'), periodOf(newYear, 'quarter')]).toEqual(['2027-01', '2027-Q1']);
    const utc = at('2026-12-31T23:30:00Z', 'UTC');
    expect([periodOf(utc, 'month'), periodOf(utc, 'quarter')]).toEqual(['2026-12', '2026-Q4']);
  });

  it('layers rules in order and renders the versioned popup', () => {
    const rotation: RotationSection = {
      timeZone: 'Europe/Berlin',
      rules: [
        { select: { all: true }, settings: { lockoutThreshold: 10, maxNonSsoSessionMinutes: 720 } },
        {
          select: { namePattern: 'eng*' },
          when: { ...weekdays, days: [...weekdays.days] },
          settings: { maxNonSsoSessionMinutes: 1440 },
          otherwise: { maxNonSsoSessionMinutes: 480 },
        },
        { select: { ids: ['g3'] }, settings: { lockoutThreshold: 3 } },
      ],
      consentPopup: {
        period: 'quarter',
        enabled: true,
        header: 'AUP {{period}}',
        content: '{{year}} {{quarter}} {{month}}',
        closeButtonLabel: 'OK',
      },
      guards: { maxChanges: 10, maxChangePercent: 50 },
      dryRun: false,
    };
    const groups = [
      { id: 'g1', name: 'engineering', isDefault: false },
      { id: 'g2', name: 'finance', isDefault: true },
      { id: 'g3', name: 'ops', isDefault: false },
    ];
    const saturday = desiredAt(rotation, new Date('2026-11-28T12:00:00Z'), groups);
    expect(Object.fromEntries(saturday.groups)).toEqual({
      g1: { lockoutThreshold: 10, maxNonSsoSessionMinutes: 480 },
      g2: { lockoutThreshold: 10, maxNonSsoSessionMinutes: 720 },
      g3: { lockoutThreshold: 3, maxNonSsoSessionMinutes: 720 },
    });
    expect(
      desiredAt(rotation, new Date('2026-11-30T09:00:00Z'), groups).groups.get('g1')?.maxNonSsoSessionMinutes,
    ).toBe(1440);
    expect(saturday.popup).toEqual({
      enabled: true,
      header: 'AUP 2026-Q4',
      content: '2026 Q4 11',
      closeButtonLabel: 'OK',
    });
  });
});
