// What an import reads a file into, whatever its source: orders as drafts with their stage history, and the problems found.
import type { FieldValues } from '../fields.ts';
import type { Customer, Priority } from '../order.ts';
import type { DateFormat } from './dates.ts';

export const IMPORT_SOURCES = ['csv', 'csv-events', 'xlsx', 'trello'] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

/** Where a Trello list or a status value goes: a stage, or the order was cancelled, or (Trello) its cards are left out. */
export const CANCELLED = 'cancelled';
export const IGNORE = 'ignore';

/** How a file's columns (or a Trello board's lists and custom fields) become orders. Columns are named by their header. */
export interface ImportMapping {
  reference?: string | undefined;
  number?: string | undefined;
  title?: string | undefined;
  customerName?: string | undefined;
  customerEmail?: string | undefined;
  dueDate?: string | undefined;
  priority?: string | undefined;
  createdAt?: string | undefined;
  completedAt?: string | undefined;
  stage?: string | undefined;
  /** Value in the stage column → stage key, or "cancelled". */
  stageValues?: Record<string, string> | undefined;
  /** Stage key → the column holding the date the order entered it. */
  stageDates?: Record<string, string> | undefined;
  /** Field key → column (Trello: custom field name → field key). */
  fields?: Record<string, string> | undefined;
  /** csv-events: the column with the time the order entered the row's stage. */
  at?: string | undefined;
  dateFormat?: DateFormat | undefined;
  timeZone?: string | undefined;
  /** Trello: list name → stage key, "cancelled" or "ignore". */
  lists?: Record<string, string> | undefined;
}

/** A problem with one value of the file; `row` is the row as a spreadsheet numbers it (the header is row 1), or null for the whole file. */
export interface ImportIssue {
  row: number | null;
  column: string | null;
  value: string | null;
  message: string;
}

/** A file read as a table: its headers (made unique) and its non-empty rows. */
export interface FileTable {
  headers: string[];
  /** The file writes decimals with a comma (a semicolon-separated CSV, as European spreadsheet programs save it). */
  decimalComma?: boolean;
  rows: Array<{ row: number; cells: Record<string, string> }>;
}

export interface DraftEntry {
  stage: string;
  ms: number;
  row: number;
  /** Who moved it, when the file says (Trello). */
  by?: string | null;
}

export interface DraftComment {
  ms: number;
  author: string;
  body: string;
  row: number;
}

/** An order as the file tells it: its details, and its stage history oldest first. */
export interface OrderDraft {
  row: number;
  reference: string;
  title: string;
  customer: Customer;
  dueDate: string | null;
  priority: Priority;
  fields: FieldValues;
  /** When the order was created, when the file says so apart from its first stage date. */
  createdMs: number | null;
  entries: DraftEntry[];
  /** Completed by reaching the last stage, or cancelled, and when. */
  end: { state: 'completed' | 'cancelled'; ms: number; row: number } | null;
  comments: DraftComment[];
}

export interface ReadResult {
  drafts: OrderDraft[];
  rows: number;
  errors: ImportIssue[];
  warnings: ImportIssue[];
  unmappedValues: Record<string, Record<string, number>>;
  /** The mapping in force: what was given, completed by what was proposed. */
  mapping: ImportMapping;
  /** The file's column headers as read (made unique), for choosing a mapping; absent for a Trello board. */
  columns?: string[];
}

export function issue(row: number | null, column: string | null, value: string | null, message: string): ImportIssue {
  return { row, column, value, message };
}
