// CSV as RFC 4180 writes it (CRLF, quotes doubled), safe to open in a spreadsheet.

/**
 * One cell: text is quoted when it holds a comma, quote or line break; text that a spreadsheet
 * would run as a formula (= + - @, tab, carriage return) gets a leading apostrophe. Numbers stay numbers.
 * @example csvCell('Say "hi", Bob') // '"Say ""hi"", Bob"'
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function toCsv(header: readonly string[], rows: Iterable<readonly unknown[]>): string {
  let out = csvLine(header);
  for (const row of rows) out += csvLine(row);
  return out;
}
