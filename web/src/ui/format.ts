// How times, dates and durations read on screen: short, relative where it helps, absolute beside it.

const DAY = 86_400_000;

/** "45m", "5h 10m", "3d 4h": how long something has lasted. */
export function duration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 && hours < 10 ? `${hours}h ${minutes % 60}m` : `${hours}h`;
  const days = Math.floor(hours / 24);
  return hours % 24 && days < 10 ? `${days}d ${hours % 24}h` : `${days}d`;
}

/** The calendar day (local) of a YYYY-MM-DD date as a Date at local midnight. */
function localDay(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y!, m! - 1, d!);
}

function today(now: number): Date {
  const n = new Date(now);
  return new Date(n.getFullYear(), n.getMonth(), n.getDate());
}

/** Whole days from today to a due date: negative when late. */
export function daysUntil(date: string, now: number): number {
  return Math.round((localDay(date).getTime() - today(now).getTime()) / DAY);
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

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const dayYearFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const stampFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

const shortFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** "18 Dec" this year, "18 Dec 2027" otherwise: for tight places like a card. */
export function shortDate(date: string, now = Date.now()): string {
  const d = localDay(date);
  return d.getFullYear() === new Date(now).getFullYear() ? shortFormat.format(d) : dayYearFormat.format(d);
}

/** "Fri 18 Dec" this year, "18 Dec 2027" otherwise. */
export function calendarDate(date: string, now = Date.now()): string {
  const d = localDay(date);
  return d.getFullYear() === new Date(now).getFullYear() ? dayFormat.format(d) : dayYearFormat.format(d);
}

/** "24 Nov, 09:12" for an instant. */
export function timestamp(iso: string): string {
  return stampFormat.format(new Date(iso));
}

/** "5 minutes ago", "3 days ago". */
export function ago(iso: string, now = Date.now()): string {
  const ms = now - new Date(iso).getTime();
  if (ms < 60_000) return 'just now';
  return `${duration(ms)} ago`;
}

/** The local date as YYYY-MM-DD, `days` from today. */
export function isoDay(days = 0, now = Date.now()): string {
  const d = today(now);
  d.setDate(d.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
