// CSV and XLSX: one row per order, its current stage in a status column and, where the file has them, a column per stage date.
import { findStage, isFinalStage, stageIndex, type WorkflowDefinition } from '../workflow.ts';
import { settleDateFormat } from './dates.ts';
import {
  CANCELLED,
  type DraftEntry,
  type FileTable,
  type ImportIssue,
  type ImportMapping,
  issue,
  type OrderDraft,
  type ReadResult,
} from './model.ts';
import { type ColumnContext, missingColumns, momentOf, orderDetailsOf, unknownTargets } from './order-columns.ts';
import { stageForValue } from './proposal.ts';

export interface ReadOptions {
  wf: WorkflowDefinition;
  mapping: ImportMapping;
  zone: string;
  nowMs: number;
}

/** The columns whose values are dates, to settle a file's date format from. */
export function dateColumns(mapping: ImportMapping): string[] {
  return [mapping.dueDate, mapping.createdAt, mapping.completedAt, mapping.at, ...Object.values(mapping.stageDates ?? {})].filter(
    (c): c is string => c !== undefined,
  );
}

/** What reading a file's cells needs: the workflow, mapping, date format, zone and where problems go. */
export function columnContext(
  table: FileTable,
  opts: ReadOptions,
  errors: ImportIssue[],
  warnings: ImportIssue[],
): ColumnContext {
  return {
    wf: opts.wf,
    mapping: opts.mapping,
    format: fileDateFormat(table, opts.mapping, warnings),
    zone: opts.zone,
    nowMs: opts.nowMs,
    errors,
    decimalComma: table.decimalComma,
  };
}

/** The date format the mapping names, or the one the file's dates show; an ambiguous file gets a warning. */
function fileDateFormat(table: FileTable, mapping: ImportMapping, warnings: ImportIssue[]): ColumnContext['format'] {
  if (mapping.dateFormat && mapping.dateFormat !== 'auto') return mapping.dateFormat;
  const cols = dateColumns(mapping);
  const values = (function* () {
    for (const r of table.rows) for (const c of cols) if (r.cells[c]) yield r.cells[c]!;
  })();
  const settled = settleDateFormat(values);
  if (settled.ambiguous)
    warnings.push(
      issue(
        null,
        null,
        null,
        'Every date in the file could be day-first or month-first: read as DD/MM/YYYY; set dateFormat to MM/DD/YYYY if that is wrong',
      ),
    );
  return settled.format;
}

/** The status column's value as a stage (or "cancelled"); an unmapped value is an error naming it and is counted. */
export function stageOfValue(
  ctx: ColumnContext,
  unmapped: Record<string, Record<string, number>>,
  row: number,
  column: string,
  raw: string,
): string | null {
  const value = raw.trim();
  const target = ctx.mapping.stageValues?.[value] ?? stageForValue(ctx.wf, value);
  if (target && (target === CANCELLED || findStage(ctx.wf, target))) return target;
  const counts = unmapped[column] ?? {};
  unmapped[column] = counts;
  counts[value] = (counts[value] ?? 0) + 1;
  ctx.errors.push(
    issue(
      row,
      column,
      value,
      target
        ? `"${value}" is mapped to "${target}", which is not a stage of workflow "${ctx.wf.key}"`
        : `"${value}" matches no stage: map it to one in stageValues`,
    ),
  );
  return null;
}

/** Entries sorted by time; a later stage dated before an earlier one is a warning (the dates are kept as they are). */
export function orderEntries(
  wf: WorkflowDefinition,
  entries: DraftEntry[],
  warnings: ImportIssue[],
  columnOf: (stage: string) => string | null,
): DraftEntry[] {
  const byStage = [...entries].sort((a, b) => stageIndex(wf, a.stage) - stageIndex(wf, b.stage));
  for (let i = 1; i < byStage.length; i++) {
    const [a, b] = [byStage[i - 1]!, byStage[i]!];
    if (b.ms < a.ms) {
      warnings.push(
        issue(
          b.row,
          columnOf(b.stage),
          null,
          `${findStage(wf, b.stage)?.label ?? b.stage} is dated before ${findStage(wf, a.stage)?.label ?? a.stage}: the stage dates are out of workflow order, and the order's history follows the dates`,
        ),
      );
      break;
    }
  }
  return [...entries].sort((a, b) => a.ms - b.ms || stageIndex(wf, a.stage) - stageIndex(wf, b.stage));
}

