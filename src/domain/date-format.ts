// How dates read everywhere: the web app, the tracking page and e-mails, in the workspace's locale and time zone.
// Pure: the zone, the locale and "now" are arguments, so the server and the browser bundle format alike.

/** The workspace's way with dates: its locale (BCP 47, e.g. "en-GB") and time zone (IANA, e.g. "Europe/London"). */
export interface DateStyle {
  locale: string;
  timeZone: string;
}

export const DEFAULT_LOCALE = 'en-GB';

/** Whether Intl knows the locale: settings refuse any other. */
export function isSupportedLocale(locale: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length === 1;
  } catch {
    return false;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Building an Intl.DateTimeFormat is slow next to using one; a board formats hundreds of dates. */
function formatter(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const id = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = formats.get(id);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    if (formats.size > 500) formats.clear();
    formats.set(id, f);
  }
  return f;
}

/**
 * A calendar date (YYYY-MM-DD: a due date, a promised date) has no time zone: it is the same day
 * wherever it is read, so it is formatted as that day in UTC, never shifted by the reader's zone.
 */
function calendarDay(date: string): Date {
  return new Date(`${date.slice(0, 10)}T12:00:00Z`);
}

const DAY_MS = 86_400_000;

/** The calendar date (YYYY-MM-DD) an instant falls on in the time zone. */
export function dayInZone(at: Date | number | string, timeZone: string): string {
  const parts = formatter('en-CA', timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(at));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Whole days from `from` to `to` (both YYYY-MM-DD): negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((calendarDay(to).getTime() - calendarDay(from).getTime()) / DAY_MS);
}

/** The calendar date `days` after `date` (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  return new Date(calendarDay(date).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** The year of `now` in the workspace: dates in it leave the year out. */
function thisYear(style: DateStyle, now: Date | number): string {
  return dayInZone(now, style.timeZone).slice(0, 4);
}

/** "5 Dec" this year, "5 Dec 2027" otherwise (en-GB): for tight places like a card. */
export function shortDay(date: string, style: DateStyle, now: Date | number): string {
  const year = date.startsWith(thisYear(style, now)) ? {} : { year: 'numeric' as const };
  return formatter(style.locale, 'UTC', { day: 'numeric', month: 'short', ...year }).format(calendarDay(date));
}

/** "Sat 5 Dec" this year, "5 Dec 2027" otherwise (en-GB). */
export function mediumDay(date: string, style: DateStyle, now: Date | number): string {
  const options: Intl.DateTimeFormatOptions = date.startsWith(thisYear(style, now))
    ? { weekday: 'short', day: 'numeric', month: 'short' }
    : { day: 'numeric', month: 'short', year: 'numeric' };
  return formatter(style.locale, 'UTC', options).format(calendarDay(date));
}

/** "Saturday 5 December" this year, "Saturday 5 December 2027" otherwise; always with the year when `now` is null. */
export function longDay(date: string, style: DateStyle, now: Date | number | null): string {
  const year = now !== null && date.startsWith(thisYear(style, now)) ? {} : { year: 'numeric' as const };
  return formatter(style.locale, 'UTC', { weekday: 'long', day: 'numeric', month: 'long', ...year }).format(calendarDay(date));
}

/** "24 Nov, 09:12" (en-GB): an instant, on the workspace's clock. */
export function timestamp(at: Date | number | string, style: DateStyle): string {
  return formatter(style.locale, style.timeZone, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(
    new Date(at),
  );
}

/** "24 Nov 2026, 09:12:03 GMT" (en-GB): an instant in full, for a tooltip. */
export function fullTimestamp(at: Date | number | string, style: DateStyle): string {
  return formatter(style.locale, style.timeZone, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(at));
}
