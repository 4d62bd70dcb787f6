import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addWorkingHours,
  type BusinessCalendar,
  checkCalendar,
  localDate,
  subtractWorkingHours,
  workingHoursBetween,
} from './calendar.ts';

const london: BusinessCalendar = {
  timeZone: 'Europe/London',
  workingDays: [1, 2, 3, 4, 5],
  dayStart: '09:00',
  dayEnd: '17:00',
  holidays: ['2026-12-25'],
};
const d = (iso: string) => new Date(iso);

describe('working time', () => {
  it('counts only opening hours on working days', () => {
    // Monday 23 Nov 2026, London is on GMT: 10:00 to 15:00 is five working hours.
    expect(workingHoursBetween(london, d('2026-11-23T10:00:00Z'), d('2026-11-23T15:00:00Z'))).toBe(5);
    // Friday 16:00 to Monday 10:00: one hour on Friday, one on Monday.
    expect(workingHoursBetween(london, d('2026-11-27T16:00:00Z'), d('2026-11-30T10:00:00Z'))).toBe(2);
  });

  it('lets a weekend pass without counting it', () => {
    expect(workingHoursBetween(london, d('2026-11-28T00:00:00Z'), d('2026-11-30T00:00:00Z'))).toBe(0);
    expect(addWorkingHours(london, d('2026-11-27T13:00:00Z'), 8)).toEqual(d('2026-11-30T13:00:00Z'));
  });

  it('skips holidays', () => {
    // Thursday 24 Dec to Monday 28 Dec: Christmas Day is closed, so only Thursday counts.
    expect(workingHoursBetween(london, d('2026-12-24T09:00:00Z'), d('2026-12-28T09:00:00Z'))).toBe(8);
  });

  it('keeps opening hours on the wall clock across a daylight-saving change', () => {
    // 30 March 2026 London is on BST (UTC+1): 09:00 local is 08:00Z.
    expect(workingHoursBetween(london, d('2026-03-30T08:00:00Z'), d('2026-03-30T16:00:00Z'))).toBe(8);
    // Friday 27 March (GMT) 16:00Z to Monday 30 March (BST) 09:00Z: one hour each side.
    expect(workingHoursBetween(london, d('2026-03-27T16:00:00Z'), d('2026-03-30T09:00:00Z'))).toBe(2);
    expect(localDate(london, d('2026-03-29T23:30:00Z'))).toBe('2026-03-30');
  });

  it('starts counting at the next opening when work arrives after hours', () => {
    expect(addWorkingHours(london, d('2026-11-23T20:00:00Z'), 1)).toEqual(d('2026-11-24T10:00:00Z'));
    expect(addWorkingHours(london, d('2026-11-23T20:00:00Z'), 0)).toEqual(d('2026-11-24T09:00:00Z'));
  });

  it('finds the latest start that has a given number of working hours behind it', () => {
    // Monday 10:00 London (GMT) minus 2 working hours: one on Monday, one on Friday before 17:00.
    expect(subtractWorkingHours(london, d('2026-11-30T10:00:00Z'), 2)).toEqual(d('2026-11-27T16:00:00Z'));
    expect(subtractWorkingHours(london, d('2026-11-30T10:00:00Z'), 0)).toEqual(d('2026-11-30T10:00:00Z'));
    // Across Christmas Day and the weekend back to Thursday.
    expect(subtractWorkingHours(london, d('2026-12-28T10:00:00Z'), 3)).toEqual(d('2026-12-24T15:00:00Z'));
    // Across the spring daylight-saving change: Monday 30 March 10:00 BST is 09:00Z.
    expect(subtractWorkingHours(london, d('2026-03-30T09:00:00Z'), 2)).toEqual(d('2026-03-27T16:00:00Z'));
    for (const [to, hours] of [
      ['2026-11-30T10:00:00Z', 2],
      ['2026-12-28T10:00:00Z', 11.5],
      ['2026-03-30T12:34:00Z', 40],
    ] as const) {
      expect(workingHoursBetween(london, subtractWorkingHours(london, d(to), hours), d(to))).toBeCloseTo(hours, 9);
    }
  });

  it('follows a time zone far from UTC, and the autumn daylight-saving change', () => {
    const ny: BusinessCalendar = {
      timeZone: 'America/New_York',
      workingDays: [1, 2, 3, 4, 5],
      dayStart: '09:00',
      dayEnd: '17:00',
      holidays: [],
    };
    // Friday 30 Oct 2026 New York is on EDT (UTC-4); Monday 2 Nov on EST (UTC-5).
    expect(workingHoursBetween(ny, d('2026-10-30T20:00:00Z'), d('2026-11-02T15:00:00Z'))).toBe(2);
    expect(addWorkingHours(ny, d('2026-10-30T20:00:00Z'), 2)).toEqual(d('2026-11-02T15:00:00Z'));
    // A UTC evening is still the same working day in New York.
    expect(localDate(ny, d('2026-11-03T03:00:00Z'))).toBe('2026-11-02');
  });

  it('refuses calendars that cannot work', () => {
    expect(checkCalendar(london)).toBeNull();
    expect(checkCalendar({ ...london, timeZone: 'Mars/Olympus' })).toContain('time zone');
    expect(checkCalendar({ ...london, workingDays: [] })).toContain('working day');
    expect(checkCalendar({ ...london, dayStart: '18:00' })).toContain('end after');
  });
});

