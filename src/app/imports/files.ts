// Reading an uploaded file into a table: text encoding, delimiters and quoting by csv-parse, workbooks by exceljs.
import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { type FileTable, type ImportIssue, issue } from '../../domain/import/model.ts';
import { Problem } from '../problem.ts';

/** The largest file an import takes. */
export const MAX_IMPORT_BYTES = 25 * 1024 * 1024;

export function checkSize(bytes: number): void {
  if (bytes > MAX_IMPORT_BYTES)
    throw new Problem(
      'payload-too-large',
      `The file is ${megabytes(bytes)}; an import takes files of up to ${megabytes(MAX_IMPORT_BYTES)}. Split it and import the parts one after the other.`,
      {
        limit: MAX_IMPORT_BYTES,
      },
    );
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MB`;
}

const NOT_TEXT = 'The file is not text';

/** The file as UTF-8 text without its byte-order mark, or why it cannot be read as such. */
export function decodeText(bytes: Buffer): { text: string } | { error: string } {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b)
    return { error: `${NOT_TEXT}: it looks like a workbook or a zip archive (import an XLSX workbook with the source "xlsx")` };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return { error: `${NOT_TEXT} in UTF-8: it is UTF-16. Save it as "CSV UTF-8" and import it again` };
  if (bytes.includes(0))
    return { error: `${NOT_TEXT}: it holds binary data. Export the spreadsheet as CSV (UTF-8) and import that` };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch {
    return {
      error: `${NOT_TEXT} in UTF-8 (it may be in an older encoding such as Windows-1252). Save it as "CSV UTF-8" and import it again`,
    };
  }
}

/** The delimiter of the header line: the most frequent of comma, semicolon and tab outside quotes. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of text.slice(0, 64 * 1024)) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]![1] > 0 ? [...counts].sort((a, b) => b[1] - a[1])[0]![0] : ',';
}

function columnLetter(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Headers made usable as names: a blank one is named after its column letter, a repeated one gets its count. */
function uniqueHeaders(raw: string[], warnings: ImportIssue[]): string[] {
  const used = new Map<string, number>();
  return raw.map((h, i) => {
    let name = h.trim();
    if (!name) {
      name = `Column ${columnLetter(i)}`;
      warnings.push(issue(1, name, '', `Column ${columnLetter(i)} has no header: it is called "${name}" here`));
    }
    const n = (used.get(name.toLowerCase()) ?? 0) + 1;
    used.set(name.toLowerCase(), n);
    if (n > 1) {
      const renamed = `${name} (${n})`;
      warnings.push(
        issue(
          1,
          renamed,
          name,
          `The header "${name}" appears more than once: column ${columnLetter(i)} is called "${renamed}" here`,
        ),
      );
      name = renamed;
    }
    return name;
  });
}

/** Records into a table: the first is the header; empty records are left out but keep their row numbers. */
function tableOf(records: Array<{ row: number; cells: string[] }>, warnings: ImportIssue[]): FileTable {
  const [head, ...body] = records;
  const headers = uniqueHeaders(head?.cells ?? [], warnings);
  const rows: FileTable['rows'] = [];
  for (const r of body) {
    if (r.cells.every((c) => c.trim() === '')) continue;
    const cells: Record<string, string> = {};
    headers.forEach((h, i) => {
      cells[h] = r.cells[i] ?? '';
    });
    rows.push({ row: r.row, cells });
  }
  return { headers, rows };
}

export function readCsvTable(bytes: Buffer): { table: FileTable; warnings: ImportIssue[] } | { error: ImportIssue } {
  const decoded = decodeText(bytes);
  if ('error' in decoded) return { error: issue(null, null, null, decoded.error) };
  const text = decoded.text;
  if (!text.trim()) return { error: issue(null, null, null, 'The file is empty') };
  const warnings: ImportIssue[] = [];
  let records: string[][];
  const delimiter = detectDelimiter(text);
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: false,
      trim: false,
    }) as string[][];
  } catch (err) {
    const e = err as { message: string; lines?: number; record?: number };
    return { error: issue(e.lines ?? null, null, null, `The file is not valid CSV: ${e.message}`) };
  }
  return {
    table: {
      ...tableOf(
        records.map((cells, i) => ({ row: i + 1, cells })),
        warnings,
      ),
      decimalComma: delimiter === ';',
    },
    warnings,
  };
}

/** A cell of a workbook as text; dates carry no time zone in a workbook, so their wall-clock time is kept as written. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date)
    return value
      .toISOString()
      .slice(0, 19)
      .replace('T', ' ')
      .replace(/ 00:00:00$/, '');
  if (typeof value === 'object') {
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('text' in value) return String(value.text);
    if ('error' in value) return String(value.error);
    return '';
  }
  return String(value);
}

export async function readXlsxTable(
  bytes: Buffer,
): Promise<{ table: FileTable; warnings: ImportIssue[] } | { error: ImportIssue }> {
  // Loaded when a workbook arrives: the server does not pay for the XLSX reader at start.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return {
      error: issue(
        null,
        null,
        null,
        'The file is not an XLSX workbook (an .xls file from older Excel must be saved as .xlsx first)',
      ),
    };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.rowCount === 0) return { error: issue(null, null, null, 'The first sheet of the workbook is empty') };
  const records: Array<{ row: number; cells: string[] }> = [];
  const width = sheet.columnCount;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value));
    records.push({ row: rowNumber, cells });
  });
  const warnings: ImportIssue[] = [];
  return { table: tableOf(records, warnings), warnings };
}
