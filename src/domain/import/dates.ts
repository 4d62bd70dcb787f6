// Reading the dates of an imported file: one format for the whole file, in the shop's time zone unless a value names its own offset.
import { DateTime } from 'luxon';

export const DATE_FORMATS = ['auto', 'YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const DAY_FIRST_OR_MONTH_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[T ,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

export type ParsedDate = { ms: number } | { error: string };

/**
 * Which of the day-first and month-first formats the slash-written dates of a file use: a first part over 12 means
 * day first, a second part over 12 month first. When no value tells, day first is assumed and `ambiguous` says so.
 */
export function settleDateFormat(values: Iterable<string>): {
  format: 'DD/MM/YYYY' | 'MM/DD/YYYY' | 'YYYY-MM-DD';
  ambiguous: boolean;
} {
  let iso = 0;
  let slashes = 0;
  let dayFirst = 0;
  let monthFirst = 0;
  for (const v of values) {
    const text = v.trim();
    if (ISO.test(text)) iso++;
    const m = DAY_FIRST_OR_MONTH_FIRST.exec(text);
    if (!m) continue;
    slashes++;
    if (Number(m[1]) > 12) dayFirst++;
    else if (Number(m[2]) > 12) monthFirst++;
  }
  // The format most values are written in; a stray value in another one is then an error naming it.
  if (iso >= slashes) return { format: 'YYYY-MM-DD', ambiguous: false };
  if (dayFirst || monthFirst) return { format: dayFirst >= monthFirst ? 'DD/MM/YYYY' : 'MM/DD/YYYY', ambiguous: false };
  return { format: 'DD/MM/YYYY', ambiguous: true };
}

/** A date (and time) as written in the file, read in `format` and `zone`; a date alone means the start of that day. */
export function parseFileDate(raw: string, format: Exclude<DateFormat, 'auto'>, zone: string): ParsedDate {
  const value = raw.trim();
  let parts: { year: number; month: number; day: number; hour: number; minute: number; second: number; millisecond: number };
  let offset: string | undefined;
  const iso = ISO.exec(value);
  if (iso && format === 'YYYY-MM-DD') {
    parts = {
      year: Number(iso[1]),
      month: Number(iso[2]),
      day: Number(iso[3]),
      hour: Number(iso[4] ?? 0),
      minute: Number(iso[5] ?? 0),
      second: Number(iso[6] ?? 0),
      millisecond: Number((iso[7] ?? '0').padEnd(3, '0').slice(0, 3)),
    };
    offset = iso[8];
  } else {
    const m = format === 'YYYY-MM-DD' ? null : DAY_FIRST_OR_MONTH_FIRST.exec(value);
    if (!m) return { error: `"${raw}" is not a date written ${format} (with or without a time)` };
    const [a, b] = [Number(m[1]), Number(m[2])];
    parts = {
      year: Number(m[3]),
      month: format === 'DD/MM/YYYY' ? b : a,
      day: format === 'DD/MM/YYYY' ? a : b,
      hour: Number(m[4] ?? 0),
      minute: Number(m[5] ?? 0),
      second: Number(m[6] ?? 0),
      millisecond: 0,
    };
  }
  const inZone = offset
    ? offset.toUpperCase() === 'Z'
      ? 'UTC'
      : `UTC${offset.length === 5 ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset}`
    : zone;
  const dt = DateTime.fromObject(parts, { zone: inZone });
  if (!dt.isValid) return { error: `"${raw}" is not a real date or time` };
  return { ms: dt.toMillis() };
}

/** A due date: the calendar day a value names (its time, if any, is dropped). */
export function parseFileDay(raw: string, format: Exclude<DateFormat, 'auto'>): { day: string } | { error: string } {
  const parsed = parseFileDate(raw, format, 'UTC');
  if ('error' in parsed) return parsed;
  const value = raw.trim();
  // A due date written with an offset still names the day written, not the UTC day.
  const iso = ISO.exec(value);
  if (iso && format === 'YYYY-MM-DD') return { day: `${iso[1]}-${iso[2]!.padStart(2, '0')}-${iso[3]!.padStart(2, '0')}` };
  return { day: new Date(parsed.ms).toISOString().slice(0, 10) };
}
