// The import API as the Import page uses it: a dry run or the import itself, uploaded with progress, and undo.
import { ApiProblem, currentCsrfToken, post } from '../api/client.ts';

export type ImportSource = 'csv' | 'csv-events' | 'xlsx' | 'trello';

export interface ImportMapping {
  reference?: string;
  number?: string;
  title?: string;
  customerName?: string;
  customerEmail?: string;
  dueDate?: string;
  priority?: string;
  createdAt?: string;
  completedAt?: string;
  stage?: string;
  stageValues?: Record<string, string>;
  stageDates?: Record<string, string>;
  fields?: Record<string, string>;
  at?: string;
  dateFormat?: string;
  timeZone?: string;
  lists?: Record<string, string>;
}

export interface ImportIssue {
  row: number | null;
  column: string | null;
  value: string | null;
  message: string;
}

export interface PreviewOrder {
  row: number;
  reference: string;
  action: 'create' | 'update' | 'unchanged';
  number: string | null;
  title: string;
  customer: { name: string; email: string | null };
  dueDate: string | null;
  priority: string;
  state: string;
  stage: string;
  createdAt: string;
  completedAt: string | null;
  stageHistory: Array<{ stage: string; enteredAt: string; exitedAt: string | null }>;
  comments: number;
}

export interface ImportSummary {
  id: string | null;
  dryRun: boolean;
  source: ImportSource;
  workflow: string;
  fileName: string | null;
  rows: number;
  orders: { created: number; updated: number; unchanged: number };
  events: number;
  errors: ImportIssue[];
  errorCount?: number;
  warnings: ImportIssue[];
  unmappedValues: Record<string, Record<string, number>>;
  proposedMapping: ImportMapping;
  columns: string[];
  preview: PreviewOrder[];
}

export interface UndoResult {
  cancelled: string[];
  kept: Array<{ number: string; why: string }>;
}

export const SOURCES: Array<[ImportSource, string]> = [
  ['csv', 'CSV: one row per order'],
  ['csv-events', 'CSV event log: one row per stage an order entered'],
  ['xlsx', 'Excel workbook (first sheet), one row per order'],
  ['trello', 'Trello board (JSON export)'],
];

/** The source a file most likely is, from its name. */
export function sourceOf(fileName: string): ImportSource {
  const name = fileName.toLowerCase();
  if (name.endsWith('.json')) return 'trello';
  if (name.endsWith('.xlsx')) return 'xlsx';
  return 'csv';
}

/**
 * Uploads the file with its options as a multipart form; `onProgress` hears how much of it has gone up
 * (0 to 1). A refusal with the file's problems (422 import-invalid) still answers with the summary.
 */
export function uploadImport(
  file: File,
  options: { workflow: string; source: ImportSource; mapping?: ImportMapping; dryRun: boolean },
  onProgress: (sent: number) => void,
): Promise<ImportSummary> {
  const form = new FormData();
  form.append('options', JSON.stringify({ ...options, fileName: file.name }));
  form.append('file', file, file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/imports');
    xhr.setRequestHeader('accept', 'application/json');
    const csrf = currentCsrfToken();
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () =>
      reject(
        new ApiProblem(0, { type: 'network', detail: 'Could not reach the Floorboard server. Check the network and try again.' }),
      );
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        body = { detail: xhr.responseText.slice(0, 200) };
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as unknown as ImportSummary);
      else if (xhr.status === 422 && body.type === 'import-invalid')
        resolve({ ...(body as unknown as ImportSummary), dryRun: false });
      else reject(new ApiProblem(xhr.status, body));
    };
    xhr.send(form);
  });
}

export const undoImport = (id: string, reason: string) => post<UndoResult>(`/imports/${id}/undo`, { reason });
