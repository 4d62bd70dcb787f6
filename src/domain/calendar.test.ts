import { describe, expect, it } from 'vitest';
import { addWorkingHours, type BusinessCalendar, checkCalendar, localDate, workingHoursBetween } from './calendar.ts';

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

  it('refuses calendars that cannot work', () => {
    expect(checkCalendar(london)).toBeNull();
    expect(checkCalendar({ ...london, timeZone: 'Mars/Olympus' })).toContain('time zone');
    expect(checkCalendar({ ...london, workingDays: [] })).toContain('working day');
    expect(checkCalendar({ ...london, dayStart: '18:00' })).toContain('end after');
  });
});
