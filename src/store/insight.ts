// The insight facts as stored: the watermark, the event batches they are built from, and loading and writing them.
import { type Kysely, sql } from 'kysely';
import type { RecordedEvent } from '../domain/events.ts';
import {
  type CompletionDay,
  completionOf,
  customerKey,
  FACT_EVENT_TYPES,
  type OrderFact,
  readySince,
  type StageDayDelta,
  stageDayId,
  type VisitFact,
} from '../domain/metrics/facts.ts';
import type { WorkingTime } from '../domain/metrics/working-time.ts';
import type { MoveKind } from '../domain/moves.ts';
import type { Priority } from '../domain/order.ts';
import type { Dialect } from './db.ts';
import type { Database, InsightOrderTable, InsightStageDayTable, InsightVisitTable } from './schema.ts';

export interface InsightState {
  lastSeq: number;
  calendar: string;
}

/** The watermark; with `lock` (PostgreSQL) the row stays locked so one process at a time brings the facts up to date. */
export async function insightState(db: Kysely<Database>, opts: { lock?: boolean } = {}): Promise<InsightState> {
  const q = db.selectFrom('insight_state').select(['last_seq', 'calendar']).where('id', '=', 1);
  const row = await (opts.lock ? q.forUpdate() : q).executeTakeFirstOrThrow();
  return { lastSeq: Number(row.last_seq), calendar: row.calendar };
}

export async function saveInsightState(db: Kysely<Database>, state: InsightState, at: string): Promise<void> {
  await db
    .updateTable('insight_state')
    .set({ last_seq: state.lastSeq, calendar: state.calendar, updated_at: at })
    .where('id', '=', 1)
    .execute();
}

/** Drops every fact: the next catch-up starts from the first event. */
export async function clearFacts(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('insight_completion_days').execute();
  await db.deleteFrom('insight_workflows').execute();
  await db.deleteFrom('insight_ready').execute();
  await db.deleteFrom('insight_stage_days').execute();
  await db.deleteFrom('insight_visits').execute();
  await db.deleteFrom('insight_orders').execute();
}

export async function latestSeq(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('chain_head').select('seq').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.seq);
}

export type FactEvent = Pick<RecordedEvent, 'seq' | 'type' | 'at' | 'orderId' | 'data'>;

/** The next events that change facts, after `after` and up to `upTo`, oldest first. */
export async function factEvents(db: Kysely<Database>, after: number, upTo: number, limit: number): Promise<FactEvent[]> {
  const rows = await db
    .selectFrom('events')
    .select(['seq', 'type', 'at', 'order_id', 'data'])
    .where('seq', '>', after)
    .where('seq', '<=', upTo)
    .where('type', 'in', [...FACT_EVENT_TYPES])
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    type: r.type as FactEvent['type'],
    at: r.at,
    orderId: r.order_id,
    data: JSON.parse(r.data) as Record<string, unknown>,
  }));
}

function orderFact(r: InsightOrderTable): OrderFact {
  return {
    orderId: r.order_id,
    number: r.number,
    workflow: r.workflow,
    priority: r.priority as Priority,
    customer: r.customer,
    stage: r.stage,
    createdMs: Number(r.created_ms),
    createdDate: r.created_date,
    dueDate: r.due_date,
    firstEntries: JSON.parse(r.first_entries) as Record<string, number>,
    completedMs: r.completed_ms === null ? null : Number(r.completed_ms),
    completedDate: r.completed_date,
    cancelledMs: r.cancelled_ms === null ? null : Number(r.cancelled_ms),
    invoicedMs: r.invoiced_ms === null ? null : Number(r.invoiced_ms),
    daysLate: r.days_late,
    reworks: r.reworks,
  };
}

