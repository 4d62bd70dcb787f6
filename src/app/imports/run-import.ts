// Importing a file: read it, check every row, preview it, and (unless a dry run or any row is wrong) write its orders and their history in one transaction.
import { createHash, randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { DetailChange } from '../../domain/events.ts';
import type { FieldValues } from '../../domain/fields.ts';
import { readEventLog } from '../../domain/import/event-log.ts';
import { draftHash, type ExistingOrder, laterHistory, newOrderHistory, type OrderHistory } from '../../domain/import/history.ts';
import type { FileTable, ImportIssue, ImportMapping, ImportSource, OrderDraft, ReadResult } from '../../domain/import/model.ts';
import { issue } from '../../domain/import/model.ts';
import { proposeMapping } from '../../domain/import/proposal.ts';
import { readOrderRows } from '../../domain/import/rows.ts';
import { readTrelloBoard } from '../../domain/import/trello.ts';
import type { OrderState, Priority } from '../../domain/order.ts';
import { mayOverride } from '../../domain/roles.ts';
import type { Workflow } from '../../domain/workflow.ts';
import { isUniqueViolation } from '../../store/db.ts';
import { type MatchedOrder, matchedOrders } from '../../store/imports.ts';
import type { Actor, AppContext } from '../context.ts';
import { workflowNamedIn } from '../load.ts';
import { forbidden, Problem, validationFailed } from '../problem.ts';
import { businessCalendar } from '../reports/insight.ts';
import { checkSize, readCsvTable, readXlsxTable } from './files.ts';
import { writeImport } from './write-import.ts';

export interface ImportInput {
  workflow: string;
  source: ImportSource;
  content: Buffer;
  mapping?: ImportMapping | undefined;
  dryRun?: boolean | undefined;
  fileName?: string | null | undefined;
}

export interface TimelineEntry {
  stage: string;
  enteredAt: string;
  exitedAt: string | null;
}

export interface PreviewOrder {
  row: number;
  reference: string;
  action: 'create' | 'update' | 'unchanged';
  number: string | null;
  title: string;
  customer: { name: string; email: string | null };
  dueDate: string | null;
  priority: Priority;
  fields: FieldValues;
  state: OrderState;
  stage: string;
  createdAt: string;
  completedAt: string | null;
  stageHistory: TimelineEntry[];
  comments: number;
}

export interface ImportSummary {
  id: string | null;
  dryRun: boolean;
  source: ImportSource;
  workflow: string;
  fileName: string | null;
  sha256: string;
  rows: number;
  orders: { created: number; updated: number; unchanged: number };
  events: number;
  errors: ImportIssue[];
  warnings: ImportIssue[];
  unmappedValues: Record<string, Record<string, number>>;
  proposedMapping: ImportMapping;
  /** The file's column headers, for choosing a mapping (none for a Trello board: its lists are in the mapping). */
  columns: string[];
  preview: PreviewOrder[];
}

/** Orders shown in a preview. */
const PREVIEW = 20;
/** Row errors an answer lists at most (the count is always whole). */
const MAX_LISTED = 1000;

/** One order's part of an import: a new order, new history for one imported before, or nothing. */
export type OrderPlan =
  | { kind: 'create'; draft: OrderDraft; hash: string; history: ReturnType<typeof newOrderHistory> }
  | { kind: 'update'; draft: OrderDraft; hash: string; match: MatchedOrder; history: OrderHistory; changes: DetailChange[] }
  | { kind: 'unchanged'; draft: OrderDraft; match: MatchedOrder };

const iso = (ms: number) => new Date(ms).toISOString();

async function readFile(input: ImportInput, wf: Workflow, zone: string, nowMs: number): Promise<ReadResult> {
  const given = input.mapping ?? {};
  const empty = (error: ImportIssue): ReadResult => ({
    drafts: [],
    rows: 0,
    errors: [error],
    warnings: [],
    unmappedValues: {},
    mapping: given,
  });
  if (input.source === 'trello') {
    let board: unknown;
    try {
      board = JSON.parse(input.content.toString('utf8').replace(/^\uFEFF/, ''));
    } catch {
      return empty(
        issue(
          null,
          null,
          null,
          'The file is not JSON: a Trello board is exported from its menu, "Print, export and share" → "Export as JSON"',
        ),
      );
    }
    return readTrelloBoard(board, { wf, mapping: given, zone, nowMs });
  }
  const read = input.source === 'xlsx' ? await readXlsxTable(input.content) : readCsvTable(input.content);
  if ('error' in read) return empty(read.error);
  const table: FileTable = read.table;
  const kind = input.source === 'csv-events' ? 'events' : 'rows';
  const mapping = proposeMapping(table, wf, given, kind);
  const opts = { wf, mapping, zone, nowMs };
  const result = kind === 'events' ? readEventLog(table, opts) : readOrderRows(table, opts);
  return { ...result, warnings: [...read.warnings, ...result.warnings], columns: table.headers };
}

function detailChanges(draft: OrderDraft, m: MatchedOrder['order']): DetailChange[] {
  const changes: DetailChange[] = [];
  const before = {
    title: m.title,
    customer: { name: m.customer_name, email: m.customer_email },
    dueDate: m.due_date,
    priority: m.priority,
  };
  const after = { title: draft.title, customer: draft.customer, dueDate: draft.dueDate, priority: draft.priority };
  for (const key of ['title', 'customer', 'dueDate', 'priority'] as const)
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      changes.push({ field: key, before: before[key], after: after[key] });
  const fields = JSON.parse(m.fields) as FieldValues;
  for (const [key, value] of Object.entries(draft.fields))
    if (JSON.stringify(fields[key]) !== JSON.stringify(value))
      changes.push({ field: `fields.${key}`, before: fields[key] ?? null, after: value });
  return changes;
}

/** What one row does: make an order, add to one imported before, or nothing; warnings go to `warnings`. */
function planOrder(wf: Workflow, draft: OrderDraft, matches: Map<string, MatchedOrder>, warnings: ImportIssue[]): OrderPlan {
  {
    const hash = draftHash(draft);
    const match = matches.get(draft.reference);
    if (!match) return { kind: 'create', draft, hash, history: newOrderHistory(wf, draft) };
    if (match.rowHash === hash) return { kind: 'unchanged', draft, match };
    const o = match.order;
    const existing: ExistingOrder = {
      stage: o.stage,
      state: o.state as OrderState,
      stageEnteredMs: Date.parse(o.stage_entered_at),
      version: o.version,
      createdMs: Date.parse(o.created_at),
    };
    const open = o.state === 'active' || o.state === 'on_hold';
    const changes = open ? detailChanges(draft, o) : [];
    const history = laterHistory(wf, draft, existing);
    if (!open)
      warnings.push(
        issue(
          draft.row,
          null,
          draft.reference,
          `Order ${o.number} is ${o.state.replace('_', ' ')} in Floorboard: the file's changes to it are not applied`,
        ),
      );
    else if (history.events.length === 0 && changes.length === 0 && history.ignored.length)
      warnings.push(
        issue(
          draft.row,
          null,
          draft.reference,
          `Order ${o.number} changed in the file before its current stage (entered ${o.stage_entered_at}): recorded history is kept as it is`,
        ),
      );
    return { kind: 'update', draft, hash, match, history, changes };
  }
}

function timelineOf(plan: OrderPlan): {
  stage: string;
  state: OrderState;
  createdAt: string;
  completedAt: string | null;
  stageHistory: TimelineEntry[];
} {
  if (plan.kind === 'create') {
    const h = plan.history;
    return {
      stage: h.stage,
      state: h.state,
      createdAt: iso(h.createdMs),
      completedAt: h.completedMs === null ? null : iso(h.completedMs),
      stageHistory: h.visits.map((v) => ({
        stage: v.stage,
        enteredAt: iso(v.enteredMs),
        exitedAt: v.exitedMs === null ? null : iso(v.exitedMs),
      })),
    };
  }
  const o = plan.match.order;
  const later = plan.kind === 'update' ? plan.history : null;
  return {
    stage: later?.stage ?? o.stage,
    state: (later?.events.length ? later.state : o.state) as OrderState,
    createdAt: o.created_at,
    completedAt: later?.completedMs ? iso(later.completedMs) : o.completed_at,
    stageHistory: (later?.visits ?? []).map((v) => ({
      stage: v.stage,
      enteredAt: iso(v.enteredMs),
      exitedAt: v.exitedMs === null ? null : iso(v.exitedMs),
    })),
  };
}

function previewOf(plan: OrderPlan): PreviewOrder {
  const d = plan.draft;
  return {
    row: d.row,
    reference: d.reference,
    action: plan.kind,
    number: plan.kind === 'create' ? null : plan.match.order.number,
    title: d.title,
    customer: d.customer,
    dueDate: d.dueDate,
    priority: d.priority,
    fields: d.fields,
    comments: d.comments.length,
    ...timelineOf(plan),
  };
}

export function eventsOf(plan: OrderPlan): number {
  if (plan.kind === 'create') return plan.history.events.length;
  if (plan.kind === 'update') return plan.history.events.length + (plan.changes.length ? 1 : 0);
  return 0;
}

/** The time zone an import reads dates in: the mapping's, else the shop's. */
async function zoneFor(app: AppContext, mapping: ImportMapping | undefined): Promise<string> {
  const zone = mapping?.timeZone ?? (await businessCalendar(app)).timeZone;
  if (!DateTime.now().setZone(zone).isValid)
    throw validationFailed(`Unknown time zone "${zone}"`, [{ path: 'mapping.timeZone', message: 'is not an IANA time zone' }]);
  return zone;
}

export async function runImport(app: AppContext, actor: Actor, input: ImportInput): Promise<ImportSummary> {
  if (!mayOverride(actor.role)) throw forbidden(`A ${actor.role} may not import orders: admins and managers may`);
  checkSize(input.content.length);
  const wf = await workflowNamedIn(app.db.kysely, input.workflow);
  const zone = await zoneFor(app, input.mapping);
  const now = app.clock.now();
  const read = await readFile(input, wf, zone, now.getTime());
  const matches = await matchedOrders(app.db.kysely, wf.key, [...new Set(read.drafts.map((d) => d.reference))]);
  const warnings = [...read.warnings];
  // Each row is planned to count what it does and then let go (a long file is planned again, a chunk at a time, as it
  // is written); only the preview, the changes to earlier orders and the rows that make new ones are kept.
  const counts = { created: 0, updated: 0, unchanged: 0 };
  let events = 0;
  const preview: PreviewOrder[] = [];
  const updates: Array<Extract<OrderPlan, { kind: 'update' }>> = [];
  const creates: OrderDraft[] = [];
  if (!read.errors.length)
    for (const draft of read.drafts) {
      const plan = planOrder(wf, draft, matches, warnings);
      counts[plan.kind === 'create' ? 'created' : plan.kind === 'update' ? 'updated' : 'unchanged'] += 1;
      events += eventsOf(plan);
      if (preview.length < PREVIEW) preview.push(previewOf(plan));
      if (plan.kind === 'update') updates.push(plan);
      else if (plan.kind === 'create') creates.push(draft);
    }
  const summary: ImportSummary = {
    id: null,
    dryRun: input.dryRun ?? false,
    source: input.source,
    workflow: wf.key,
    fileName: input.fileName ?? null,
    sha256: createHash('sha256').update(input.content).digest('hex'),
    rows: read.rows,
    orders: counts,
    events,
    errors: read.errors.slice(0, MAX_LISTED),
    warnings: warnings.slice(0, MAX_LISTED),
    unmappedValues: read.unmappedValues,
    proposedMapping: read.mapping,
    columns: read.columns ?? [],
    preview,
  };
  if (read.errors.length) {
    if (summary.dryRun) return summary;
    throw new Problem(
      'import-invalid',
      `${read.errors.length} ${read.errors.length === 1 ? 'problem' : 'problems'} in the file: nothing was imported. The first: ${describe(read.errors[0]!)}`,
      { ...summary, errorCount: read.errors.length },
    );
  }
  if (summary.dryRun) return summary;
  const id = randomUUID();
  const planCreate = (draft: OrderDraft) => ({
    kind: 'create' as const,
    draft,
    hash: draftHash(draft),
    history: newOrderHistory(wf, draft),
  });
  const written = await writeImport(app, actor, { id, wf, updates, creates, planCreate, summary, now }).catch((err: unknown) => {
    // Two imports of the same orders at once: the one that committed first made them; this one wrote nothing.
    if (isUniqueViolation(err))
      throw new Problem(
        'conflict',
        'Another import brought in some of these orders at the same time: nothing of this one was written. Import the file again: the orders it made are matched by reference',
      );
    throw err;
  });
  return { ...summary, id, events: written.events };
}

export function describe(e: ImportIssue): string {
  const where = [e.row !== null ? `row ${e.row}` : null, e.column ? `column "${e.column}"` : null].filter(Boolean).join(', ');
  return where ? `${where}: ${e.message}` : e.message;
}
