// The business calendar: time zone, working days and hours, holidays; working time between instants.
import { DateTime } from 'luxon';

export interface BusinessCalendar {
  /** IANA time zone the shop works in, e.g. "Europe/London". */
  timeZone: string;
  /** ISO weekdays the shop works: 1 = Monday ... 7 = Sunday. */
  workingDays: number[];
  /** Local opening and closing time, "HH:MM" (24 h). */
  dayStart: string;
  dayEnd: string;
  /** Local dates (YYYY-MM-DD) the shop is closed. */
  holidays: string[];
}

export const DEFAULT_CALENDAR: BusinessCalendar = {
  timeZone: 'UTC',
  workingDays: [1, 2, 3, 4, 5],
  dayStart: '08:00',
  dayEnd: '17:00',
  holidays: [],
};

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** No working-time walk goes further than this: ten years of days. */
const MAX_DAYS = 3660;

/** Why a calendar cannot be used, or null when it can. */
export function checkCalendar(cal: BusinessCalendar): string | null {
  if (!DateTime.now().setZone(cal.timeZone).isValid) return `unknown time zone "${cal.timeZone}"`;
  if (cal.workingDays.length === 0) return 'at least one working day is needed';
  if (cal.workingDays.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) return 'working days are 1 (Monday) to 7 (Sunday)';
  const start = minutesOf(cal.dayStart);
  const end = minutesOf(cal.dayEnd);
  if (start === null || end === null) return 'opening hours are written HH:MM';
  if (start >= end) return 'the working day must end after it starts';
  return null;
}

