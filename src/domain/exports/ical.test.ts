import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, icsCalendar } from './ical.ts';

describe('iCalendar', () => {
  it('escapes text values', () => {
    expect(escapeText('a;b,c\\d\ne')).toBe('a\\;b\\,c\\\\d\\ne');
  });

  it('folds long lines at 75 octets without splitting a character', () => {
    const line = `SUMMARY:${'Ä'.repeat(60)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(75);
    expect(parts.slice(1).every((p) => p.startsWith(' '))).toBe(true);
    expect(folded.replace(/\r\n /g, '')).toBe(line);
  });

  it('writes all-day events with CRLF line ends', () => {
    const ics = icsCalendar({
      name: 'Due dates',
      productId: '-//Test//EN',
      now: new Date('2026-11-24T09:00:00Z'),
      events: [{ uid: 'o1@floorboard', date: '2026-12-31', summary: 'ORD-1 due', sequence: 3 }],
    });
    expect(ics).toContain('\r\nDTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n');
    expect(ics).toContain('DTSTAMP:20261124T090000Z');
    expect(ics.split('\r\n').filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
  });
});