export function visitFact(r: InsightVisitTable): VisitFact {
  const num = (v: number | null) => (v === null ? null : Number(v));
  return {
    seq: Number(r.seq),
    orderId: r.order_id,
    workflow: r.workflow,
    stage: r.stage,
    priority: r.priority as Priority,
    customerKey: r.customer_key,
    via: r.via as VisitFact['via'],
    fromStage: r.from_stage,
    enteredMs: Number(r.entered_ms),
    enteredDate: r.entered_date,
    exitedMs: num(r.exited_ms),
    exitedDate: r.exited_date,
    ended: r.ended as VisitFact['ended'],
    exitKind: r.exit_kind as MoveKind | null,
    nextStage: r.next_stage,
    calendarMs: num(r.calendar_ms),
    workingMs: num(r.working_ms),
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The facts a batch of events builds on: the orders, their open visit, and every visit of `allVisits`. */
export async function loadFacts(
  db: Kysely<Database>,
  orderIds: string[],
  allVisits: string[],
): Promise<{ orders: OrderFact[]; visits: VisitFact[] }> {
  const orders: OrderFact[] = [];
  const visits: VisitFact[] = [];
  const everything = new Set(allVisits);
  for (const ids of chunks(orderIds, 500)) {
    const rows = await db.selectFrom('insight_orders').selectAll().where('order_id', 'in', ids).execute();
    orders.push(...rows.map(orderFact));
    const open = await db
      .selectFrom('insight_visits')
      .selectAll()
      .where('order_id', 'in', ids)
      .where('ended', 'is', null)
      .execute();
    visits.push(...open.filter((r) => !everything.has(r.order_id)).map(visitFact));
  }
  for (const ids of chunks(allVisits, 500)) {
    const rows = await db.selectFrom('insight_visits').selectAll().where('order_id', 'in', ids).execute();
    visits.push(...rows.map(visitFact));
  }
  return { orders, visits };
}

function orderRow(o: OrderFact): InsightOrderTable {
  return {
    order_id: o.orderId,
    number: o.number,
    workflow: o.workflow,
    priority: o.priority,
    customer: o.customer,
    customer_key: customerKey(o.customer),
    stage: o.stage,
    created_ms: o.createdMs,
    created_date: o.createdDate,
    due_date: o.dueDate,
    first_entries: JSON.stringify(o.firstEntries),
    completed_ms: o.completedMs,
    completed_date: o.completedDate,
    cancelled_ms: o.cancelledMs,
    invoiced_ms: o.invoicedMs,
    days_late: o.daysLate,
    reworks: o.reworks,
  };
}

function visitRow(v: VisitFact): InsightVisitTable {
  return {
    seq: v.seq,
    order_id: v.orderId,
    workflow: v.workflow,
    stage: v.stage,
    priority: v.priority,
    customer_key: v.customerKey,
    via: v.via,
    from_stage: v.fromStage,
    entered_ms: v.enteredMs,
    entered_date: v.enteredDate,
    exited_ms: v.exitedMs,
    exited_date: v.exitedDate,
    ended: v.ended,
    exit_kind: v.exitKind,
    next_stage: v.nextStage,
    calendar_ms: v.calendarMs,
    working_ms: v.workingMs,
  };
}

/** Float64 little-endian, the way the durations blob stores them. */
export function encodeDurations(values: ArrayLike<number>): Uint8Array {
  const buf = Buffer.alloc(values.length * 8);
  for (let i = 0; i < values.length; i++) buf.writeDoubleLE(values[i]!, i * 8);
  return buf;
}

/** The durations of a blob as a Float64Array (one copy, into aligned memory; the blob is little-endian like every platform Node runs on here). */
export function decodeDurations(blob: Uint8Array | null): Float64Array {
  if (!blob || blob.length < 8) return new Float64Array(0);
  const bytes = new Uint8Array(blob.length - (blob.length % 8));
  bytes.set(blob.subarray(0, bytes.length));
  return new Float64Array(bytes.buffer);
}

function withoutValues(values: number[], remove: number[]): number[] {
  if (remove.length === 0) return values;
  const pending = new Map<number, number>();
  for (const r of remove) pending.set(r, (pending.get(r) ?? 0) + 1);
  return values.filter((v) => {
    const n = pending.get(v);
    if (!n) return true;
    pending.set(v, n - 1);
    return false;
  });
}

const ORDER_UPDATE = [
  'priority',
  'customer',
  'customer_key',
  'stage',
  'invoiced_ms',
  'due_date',
  'first_entries',
  'completed_ms',
  'completed_date',
  'cancelled_ms',
  'days_late',
  'reworks',
] as const;
const VISIT_UPDATE = [
  'priority',
  'customer_key',
  'exited_ms',
  'exited_date',
  'ended',
  'exit_kind',
  'next_stage',
  'calendar_ms',
  'working_ms',
] as const;

/** Writes what a batch changed: orders and visits upserted, stage-day counts and durations merged into what is stored. */
export async function writeFacts(
  db: Kysely<Database>,
  changes: { orders: OrderFact[]; visits: VisitFact[]; days: StageDayDelta[]; completions: CompletionDay[] },
): Promise<void> {
  await addCompletions(db, changes.completions);
  const excluded = (col: string) => sql.ref(`excluded.${col}`);
  for (const part of chunks(changes.orders.map(orderRow), 400)) {
    await db
      .insertInto('insight_orders')
      .values(part)
      .onConflict((oc) => oc.column('order_id').doUpdateSet(Object.fromEntries(ORDER_UPDATE.map((c) => [c, excluded(c)]))))
      .execute();
  }
  for (const part of chunks(changes.visits.map(visitRow), 400)) {
    await db
      .insertInto('insight_visits')
      .values(part)
      .onConflict((oc) => oc.column('seq').doUpdateSet(Object.fromEntries(VISIT_UPDATE.map((c) => [c, excluded(c)]))))
      .execute();
  }
  if (changes.days.length === 0) return;
  // Read what the touched days hold, merge, and write them back whole (the caller holds the insight lock).
  const stored = new Map<string, InsightStageDayTable>();
  const byWorkflow = new Map<string, StageDayDelta[]>();
  for (const d of changes.days) byWorkflow.set(d.workflow, [...(byWorkflow.get(d.workflow) ?? []), d]);
  for (const [workflow, deltas] of byWorkflow) {
    const days = [...new Set(deltas.map((d) => d.day))];
    for (const part of chunks(days, 500)) {
      const rows = await db
        .selectFrom('insight_stage_days')
        .selectAll()
        .where('workflow', '=', workflow)
        .where('day', 'in', part)
        .execute();
      for (const r of rows) stored.set(stageDayId({ ...r, priority: r.priority as Priority }), r);
    }
  }
  const rows: InsightStageDayTable[] = changes.days.map((d) => {
    const before = stored.get(stageDayId(d));
    const working = withoutValues([...decodeDurations(before?.working ?? null), ...d.addWorking], d.removeWorking);
    const calendar = withoutValues([...decodeDurations(before?.calendar ?? null), ...d.addCalendar], d.removeCalendar);
    return {
      workflow: d.workflow,
      stage: d.stage,
      priority: d.priority,
      day: d.day,
      entered: (before?.entered ?? 0) + d.entered,
      exited: (before?.exited ?? 0) + d.exited,
      cancelled: (before?.cancelled ?? 0) + d.cancelled,
      reworked: (before?.reworked ?? 0) + d.reworked,
      working: encodeDurations(working),
      calendar: encodeDurations(calendar),
    };
  });
  const cols = ['entered', 'exited', 'cancelled', 'reworked', 'working', 'calendar'] as const;
  for (const part of chunks(rows, 300)) {
    await db
      .insertInto('insight_stage_days')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['workflow', 'day', 'stage', 'priority']).doUpdateSet(Object.fromEntries(cols.map((c) => [c, excluded(c)]))),
      )
      .execute();
  }
}

