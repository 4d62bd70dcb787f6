import { describe, expect, it } from 'vitest';
import { addDays, dayInZone, daysBetween, isSupportedLocale, longDay, mediumDay, shortDay, timestamp } from './date-format.ts';

const london = { locale: 'en-GB', timeZone: 'Europe/London' };
const newYork = { locale: 'en-US', timeZone: 'America/New_York' };
const NOW = Date.parse('2026-12-05T10:00:00Z');

describe('one way to write a date', () => {
  it("writes a due date in the workspace's words, leaving the year out only when it is this one", () => {
    expect(shortDay('2026-12-18', london, NOW)).toBe('18 Dec');
    expect(mediumDay('2026-12-18', london, NOW)).toBe('Fri 18 Dec');
    expect(longDay('2026-12-18', london, NOW)).toBe('Friday 18 December');
    expect(shortDay('2027-01-04', london, NOW)).toBe('4 Jan 2027');
    expect(mediumDay('2027-01-04', london, NOW)).toBe('4 Jan 2027');
    expect(longDay('2026-12-18', london, null)).toBe('Friday, 18 December 2026');
    expect(mediumDay('2026-12-18', newYork, NOW)).toBe('Fri, Dec 18');
    expect(mediumDay('2026-12-18', { locale: 'de-DE', timeZone: 'Europe/Berlin' }, NOW)).toBe('Fr., 18. Dez.');
  });

  it('never shifts a calendar date by a time zone, however far from UTC', () => {
    for (const timeZone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'UTC']) {
      expect(mediumDay('2026-12-18', { locale: 'en-GB', timeZone }, NOW)).toBe('Fri 18 Dec');
    }
  });

  it("decides which year it is on the workspace's clock, not the reader's", () => {
    // 31 December 23:30 in London is already 1 January in Auckland: London's year still holds.
    const newYearsEve = Date.parse('2026-12-31T23:30:00Z');
    expect(mediumDay('2027-01-02', london, newYearsEve)).toBe('2 Jan 2027');
    expect(mediumDay('2027-01-02', { locale: 'en-GB', timeZone: 'Pacific/Auckland' }, newYearsEve)).toBe('Sat 2 Jan');
  });

  it('writes an instant on the workspace clock', () => {
    const at = '2026-07-01T23:30:00Z';
    expect(timestamp(at, london)).toBe('2 Jul, 00:30');
    expect(timestamp(at, newYork)).toBe('Jul 1, 07:30 PM');
    expect(dayInZone(at, 'Europe/London')).toBe('2026-07-02');
    expect(dayInZone(at, 'America/New_York')).toBe('2026-07-01');
  });

  it('counts calendar days across a change of clocks and a year end', () => {
    expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2);
    expect(daysBetween('2026-12-30', '2027-01-02')).toBe(3);
    expect(daysBetween('2026-12-05', '2026-12-01')).toBe(-4);
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2026-03-29', -1)).toBe('2026-03-28');
  });

  it('knows which locales it can write in', () => {
    expect(isSupportedLocale('en-GB')).toBe(true);
    expect(isSupportedLocale('de-DE')).toBe(true);
    expect(isSupportedLocale('zz')).toBe(false);
    expect(isSupportedLocale('en_GB!')).toBe(false);
  });
});