describe('working time agrees with a day-by-day count', () => {
  // The reference: walk every local day between the instants and add its window's overlap.
  function naiveHours(cal: BusinessCalendar, from: Date, to: Date): number {
    if (to <= from) return 0;
    let total = 0;
    let day = DateTime.fromJSDate(from, { zone: cal.timeZone }).startOf('day');
    const last = DateTime.fromJSDate(to, { zone: cal.timeZone }).startOf('day');
    while (day <= last) {
      const date = day.toISODate()!;
      if (cal.workingDays.includes(day.weekday) && !cal.holidays.includes(date)) {
        const [sh, sm] = cal.dayStart.split(':').map(Number) as [number, number];
        const [eh, em] = cal.dayEnd.split(':').map(Number) as [number, number];
        const open = day.set({ hour: sh, minute: sm }).toMillis();
        const close = day.set({ hour: eh, minute: em }).toMillis();
        total += Math.max(0, Math.min(to.getTime(), close) - Math.max(from.getTime(), open));
      }
      day = day.plus({ days: 1 });
    }
    return total / 3_600_000;
  }

  const calendars = fc.record({
    timeZone: fc.constantFrom(
      'UTC',
      'Europe/London',
      'America/New_York',
      'Asia/Kolkata',
      'Australia/Adelaide',
      'Pacific/Chatham',
    ),
    workingDays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    dayStart: fc.constantFrom('00:00', '06:30', '08:00', '09:15'),
    dayEnd: fc.constantFrom('12:00', '17:00', '18:45', '23:30'),
    holidays: fc.uniqueArray(
      fc.integer({ min: 0, max: 400 }).map((d) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString().slice(0, 10)),
      { maxLength: 20 },
    ),
  });
  const instant = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 1, 1) }).map((ms) => new Date(ms));

  it('between any two instants, in any zone, across DST changes and holidays', () => {
    fc.assert(
      fc.property(calendars, instant, instant, (cal, a, b) => {
        expect(workingHoursBetween(cal, a, b)).toBeCloseTo(naiveHours(cal, a, b), 6);
      }),
      { numRuns: 300 },
    );
  });

  it('adds and subtracts working hours as the exact inverse of counting them', () => {
    fc.assert(
      fc.property(calendars, instant, fc.double({ min: 0.01, max: 400, noNaN: true }), (cal, at, hours) => {
        const later = addWorkingHours(cal, at, hours);
        expect(later.getTime()).toBeGreaterThanOrEqual(at.getTime());
        expect(naiveHours(cal, at, later)).toBeCloseTo(hours, 6);
        const earlier = subtractWorkingHours(cal, at, hours);
        expect(naiveHours(cal, earlier, at)).toBeCloseTo(hours, 6);
        // ...and it is the latest such instant: a minute later, less than that has passed.
        expect(naiveHours(cal, new Date(earlier.getTime() + 60_000), at)).toBeLessThan(hours);
      }),
      { numRuns: 300 },
    );
  });
});