/** Completes a draft's history: its current stage when the status column says one, and how it ended. */
export function finishDraft(
  wf: WorkflowDefinition,
  draft: OrderDraft,
  current: string | null,
  completedMs: number | null,
  warnings: ImportIssue[],
  where: { row: number; column: string | null },
  nowMs: number,
): void {
  const entries = draft.entries;
  const last = entries[entries.length - 1];
  const lastMs = last?.ms ?? draft.createdMs ?? nowMs;
  if (current === CANCELLED) {
    if (entries.length === 0) entries.push({ stage: wf.stages[0]!.key, ms: draft.createdMs ?? lastMs, row: where.row });
    draft.end = { state: 'cancelled', ms: completedMs ?? lastMs, row: where.row };
    return;
  }
  if (current && last?.stage !== current) {
    if (entries.length)
      warnings.push(
        issue(
          where.row,
          where.column,
          current,
          `No date says when the order entered ${findStage(wf, current)?.label ?? current}: the row's last date is used`,
        ),
      );
    entries.push({ stage: current, ms: lastMs, row: where.row });
  }
  const final = wf.stages[wf.stages.length - 1]!.key;
  if (completedMs !== null && !entries.some((e) => e.stage === final) && (current === null || current === final)) {
    entries.push({ stage: final, ms: Math.max(completedMs, lastMs), row: where.row });
  }
  if (entries.length === 0) entries.push({ stage: wf.stages[0]!.key, ms: draft.createdMs ?? nowMs, row: where.row });
  const end = entries[entries.length - 1]!;
  if (isFinalStage(wf, end.stage)) draft.end = { state: 'completed', ms: end.ms, row: end.row };
}

export function readOrderRows(table: FileTable, opts: ReadOptions): ReadResult {
  const { wf, mapping } = opts;
  const errors: ImportIssue[] = [...missingColumns(table.headers, mapping), ...unknownTargets(wf, mapping)];
  const warnings: ImportIssue[] = [];
  const unmappedValues: Record<string, Record<string, number>> = {};
  const drafts: OrderDraft[] = [];
  if (errors.length) return { drafts, rows: table.rows.length, errors, warnings, unmappedValues, mapping };
  const ctx = columnContext(table, opts, errors, warnings);
  const seen = new Map<string, number>();
  const columnOf = (stage: string) => mapping.stageDates?.[stage] ?? null;
  for (const { row, cells } of table.rows) {
    const before = errors.length;
    const details = orderDetailsOf(ctx, row, cells);
    const entries: DraftEntry[] = [];
    for (const [stage, col] of Object.entries(mapping.stageDates ?? {})) {
      const raw = (cells[col] ?? '').trim();
      if (!raw) continue;
      const ms = momentOf(ctx, row, col, raw, true);
      if (ms !== null) entries.push({ stage, ms, row });
    }
    const status = mapping.stage ? (cells[mapping.stage] ?? '').trim() : '';
    const current = status ? stageOfValue(ctx, unmappedValues, row, mapping.stage!, status) : null;
    if (details) {
      const earlier = seen.get(details.reference);
      if (earlier !== undefined)
        errors.push(
          issue(
            row,
            mapping.reference ?? mapping.number ?? null,
            details.reference,
            `The reference "${details.reference}" is also on row ${earlier}`,
          ),
        );
      else seen.set(details.reference, row);
    }
    if (errors.length > before || !details) continue;
    const { completedMs, ...rest } = details;
    const draft: OrderDraft = { row, ...rest, entries: orderEntries(wf, entries, warnings, columnOf), end: null, comments: [] };
    finishDraft(wf, draft, current, completedMs, warnings, { row, column: mapping.stage ?? null }, opts.nowMs);
    drafts.push(draft);
  }
  return { drafts, rows: table.rows.length, errors, warnings, unmappedValues, mapping };
}
