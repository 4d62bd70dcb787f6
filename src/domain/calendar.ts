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

/** The local calendar date (YYYY-MM-DD) of an instant in the shop's time zone. */
export function localDate(cal: BusinessCalendar, at: Date): string {
  return DateTime.fromJSDate(at, { zone: cal.timeZone }).toISODate() ?? at.toISOString().slice(0, 10);
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/**
 * Working windows per local date, in epoch ms, computed once per calendar: a walk over a
 * long history asks for the same days again and again.
 */
const windowCache = new WeakMap<BusinessCalendar, Map<string, [number, number] | null>>();

function windowOf(cal: BusinessCalendar, date: string): [number, number] | null {
  let cache = windowCache.get(cal);
  if (!cache) {
    cache = new Map();
    windowCache.set(cal, cache);
  }
  const hit = cache.get(date);
  if (hit !== undefined) return hit;
  const day = DateTime.fromISO(date, { zone: cal.timeZone });
  let window: [number, number] | null = null;
  if (cal.workingDays.includes(day.weekday) && !cal.holidays.includes(date)) {
    const start = minutesOf(cal.dayStart) ?? 0;
    const end = minutesOf(cal.dayEnd) ?? 0;
    // Wall-clock times in the zone: on a daylight-saving day the window is an hour longer or shorter.
    const open = day.set({ hour: Math.floor(start / 60), minute: start % 60 }).toMillis();
    const close = day.set({ hour: Math.floor(end / 60), minute: end % 60 }).toMillis();
    window = [open, close];
  }
  cache.set(date, window);
  return window;
}

/** Working hours between two instants (0 when `to` is not after `from`). */
export function workingHoursBetween(cal: BusinessCalendar, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  let total = 0;
  let date = localDate(cal, from);
  const last = localDate(cal, to);
  for (let i = 0; i < MAX_DAYS; i++) {
    const w = windowOf(cal, date);
    if (w) total += Math.max(0, Math.min(b, w[1]) - Math.max(a, w[0]));
    if (date >= last) break;
    date = nextDate(date);
  }
  return total / HOUR_MS;
}

/** The instant `hours` working hours after `from` (a start outside working time waits for the next opening). */
export function addWorkingHours(cal: BusinessCalendar, from: Date, hours: number): Date {
  let remaining = Math.max(0, hours) * HOUR_MS;
  const start = from.getTime();
  let date = localDate(cal, from);
  for (let i = 0; i < MAX_DAYS; i++) {
    const w = windowOf(cal, date);
    if (w) {
      const begin = Math.max(start, w[0]);
      const available = Math.max(0, w[1] - begin);
      if (remaining <= available && (remaining > 0 || begin < w[1])) return new Date(begin + remaining);
      remaining -= available;
    }
    date = nextDate(date);
  }
  throw new Error('the calendar has no working time in the next ten years');
}
