// How times, dates and durations read on screen: short, relative where it helps, absolute beside it. Dates are
// written by the formatter the server uses too (src/domain/date-format.ts), in the workspace's locale and zone.
import {
  addDays,
  type DateStyle,
  DEFAULT_LOCALE,
  dayInZone,
  daysBetween,
  timestamp as formatInstant,
  fullTimestamp as fullInstant,
  mediumDay,
  shortDay,
} from '../../../src/domain/date-format.ts';

/** "45m", "5h 10m", "3d 4h": how long something has lasted. */
export function duration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 && hours < 10 ? `${hours}h ${minutes % 60}m` : `${hours}h`;
  const days = Math.floor(hours / 24);
  return hours % 24 && days < 10 ? `${days}d ${hours % 24}h` : `${days}d`;
}

/**
 * The workspace's locale and time zone, told by the session: every date reads the workspace's way, whatever
 * the browser's own zone and language (a manager travelling, a screen set to another locale).
 */
let style: DateStyle = { locale: DEFAULT_LOCALE, timeZone: 'UTC' };

export function setWorkspaceDates(workspace: DateStyle): void {
  style = workspace;
}

/** The workspace's calendar date (YYYY-MM-DD) an instant falls on. */
export function dayOf(at: string | number): string {
  return dayInZone(at, style.timeZone);
}

/** Whole days from today (on the workspace's clock) to a due date: negative when late. */
export function daysUntil(date: string, now: number): number {
  return daysBetween(dayOf(now), date);
}

/** "due in 5 days · 18 Dec", "2 days late · 22 Nov", or just "due 18 Dec 2027" when it is months away. */
export function dueText(date: string, now: number, format: (date: string, now: number) => string): string {
  const days = daysUntil(date, now);
  return days > 60 ? `due ${format(date, now)}` : `${relativeDue(date, now)} · ${format(date, now)}`;
}

/** "today", "tomorrow", "in 5 days", "2 days late". */
export function relativeDue(date: string, now: number): string {
  const days = daysUntil(date, now);
  if (days === 0) return 'due today';
  if (days === 1) return 'due tomorrow';
  if (days > 1) return `due in ${days} days`;
  if (days === -1) return '1 day late';
  return `${-days} days late`;
}

/** "18 Dec" this year, "18 Dec 2027" otherwise (en-GB): for tight places like a card. */
export function shortDate(date: string, now = Date.now()): string {
  return shortDay(date, style, now);
}

/** "Fri 18 Dec" this year, "18 Dec 2027" otherwise (en-GB). */
export function calendarDate(date: string, now = Date.now()): string {
  return mediumDay(date, style, now);
}

/** "24 Nov, 09:12" (en-GB) for an instant, on the workspace's clock. */
export function timestamp(iso: string): string {
  return formatInstant(iso, style);
}

/** "24 Nov 2026, 09:12:03 GMT" (en-GB): an instant in full, for a tooltip. */
export function fullTimestamp(iso: string): string {
  return fullInstant(iso, style);
}

/** "5 minutes ago", "3 days ago". */
export function ago(iso: string, now = Date.now()): string {
  const ms = now - new Date(iso).getTime();
  if (ms < 60_000) return 'just now';
  return `${duration(ms)} ago`;
}

/** The workspace's date as YYYY-MM-DD, `days` from today. */
export function isoDay(days = 0, now = Date.now()): string {
  return addDays(dayOf(now), days);
}