const COMPLETION_BLOBS = ['lead', 'lead_working', 'cycle', 'cycle_working'] as const;
const COMPLETION_FIELDS = { lead: 'lead', lead_working: 'leadWorking', cycle: 'cycle', cycle_working: 'cycleWorking' } as const;

/** Appends completions to the stored completion days (read, merge, write back whole; the caller holds the insight lock). */
async function addCompletions(db: Kysely<Database>, completions: CompletionDay[]): Promise<void> {
  if (completions.length === 0) return;
  const id = (c: { workflow: string; priority: string; day: string }) => `${c.workflow}\u0000${c.priority}\u0000${c.day}`;
  const stored = new Map<string, Database['insight_completion_days']>();
  const byWorkflow = new Map<string, string[]>();
  for (const c of completions) byWorkflow.set(c.workflow, [...(byWorkflow.get(c.workflow) ?? []), c.day]);
  for (const [workflow, days] of byWorkflow) {
    for (const part of chunks([...new Set(days)], 500)) {
      const rows = await db
        .selectFrom('insight_completion_days')
        .selectAll()
        .where('workflow', '=', workflow)
        .where('day', 'in', part)
        .execute();
      for (const r of rows) stored.set(id(r), r);
    }
  }
  const rows = completions.map((c) => {
    const before = stored.get(id(c));
    const row: Database['insight_completion_days'] = {
      workflow: c.workflow,
      priority: c.priority,
      day: c.day,
    } as Database['insight_completion_days'];
    for (const col of COMPLETION_BLOBS) {
      row[col] = encodeDurations([...decodeDurations(before?.[col] ?? null), ...Array.from(c[COMPLETION_FIELDS[col]])]);
    }
    return row;
  });
  await writeCompletionRows(db, rows);
}

async function writeCompletionRows(db: Kysely<Database>, rows: Array<Database['insight_completion_days']>): Promise<void> {
  const excluded = (col: string) => sql.ref(`excluded.${col}`);
  for (const part of chunks(rows, 300)) {
    await db
      .insertInto('insight_completion_days')
      .values(part)
      .onConflict((oc) =>
        oc
          .columns(['workflow', 'day', 'priority'])
          .doUpdateSet(Object.fromEntries(COMPLETION_BLOBS.map((c) => [c, excluded(c)]))),
      )
      .execute();
  }
}