function minutesOf(hhmm: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Minutes every real time zone's midnight falls on (UTC offsets are whole quarter hours). */
const BUCKET_MS = 15 * 60_000;

/**
 * Working time on one calendar, indexed: the working window of each local day and, as a running
 * sum, the working time before it. Any span is then two look-ups instead of a walk over its days,
 * which is what lets a board of 10,000 orders or a report over 100,000 judge each one cheaply.
 * Days are numbered by their local date (days since 1970-01-01); the index grows as asked.
 */
class WorkingTime {
  #dates = new Map<number, string>();
  /** Day number of the first indexed day. */
  #base = 0;
  /** Working window [open, close) of each indexed day in epoch ms, or null. */
  #windows: Array<[number, number] | null> = [];
  /** Working ms before each indexed day, from the base; one longer than #windows. */
  #before: number[] = [0];

  constructor(private readonly cal: BusinessCalendar) {}

  /** The local date of an instant; cached per quarter hour, as no local midnight falls inside one. */
  localDate(at: number): string {
    const bucket = Math.floor(at / BUCKET_MS);
    let date = this.#dates.get(bucket);
    if (date === undefined) {
      date =
        DateTime.fromMillis(bucket * BUCKET_MS, { zone: this.cal.timeZone }).toISODate() ??
        new Date(at).toISOString().slice(0, 10);
      if (this.#dates.size > 200_000) this.#dates.clear();
      this.#dates.set(bucket, date);
    }
    return date;
  }

  dayOf(at: number): number {
    return Date.parse(`${this.localDate(at)}T00:00:00Z`) / DAY_MS;
  }

  #windowOfDay(day: number): [number, number] | null {
    const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    const local = DateTime.fromISO(date, { zone: this.cal.timeZone });
    if (!this.cal.workingDays.includes(local.weekday) || this.cal.holidays.includes(date)) return null;
    const start = minutesOf(this.cal.dayStart) ?? 0;
    const end = minutesOf(this.cal.dayEnd) ?? 0;
    // Wall-clock times in the zone: on a daylight-saving day the window is an hour longer or shorter.
    const open = local.set({ hour: Math.floor(start / 60), minute: start % 60 }).toMillis();
    const close = local.set({ hour: Math.floor(end / 60), minute: end % 60 }).toMillis();
    return [open, close];
  }

  /** Makes sure days `from` to `to` (day numbers) are indexed. */
  #cover(from: number, to: number): void {
    if (this.#windows.length === 0) {
      this.#base = from;
      this.#windows = [];
      this.#before = [0];
      this.#append(to);
      return;
    }
    if (from < this.#base) {
      const first = Math.min(from, this.#base - 30);
      const head: Array<[number, number] | null> = [];
      for (let d = first; d < this.#base; d++) head.push(this.#windowOfDay(d));
      const headMs = head.reduce((sum, w) => sum + (w ? w[1] - w[0] : 0), 0);
      const before = [0];
      for (const w of head) before.push(before[before.length - 1]! + (w ? w[1] - w[0] : 0));
      this.#before = [...before.slice(0, -1), ...this.#before.map((ms) => ms + headMs)];
      this.#windows = [...head, ...this.#windows];
      this.#base = first;
    }
    this.#append(to);
  }

  #append(to: number): void {
    for (let d = this.#base + this.#windows.length; d <= to; d++) {
      const w = this.#windowOfDay(d);
      this.#windows.push(w);
      this.#before.push(this.#before[this.#before.length - 1]! + (w ? w[1] - w[0] : 0));
    }
  }

  /** Working ms from the base to an instant. */
  #elapsed(at: number, day: number): number {
    this.#cover(day, day);
    const i = day - this.#base;
    const w = this.#windows[i];
    return this.#before[i]! + (w ? Math.min(Math.max(at - w[0], 0), w[1] - w[0]) : 0);
  }

  between(from: number, to: number): number {
    if (to <= from) return 0;
    const a = this.dayOf(from);
    const b = this.dayOf(to);
    this.#cover(a, b);
    return this.#elapsed(to, b) - this.#elapsed(from, a);
  }

  /** The first instant at or after `from` with `ms` working ms behind it (a start after hours waits for the opening). */
  after(from: number, ms: number): number {
    const day = this.dayOf(from);
    this.#cover(day, day + 31);
    const target = this.#elapsed(from, day) + ms;
    // The first day from `day` on whose working time reaches the target (strictly past it for a zero wait,
    // so that a start after closing time lands on the next opening rather than at this day's close).
    for (let chunk = 0; chunk * 366 <= MAX_DAYS; chunk++) {
      const lo = day - this.#base;
      const hi = this.#windows.length - 1;
      const reaches = (i: number) => (ms > 0 ? this.#before[i + 1]! >= target : this.#before[i + 1]! > target);
      if (reaches(hi)) {
        let [l, h] = [lo, hi];
        while (l < h) {
          const m = (l + h) >> 1;
          if (reaches(m)) h = m;
          else l = m + 1;
        }
        const w = this.#windows[l]!;
        return w[0] + Math.max(0, target - this.#before[l]!);
      }
      this.#cover(day, this.#base + this.#windows.length + 366);
    }
    throw new Error('the calendar has no working time in the next ten years');
  }

  /** The latest instant from which `ms` working ms have passed by `to`. */
  before(to: number, ms: number): number {
    if (ms <= 0) return to;
    const day = this.dayOf(to);
    this.#cover(day - 31, day);
    for (let chunk = 0; chunk * 366 <= MAX_DAYS; chunk++) {
      // Measured from the base, which moves back as the index grows: take it afresh each round.
      const target = this.#elapsed(to, day) - ms;
      if (this.#before[0]! <= target) {
        // The last day whose working time before it is at most the target: the target falls in its window.
        let [l, h] = [0, day - this.#base];
        while (l < h) {
          const m = (l + h + 1) >> 1;
          if (this.#before[m]! <= target) l = m;
          else h = m - 1;
        }
        const w = this.#windows[l];
        if (w) return w[0] + (target - this.#before[l]!);
      }
      this.#cover(this.#base - 366, day);
    }
    // Not that much working time in ten years: nothing entered recently enough to count.
    return to - MAX_DAYS * DAY_MS;
  }
}

const indexes = new WeakMap<BusinessCalendar, WorkingTime>();

function workingTime(cal: BusinessCalendar): WorkingTime {
  let index = indexes.get(cal);
  if (!index) {
    index = new WorkingTime(cal);
    indexes.set(cal, index);
  }
  return index;
}

/** The local calendar date (YYYY-MM-DD) of an instant in the shop's time zone. */
export function localDate(cal: BusinessCalendar, at: Date): string {
  return workingTime(cal).localDate(at.getTime());
}

/** Working hours between two instants (0 when `to` is not after `from`). */
export function workingHoursBetween(cal: BusinessCalendar, from: Date, to: Date): number {
  return workingTime(cal).between(from.getTime(), to.getTime()) / HOUR_MS;
}

/** The instant `hours` working hours after `from` (a start outside working time waits for the next opening). */
export function addWorkingHours(cal: BusinessCalendar, from: Date, hours: number): Date {
  return new Date(workingTime(cal).after(from.getTime(), Math.max(0, hours) * HOUR_MS));
}

/**
 * The latest instant from which `hours` working hours have passed by `to`: an order that entered
 * its stage at or before it has sat there at least that long (the inverse of workingHoursBetween).
 */
export function subtractWorkingHours(cal: BusinessCalendar, to: Date, hours: number): Date {
  return new Date(workingTime(cal).before(to.getTime(), Math.max(0, hours) * HOUR_MS));
}
