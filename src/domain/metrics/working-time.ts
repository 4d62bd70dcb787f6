// The business calendar indexed for millions of look-ups: working time between instants, local dates, adding working time.
import { DateTime } from 'luxon';
import type { BusinessCalendar } from '../calendar.ts';
import { DAY_MS } from './percentiles.ts';

const YEAR_DAYS = 366;

function minutesOf(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Working time as a coordinate: W(t) is the working time from the index's first day up to `t`,
 * so the working time between two instants is W(b) - W(a), two binary searches instead of a walk
 * over days. Day windows are made exactly as calendar.ts makes them (wall-clock opening hours in
 * the shop's zone, daylight saving included), and the index grows by whole years as asked.
 *
 * @example
 * const wt = WorkingTime.of(DEFAULT_CALENDAR);
 * wt.hoursBetween(Date.parse('2026-11-27T16:00:00Z'), Date.parse('2026-11-30T09:00:00Z')); // 2 (Fri 16-17, Mon 8-9)
 */
export class WorkingTime {
  readonly calendar: BusinessCalendar;
  #first = '';
  #dates: string[] = [];
  #starts = new Float64Array(0);
  #opens = new Float64Array(0);
  #closes = new Float64Array(0);
  /** Working ms before each day's window opens, and once it has closed. */
  #cumBefore = new Float64Array(0);
  #cumAfter = new Float64Array(0);

  private constructor(calendar: BusinessCalendar) {
    this.calendar = calendar;
  }

  /** By content: settings hand out a freshly parsed calendar object now and then, the same calendar all the same. */
  static #cache = new Map<string, WorkingTime>();

  /** The index of a calendar, shared by everyone using the same calendar. */
  static of(calendar: BusinessCalendar): WorkingTime {
    const key = JSON.stringify([calendar.timeZone, calendar.workingDays, calendar.dayStart, calendar.dayEnd, calendar.holidays]);
    let wt = WorkingTime.#cache.get(key);
    if (!wt) {
      wt = new WorkingTime(calendar);
      // A handful of calendars at most (a change by an admin adds one): forget the oldest beyond that.
      if (WorkingTime.#cache.size >= 8) WorkingTime.#cache.delete(WorkingTime.#cache.keys().next().value!);
      WorkingTime.#cache.set(key, wt);
    }
    return wt;
  }

  /** Makes sure the index covers the local day of `ms` and a year either side. */
  #cover(ms: number): void {
    const n = this.#dates.length;
    if (n > 0 && ms >= this.#starts[0]! + DAY_MS && ms < this.#starts[n - 1]! - DAY_MS) return;
    const day = DateTime.fromMillis(ms, { zone: this.calendar.timeZone }).toISODate() ?? new Date(ms).toISOString().slice(0, 10);
    let first = n > 0 ? this.#first : addDays(day, -YEAR_DAYS);
    let last = n > 0 ? this.#dates[n - 1]! : addDays(day, YEAR_DAYS);
    if (day <= addDays(first, 1)) first = addDays(day, -YEAR_DAYS);
    if (day >= addDays(last, -1)) last = addDays(day, YEAR_DAYS);
    this.#build(first, last);
  }

  #build(first: string, last: string): void {
    const cal = this.calendar;
    const open = minutesOf(cal.dayStart);
    const close = minutesOf(cal.dayEnd);
    const holidays = new Set(cal.holidays);
    const dates: string[] = [];
    for (let d = first; d <= last; d = addDays(d, 1)) dates.push(d);
    const n = dates.length;
    const starts = new Float64Array(n);
    const opens = new Float64Array(n);
    const closes = new Float64Array(n);
    const cumBefore = new Float64Array(n);
    const cumAfter = new Float64Array(n);
    let cum = 0;
    for (let i = 0; i < n; i++) {
      const date = dates[i]!;
      const day = DateTime.fromISO(date, { zone: cal.timeZone });
      starts[i] = day.toMillis();
      if (cal.workingDays.includes(day.weekday) && !holidays.has(date)) {
        opens[i] = day.set({ hour: Math.floor(open / 60), minute: open % 60 }).toMillis();
        closes[i] = day.set({ hour: Math.floor(close / 60), minute: close % 60 }).toMillis();
      } else {
        opens[i] = starts[i]!;
        closes[i] = starts[i]!;
      }
      cumBefore[i] = cum;
      cum += closes[i]! - opens[i]!;
      cumAfter[i] = cum;
    }
    this.#first = first;
    this.#dates = dates;
    this.#starts = starts;
    this.#opens = opens;
    this.#closes = closes;
    this.#cumBefore = cumBefore;
    this.#cumAfter = cumAfter;
  }

  /** Index of the local day holding `ms`. */
  #day(ms: number): number {
    this.#cover(ms);
    const s = this.#starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (s[mid]! <= ms) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** W(t): working ms from the index's origin to `ms`. Only differences of it mean anything. */
  #at(ms: number): number {
    const i = this.#day(ms);
    const open = this.#opens[i]!;
    const close = this.#closes[i]!;
    return this.#cumBefore[i]! + Math.min(close - open, Math.max(0, ms - open));
  }

  /** Working ms between two instants (epoch ms); 0 when `to` is not after `from`. */
  msBetween(from: number, to: number): number {
    if (to <= from) return 0;
    // Both ends first, so a growing index cannot shift the origin between the two look-ups.
    this.#cover(from);
    this.#cover(to);
    return this.#at(to) - this.#at(from);
  }

  hoursBetween(from: number, to: number): number {
    return this.msBetween(from, to) / 3_600_000;
  }

  /** The local calendar date (YYYY-MM-DD) of an instant, in the shop's zone. */
  localDate(ms: number): string {
    // The index first: looking it up may grow (and replace) the arrays.
    const i = this.#day(ms);
    return this.#dates[i]!;
  }

  /**
   * The instant `ms` working ms after `from`, as calendar.ts's addWorkingHours: a start outside
   * working time waits for the next opening; landing exactly on a closing time stays there.
   */
  addMs(from: number, ms: number): number {
    const amount = Math.max(0, ms);
    for (let attempt = 0; attempt < 20; attempt++) {
      const i = this.#day(from);
      if (amount === 0) {
        if (this.#closes[i]! > Math.max(from, this.#opens[i]!)) return Math.max(from, this.#opens[i]!);
      }
      const target = this.#at(from) + amount;
      const ends = this.#cumAfter;
      const n = ends.length;
      // The first day at or after `from` whose window reaches the target (an empty window never does: it is skipped).
      let lo = i;
      let hi = n - 1;
      if (amount === 0) {
        // Next window that opens after `from`.
        for (let j = i + 1; j < n; j++) if (this.#closes[j]! > this.#opens[j]!) return this.#opens[j]!;
      } else if (ends[hi]! >= target) {
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (ends[mid]! >= target) hi = mid;
          else lo = mid + 1;
        }
        return this.#opens[lo]! + (target - this.#cumBefore[lo]!);
      }
      // The target lies beyond the index: grow it and look again.
      this.#cover(this.#starts[n - 1]! + DAY_MS);
    }
    throw new Error('the calendar has no working time in the next twenty years');
  }

  addHours(from: number, hours: number): number {
    return this.addMs(from, hours * 3_600_000);
  }
}

/** Days from one calendar date to another (negative when `to` is earlier). */
export function daysBetweenDates(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function plusDays(date: string, n: number): string {
  return addDays(date, n);
}

/** The Monday (ISO week start) of a calendar date. */
export function weekStart(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return addDays(date, -back);
}
