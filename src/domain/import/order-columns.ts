// The columns every tabular import shares: an order's reference, title, customer, due date, priority and fields.
import type { FieldValues } from '../fields.ts';
import type { Priority } from '../order.ts';
import type { WorkflowDefinition } from '../workflow.ts';
import { parseFileDate, parseFileDay } from './dates.ts';
import { type ImportIssue, type ImportMapping, issue } from './model.ts';
import { fieldValueOf, isEmail, priorityOf } from './values.ts';

export interface OrderDetails {
  reference: string;
  title: string;
  customer: { name: string; email: string | null };
  dueDate: string | null;
  priority: Priority;
  fields: FieldValues;
  createdMs: number | null;
  completedMs: number | null;
}

export interface ColumnContext {
  wf: WorkflowDefinition;
  mapping: ImportMapping;
  format: 'YYYY-MM-DD' | 'DD/MM/YYYY' | 'MM/DD/YYYY';
  zone: string;
  nowMs: number;
  errors: ImportIssue[];
  decimalComma?: boolean | undefined;
}

/** Columns the mapping names that the file does not have: one error each, for the whole file. */
export function missingColumns(headers: string[], mapping: ImportMapping): ImportIssue[] {
  const named: Array<[string, string]> = [];
  for (const key of [
    'reference',
    'number',
    'title',
    'customerName',
    'customerEmail',
    'dueDate',
    'priority',
    'createdAt',
    'completedAt',
    'stage',
    'at',
  ] as const) {
    const col = mapping[key];
    if (col !== undefined) named.push([key, col]);
  }
  for (const [stage, col] of Object.entries(mapping.stageDates ?? {})) named.push([`stageDates.${stage}`, col]);
  for (const [field, col] of Object.entries(mapping.fields ?? {})) named.push([`fields.${field}`, col]);
  return named
    .filter(([, col]) => !headers.includes(col))
    .map(([what, col]) =>
      issue(
        null,
        col,
        null,
        `The mapping's ${what} names a column "${col}" the file does not have (it has: ${headers.join(', ')})`,
      ),
    );
}

/** Mapping keys that name things the workflow does not have. */
export function unknownTargets(wf: WorkflowDefinition, mapping: ImportMapping): ImportIssue[] {
  const out: ImportIssue[] = [];
  for (const stage of Object.keys(mapping.stageDates ?? {}))
    if (!wf.stages.some((s) => s.key === stage))
      out.push(
        issue(
          null,
          mapping.stageDates![stage]!,
          null,
          `stageDates names a stage "${stage}" that workflow "${wf.key}" does not have`,
        ),
      );
  for (const [field, col] of Object.entries(mapping.fields ?? {}))
    if (!wf.fields.some((f) => f.key === field))
      out.push(issue(null, col, null, `fields names a field "${field}" that workflow "${wf.key}" does not have`));
  return out;
}

/** A moment from a cell, or an error naming the row and column; a future moment is refused when `past` is set. */
export function momentOf(ctx: ColumnContext, row: number, column: string, raw: string, past: boolean): number | null {
  const parsed = parseFileDate(raw, ctx.format, ctx.zone);
  if ('error' in parsed) {
    ctx.errors.push(issue(row, column, raw, parsed.error));
    return null;
  }
  if (past && parsed.ms > ctx.nowMs) {
    ctx.errors.push(issue(row, column, raw, `${raw} is in the future: an order cannot have entered a stage yet to come`));
    return null;
  }
  return parsed.ms;
}

/** The order's own values from one row; errors go to `ctx.errors` and the row's details are null when any was found. */
export function orderDetailsOf(ctx: ColumnContext, row: number, cells: Record<string, string>): OrderDetails | null {
  const { mapping, wf } = ctx;
  const before = ctx.errors.length;
  const cell = (col: string | undefined) => (col === undefined ? '' : (cells[col] ?? '').trim());
  const refColumn = mapping.reference ?? mapping.number;
  const reference = refColumn ? cell(refColumn) : `row ${row}`;
  if (refColumn && !reference)
    ctx.errors.push(issue(row, refColumn, '', 'The reference is empty: every order needs one to be found again'));
  const title = cell(mapping.title) || (mapping.number ? cell(mapping.number) : '') || reference;
  const customerName = cell(mapping.customerName);
  if (!customerName)
    ctx.errors.push(
      issue(
        row,
        mapping.customerName ?? null,
        '',
        mapping.customerName ? "The customer's name is empty" : "No column holds the customer's name: map one to customerName",
      ),
    );
  const email = cell(mapping.customerEmail);
  if (email && !isEmail(email)) ctx.errors.push(issue(row, mapping.customerEmail!, email, 'is not an e-mail address'));
  let dueDate: string | null = null;
  const due = cell(mapping.dueDate);
  if (due) {
    const day = parseFileDay(due, ctx.format);
    if ('error' in day) ctx.errors.push(issue(row, mapping.dueDate!, due, day.error));
    else dueDate = day.day;
  }
  const priority = priorityOf(cell(mapping.priority));
  if (!priority) ctx.errors.push(issue(row, mapping.priority!, cell(mapping.priority), 'must be low, normal, high or rush'));
  const fields: FieldValues = {};
  for (const [key, col] of Object.entries(mapping.fields ?? {})) {
    const def = wf.fields.find((f) => f.key === key);
    if (!def || cells[col] === undefined) continue;
    const read = fieldValueOf(def, cells[col]!, ctx.format, ctx.decimalComma);
    if ('error' in read) ctx.errors.push(issue(row, col, cells[col]!, read.error));
    else if (read.value !== undefined) fields[key] = read.value;
  }
  for (const def of wf.fields)
    if (
      def.required &&
      fields[def.key] === undefined &&
      !ctx.errors.some((e, i) => i >= before && e.column === mapping.fields?.[def.key])
    )
      ctx.errors.push(
        issue(
          row,
          mapping.fields?.[def.key] ?? null,
          mapping.fields?.[def.key] ? cell(mapping.fields[def.key]) : null,
          `${def.label} is required by workflow "${wf.key}"`,
        ),
      );
  const created = cell(mapping.createdAt);
  const createdMs = created ? momentOf(ctx, row, mapping.createdAt!, created, true) : null;
  const completed = cell(mapping.completedAt);
  const completedMs = completed ? momentOf(ctx, row, mapping.completedAt!, completed, true) : null;
  if (ctx.errors.length > before) return null;
  return {
    reference,
    title: title.slice(0, 500),
    customer: { name: customerName.slice(0, 500), email: email || null },
    dueDate,
    priority: priority ?? 'normal',
    fields,
    createdMs,
    completedMs,
  };
}
