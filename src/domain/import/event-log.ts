// CSV event logs as process-mining tools export them: one row per stage an order entered, the order's own columns on its first row.
import type { DraftEntry, FileTable, ImportIssue, OrderDraft, ReadResult } from './model.ts';
import { issue } from './model.ts';
import { missingColumns, momentOf, type OrderDetails, orderDetailsOf, unknownTargets } from './order-columns.ts';
import { columnContext, finishDraft, type ReadOptions, stageOfValue } from './rows.ts';

export function readEventLog(table: FileTable, opts: ReadOptions): ReadResult {
  const { wf, mapping } = opts;
  const errors: ImportIssue[] = [...missingColumns(table.headers, mapping), ...unknownTargets(wf, mapping)];
  for (const need of ['reference', 'stage', 'at'] as const)
    if (!mapping[need])
      errors.push(
        issue(
          null,
          null,
          null,
          `An event log needs a column for ${need}: none was given or recognised (columns: ${table.headers.join(', ')})`,
        ),
      );
  const warnings: ImportIssue[] = [];
  const unmappedValues: Record<string, Record<string, number>> = {};
  const drafts: OrderDraft[] = [];
  if (errors.length) return { drafts, rows: table.rows.length, errors, warnings, unmappedValues, mapping };
  const ctx = columnContext(table, opts, errors, warnings);
  const cases = new Map<
    string,
    { row: number; details: OrderDetails | null; entries: DraftEntry[]; cancelledMs: number | null; bad: boolean }
  >();
  for (const { row, cells } of table.rows) {
    const reference = (cells[mapping.reference!] ?? '').trim();
    if (!reference) {
      errors.push(issue(row, mapping.reference!, '', 'The reference is empty: each row must name its order'));
      continue;
    }
    let c = cases.get(reference);
    const before = errors.length;
    if (!c) {
      c = { row, details: orderDetailsOf(ctx, row, cells), entries: [], cancelledMs: null, bad: false };
      cases.set(reference, c);
    }
    const at = (cells[mapping.at!] ?? '').trim();
    const ms = at ? momentOf(ctx, row, mapping.at!, at, true) : null;
    if (!at) errors.push(issue(row, mapping.at!, '', 'The time is empty: each row must say when the order entered its stage'));
    const value = (cells[mapping.stage!] ?? '').trim();
    const stage = value ? stageOfValue(ctx, unmappedValues, row, mapping.stage!, value) : null;
    if (!value) errors.push(issue(row, mapping.stage!, '', 'The stage is empty'));
    if (errors.length > before) {
      c.bad = true;
      continue;
    }
    if (stage === 'cancelled') c.cancelledMs = ms;
    else c.entries.push({ stage: stage!, ms: ms!, row });
  }
  for (const [reference, c] of cases) {
    if (c.bad || !c.details) continue;
    const { completedMs, ...rest } = c.details;
    const entries = c.entries.sort((a, b) => a.ms - b.ms || a.row - b.row);
    const draft: OrderDraft = { row: c.row, ...rest, reference, entries, end: null, comments: [] };
    if (c.cancelledMs !== null && entries.every((e) => e.ms <= c.cancelledMs!)) {
      finishDraft(wf, draft, 'cancelled', c.cancelledMs, warnings, { row: c.row, column: mapping.stage! }, opts.nowMs);
    } else finishDraft(wf, draft, null, completedMs, warnings, { row: c.row, column: mapping.stage! }, opts.nowMs);
    drafts.push(draft);
  }
  return { drafts, rows: table.rows.length, errors, warnings, unmappedValues, mapping };
}