/** What the facts took from each workflow's definition (JSON arrays of stage keys). */
export async function workflowRecords(db: Kysely<Database>): Promise<Map<string, { cycle: string; invoice: string }>> {
  const rows = await db.selectFrom('insight_workflows').selectAll().execute();
  return new Map(rows.map((r) => [r.workflow, { cycle: r.cycle_stages, invoice: r.invoice_stages }]));
}

export async function saveWorkflowRecord(
  db: Kysely<Database>,
  workflow: string,
  cycle: string[],
  invoice: string[],
): Promise<void> {
  const row = { cycle_stages: JSON.stringify(cycle), invoice_stages: JSON.stringify(invoice) };
  await db
    .insertInto('insight_workflows')
    .values({ workflow, ...row })
    .onConflict((oc) => oc.column('workflow').doUpdateSet(row))
    .execute();
}

/** Brings the ready-to-invoice set in line with these orders' facts. */
export async function syncReady(
  db: Kysely<Database>,
  orders: OrderFact[],
  stagesOf: (workflow: string) => ReadonlySet<string>,
): Promise<void> {
  const ready: Array<Database['insight_ready']> = [];
  const gone: string[] = [];
  for (const o of orders) {
    const since = readySince(o, stagesOf(o.workflow));
    if (since === null) gone.push(o.orderId);
    else ready.push({ order_id: o.orderId, workflow: o.workflow, since_ms: since });
  }
  for (const part of chunks(gone, 500)) await db.deleteFrom('insight_ready').where('order_id', 'in', part).execute();
  for (const part of chunks(ready, 500)) {
    await db
      .insertInto('insight_ready')
      .values(part)
      .onConflict((oc) => oc.column('order_id').doUpdateSet({ since_ms: sql.ref('excluded.since_ms') }))
      .execute();
  }
}

/** Remakes a workflow's ready-to-invoice set from its order facts (its invoice stage moved). */
export async function remakeReady(db: Kysely<Database>, workflow: string, stages: ReadonlySet<string>): Promise<void> {
  await db.deleteFrom('insight_ready').where('workflow', '=', workflow).execute();
  if (stages.size === 0) return;
  const rows = await db
    .selectFrom('insight_orders')
    .selectAll()
    .where('workflow', '=', workflow)
    .where('stage', 'in', [...stages])
    .where('cancelled_ms', 'is', null)
    .where('invoiced_ms', 'is', null)
    .execute();
  await syncReady(db, rows.map(orderFact), () => stages);
}

/**
 * Remakes a workflow's completion days from its order facts, with cycle time starting at `stages`
 * (after a workflow revision moved where production begins), and records the stages.
 */
export async function remakeCompletions(
  db: Kysely<Database>,
  workflow: string,
  stages: string[],
  time: WorkingTime,
): Promise<void> {
  const cycle = new Set(stages);
  const days = new Map<
    string,
    CompletionDay & { lead: number[]; leadWorking: number[]; cycle: number[]; cycleWorking: number[] }
  >();
  const rows = await db
    .selectFrom('insight_orders')
    .selectAll()
    .where('workflow', '=', workflow)
    .where('completed_ms', 'is not', null)
    .execute();
  for (const r of rows) {
    const order = orderFact(r);
    const key = `${order.priority}\u0000${order.completedDate}`;
    let day = days.get(key);
    if (!day) {
      day = {
        workflow,
        priority: order.priority,
        day: order.completedDate!,
        lead: [],
        leadWorking: [],
        cycle: [],
        cycleWorking: [],
      };
      days.set(key, day);
    }
    const c = completionOf(order, cycle, time);
    day.lead.push(c.lead);
    day.leadWorking.push(c.leadWorking);
    day.cycle.push(c.cycle);
    day.cycleWorking.push(c.cycleWorking);
  }
  await db.deleteFrom('insight_completion_days').where('workflow', '=', workflow).execute();
  await writeCompletionRows(
    db,
    [...days.values()].map((d) => ({
      workflow,
      priority: d.priority,
      day: d.day,
      lead: encodeDurations(d.lead),
      lead_working: encodeDurations(d.leadWorking),
      cycle: encodeDurations(d.cycle),
      cycle_working: encodeDurations(d.cycleWorking),
    })),
  );
}

/**
 * After a large catch-up, PostgreSQL's planner must learn the new sizes before autovacuum gets round
 * to it: with stale statistics it takes a customer's orders for a handful and loops over visits.
 */
export async function refreshStatistics(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`analyze insight_orders, insight_visits, insight_stage_days, insight_completion_days, insight_ready`.execute(db);
}
