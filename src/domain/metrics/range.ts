// The period a report covers: local calendar dates, both ends included, and the weeks and days in it.
import { daysBetweenDates, plusDays, weekStart } from './working-time.ts';

export interface DateRange {
  /** First day, YYYY-MM-DD in the shop's time zone. */
  from: string;
  /** Last day, included. */
  to: string;
}

export function inRange(range: DateRange, day: string | null): day is string {
  return day !== null && day >= range.from && day <= range.to;
}

/** Every day of the range, in order. */
export function daysOf(range: DateRange): string[] {
  const out: string[] = [];
  for (let d = range.from; d <= range.to; d = plusDays(d, 1)) out.push(d);
  return out;
}

/** The Mondays of the weeks the range touches (the first and last week may be partial). */
export function weeksOf(range: DateRange): string[] {
  const out: string[] = [];
  for (let w = weekStart(range.from); w <= range.to; w = plusDays(w, 7)) out.push(w);
  return out;
}

export function dayCount(range: DateRange): number {
  return daysBetweenDates(range.from, range.to) + 1;
}

/** The range of the last `days` days up to and including `today`. */
export function lastDays(today: string, days: number): DateRange {
  return { from: plusDays(today, -(days - 1)), to: today };
}
