import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addWorkingHours, type BusinessCalendar, DEFAULT_CALENDAR, localDate, workingHoursBetween } from '../calendar.ts';
import { WorkingTime, weekStart } from './working-time.ts';

const LONDON: BusinessCalendar = {
  timeZone: 'Europe/London',
  workingDays: [1, 2, 3, 4, 6],
  dayStart: '07:30',
  dayEnd: '16:00',
  holidays: ['2026-12-25', '2026-12-28', '2027-01-01', '2026-03-30'],
};

describe('the working-time index agrees with the business calendar', () => {
  it('on a plain week: Friday 16:00 to Monday 09:00 is two working hours', () => {
    const wt = WorkingTime.of(DEFAULT_CALENDAR);
    expect(wt.hoursBetween(Date.parse('2026-11-27T16:00:00Z'), Date.parse('2026-11-30T09:00:00Z'))).toBe(2);
    expect(wt.localDate(Date.parse('2026-11-27T23:59:59Z'))).toBe('2026-11-27');
    expect(new Date(wt.addHours(Date.parse('2026-11-27T16:00:00Z'), 2)).toISOString()).toBe('2026-11-30T09:00:00.000Z');
  });

  for (const [name, cal] of [
    ['UTC office hours', DEFAULT_CALENDAR],
    ['London with Saturdays, holidays and daylight saving', LONDON],
  ] as const) {
    it(`for any two instants, and any working time added (${name})`, () => {
      const wt = WorkingTime.of(cal);
      const start = Date.parse('2025-06-01T00:00:00Z');
      const span = 900 * 86_400_000;
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: span }),
          fc.integer({ min: 0, max: 60 * 86_400_000 }),
          fc.integer({ min: 0, max: 400 * 3_600_000 }),
          (a, d, add) => {
            const from = start + a;
            const to = from + d;
            expect(wt.msBetween(from, to) / 3_600_000).toBeCloseTo(workingHoursBetween(cal, new Date(from), new Date(to)), 9);
            expect(wt.localDate(from)).toBe(localDate(cal, new Date(from)));
            expect(wt.addMs(from, add)).toBe(addWorkingHours(cal, new Date(from), add / 3_600_000).getTime());
          },
        ),
        { numRuns: 400 },
      );
    });
  }

  it('starts weeks on Monday', () => {
    expect(weekStart('2026-11-23')).toBe('2026-11-23');
    expect(weekStart('2026-11-29')).toBe('2026-11-23');
    expect(weekStart('2026-12-01')).toBe('2026-11-30');
  });
});
