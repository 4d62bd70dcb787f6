// Queries the reports and forecasts read: stage-days, order facts, rework paths, open orders, recent stage samples.
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { OpenOrder } from '../domain/metrics/aging.ts';
import { type CompletionDay, customerKey, type StageDay } from '../domain/metrics/facts.ts';
import type { StageSample } from '../domain/metrics/forecast.ts';
import type { OrderState, Priority } from '../domain/order.ts';
import { decodeDurations } from './insight.ts';
import type { Database } from './schema.ts';

/** What a report is narrowed to: one workflow, optionally some priorities and one customer (matched without case). */
export interface InsightFilter {
  workflow: string;
  priorities?: Priority[] | undefined;
  /** Lower-cased, trimmed customer name. */
  customerKey?: string | undefined;
}

/**
 * Stage-days of a workflow up to `to` (and from `from`, when given), optionally with the durations.
 * With a customer in the filter they are added up from that customer's visits instead.
 */
export async function stageDays(
  db: Kysely<Database>,
  filter: InsightFilter,
  span: { from?: string | undefined; to: string },
  durations: 'both' | 'working',
): Promise<StageDay[]> {
  if (filter.customerKey !== undefined) return customerStageDays(db, filter, span);
  let q = db
    .selectFrom('insight_stage_days')
    .select(['stage', 'priority', 'day', 'entered', 'exited', 'cancelled', 'reworked'])
    .where('workflow', '=', filter.workflow)
    .where('day', '<=', span.to);
  if (span.from) q = q.where('day', '>=', span.from);
  if (filter.priorities) q = q.where('priority', 'in', filter.priorities);
  if (durations === 'working') {
    const rows = await q.select('working').execute();
    return rows.map((r) => ({ ...r, priority: r.priority as Priority, working: decodeDurations(r.working), calendar: [] }));
  }
  const rows = await q.select(['working', 'calendar']).execute();
  return rows.map((r) => ({
    stage: r.stage,
    priority: r.priority as Priority,
    day: r.day,
    entered: r.entered,
    exited: r.exited,
    cancelled: r.cancelled,
    reworked: r.reworked,
    working: decodeDurations(r.working),
    calendar: decodeDurations(r.calendar),
  }));
}

/** The day a stage-day stands on when it sums up everything before a period. */
export const BEFORE = '0000-01-01';

/**
 * Counts per stage and day in the period, added up over priorities by the database; with
 * `before`, one more stage-day per stage (day BEFORE) holding everything earlier. No durations.
 */
export async function stageDayCounts(
  db: Kysely<Database>,
  filter: InsightFilter,
  span: { from: string; to: string },
  opts: { before: boolean; byDay: boolean },
): Promise<StageDay[]> {
  if (filter.customerKey !== undefined) {
    const days = await customerStageDays(db, filter, { to: span.to, from: opts.before ? undefined : span.from });
    return days.map((d) => (d.day < span.from ? { ...d, day: BEFORE } : d));
  }
  const base = () => {
    let q = db
      .selectFrom('insight_stage_days')
      .select([
        'stage',
        (eb) => eb.fn.sum<number>('entered').as('entered'),
        (eb) => eb.fn.sum<number>('exited').as('exited'),
        (eb) => eb.fn.sum<number>('cancelled').as('cancelled'),
        (eb) => eb.fn.sum<number>('reworked').as('reworked'),
      ])
      .where('workflow', '=', filter.workflow);
    if (filter.priorities) q = q.where('priority', 'in', filter.priorities);
    return q;
  };
  const out: StageDay[] = [];
  const push = (r: { stage: string; entered: number; exited: number; cancelled: number; reworked: number }, day: string) =>
    out.push({
      stage: r.stage,
      priority: 'normal',
      day,
      entered: Number(r.entered),
      exited: Number(r.exited),
      cancelled: Number(r.cancelled),
      reworked: Number(r.reworked),
      working: [],
      calendar: [],
    });
  if (opts.before) {
    for (const r of await base().where('day', '<', span.from).groupBy('stage').execute()) push(r, BEFORE);
  }
  const inRange = base().where('day', '>=', span.from).where('day', '<=', span.to);
  if (opts.byDay) {
    for (const r of await inRange.select('day').groupBy(['stage', 'day']).execute()) push(r, r.day);
  } else {
    for (const r of await inRange.groupBy('stage').execute()) push(r, span.from);
  }
  return out;
}

/** Stage-days added up from one customer's visits (read through their own index, only the columns needed). */
async function customerStageDays(
  db: Kysely<Database>,
  filter: InsightFilter,
  span: { from?: string | undefined; to: string },
): Promise<StageDay[]> {
  let q = db
    .selectFrom('insight_visits')
    .select(['stage', 'priority', 'entered_date', 'exited_date', 'ended', 'exit_kind', 'working_ms', 'calendar_ms'])
    .where('workflow', '=', filter.workflow)
    .where('customer_key', '=', filter.customerKey ?? '')
    .where('entered_date', '<=', span.to);
  if (filter.priorities) q = q.where('priority', 'in', filter.priorities);
  const days = new Map<string, StageDay & { working: number[]; calendar: number[] }>();
  const at = (stage: string, priority: Priority, day: string) => {
    const id = `${stage}\u0000${priority}\u0000${day}`;
    let d = days.get(id);
    if (!d) {
      d = { stage, priority, day, entered: 0, exited: 0, cancelled: 0, reworked: 0, working: [], calendar: [] };
      days.set(id, d);
    }
    return d;
  };
  for (const v of await q.execute()) {
    const priority = v.priority as Priority;
    at(v.stage, priority, v.entered_date).entered += 1;
    if (v.ended === null || v.exited_date === null) continue;
    const d = at(v.stage, priority, v.exited_date);
    if (v.ended === 'cancelled') {
      d.cancelled += 1;
      continue;
    }
    d.exited += 1;
    if (v.exit_kind === 'rework') d.reworked += 1;
    d.working.push(Number(v.working_ms));
    d.calendar.push(Number(v.calendar_ms));
  }
  return [...days.values()].filter((d) => d.day <= span.to && (!span.from || d.day >= span.from));
}

function orderScope<O>(q: SelectQueryBuilder<Database, 'insight_orders', O>, filter: InsightFilter) {
  let out = q.where('workflow', '=', filter.workflow);
  if (filter.priorities) out = out.where('priority', 'in', filter.priorities);
  if (filter.customerKey !== undefined) out = out.where('customer_key', '=', filter.customerKey);
  return out;
}

/** Orders created, and orders completed, per local day in the range. */
export async function startsAndCompletions(
  db: Kysely<Database>,
  filter: InsightFilter,
  range: { from: string; to: string },
): Promise<{ started: Array<{ day: string; count: number }>; completed: Array<{ day: string; count: number }> }> {
  const started = await orderScope(
    db.selectFrom('insight_orders').select(['created_date as day', (eb) => eb.fn.countAll<number>().as('count')]),
    filter,
  )
    .where('created_date', '>=', range.from)
    .where('created_date', '<=', range.to)
    .groupBy('created_date')
    .execute();
  const completed = await orderScope(
    db.selectFrom('insight_orders').select(['completed_date as day', (eb) => eb.fn.countAll<number>().as('count')]),
    filter,
  )
    .where('completed_date', '>=', range.from)
    .where('completed_date', '<=', range.to)
    .groupBy('completed_date')
    .execute();
  return {
    started: started.map((r) => ({ day: r.day, count: Number(r.count) })),
    completed: completed.map((r) => ({ day: r.day!, count: Number(r.count) })),
  };
}

/** Completion days of a workflow in the range (every priority asked for). */
export async function completionDays(
  db: Kysely<Database>,
  filter: InsightFilter,
  range: { from: string; to: string },
): Promise<CompletionDay[]> {
  let q = db
    .selectFrom('insight_completion_days')
    .selectAll()
    .where('workflow', '=', filter.workflow)
    .where('day', '>=', range.from)
    .where('day', '<=', range.to);
  if (filter.priorities) q = q.where('priority', 'in', filter.priorities);
  return (await q.execute()).map((r) => ({
    workflow: r.workflow,
    priority: r.priority as Priority,
    day: r.day,
    lead: decodeDurations(r.lead),
    leadWorking: decodeDurations(r.lead_working),
    cycle: decodeDurations(r.cycle),
    cycleWorking: decodeDurations(r.cycle_working),
  }));
}

export interface CompletedOrderRow {
  orderId: string;
  number: string;
  createdMs: number;
  completedMs: number;
  completedDate: string;
  firstEntries: Record<string, number>;
  dueDate: string | null;
  daysLate: number | null;
  reworks: number;
}

/** Orders completed in the range. */
export async function completedOrders(
  db: Kysely<Database>,
  filter: InsightFilter,
  range: { from: string; to: string },
  opts: { firstEntries: boolean },
): Promise<CompletedOrderRow[]> {
  const base = db
    .selectFrom('insight_orders')
    .select(['order_id', 'number', 'created_ms', 'completed_ms', 'completed_date', 'due_date', 'days_late', 'reworks']);
  const q = orderScope(opts.firstEntries ? base.select('first_entries') : base, filter)
    .where('completed_date', '>=', range.from)
    .where('completed_date', '<=', range.to);
  const rows = await q.execute();
  return rows.map((r) => ({
    orderId: r.order_id,
    number: r.number,
    createdMs: Number(r.created_ms),
    completedMs: Number(r.completed_ms),
    completedDate: r.completed_date!,
    firstEntries: 'first_entries' in r ? (JSON.parse(r.first_entries as string) as Record<string, number>) : {},
    dueDate: r.due_date,
    daysLate: r.days_late,
    reworks: r.reworks,
  }));
}

/** Completed orders by completion day and days late (null without a due date), counted. */
export async function deliveryCounts(
  db: Kysely<Database>,
  filter: InsightFilter,
  range: { from: string; to: string },
): Promise<Array<{ completedDate: string; daysLate: number | null; count: number }>> {
  const rows = await orderScope(
    db.selectFrom('insight_orders').select(['completed_date', 'days_late', (eb) => eb.fn.countAll<number>().as('n')]),
    filter,
  )
    .where('completed_date', '>=', range.from)
    .where('completed_date', '<=', range.to)
    .groupBy(['completed_date', 'days_late'])
    .execute();
  return rows.map((r) => ({
    completedDate: r.completed_date!,
    daysLate: r.days_late === null ? null : Number(r.days_late),
    count: Number(r.n),
  }));
}

/** The latest of the orders completed late in the range, latest first. */
export async function latestDeliveries(
  db: Kysely<Database>,
  filter: InsightFilter,
  range: { from: string; to: string },
  limit: number,
): Promise<Array<{ orderId: string; number: string; completedDate: string; dueDate: string | null; daysLate: number | null }>> {
  const rows = await orderScope(
    db.selectFrom('insight_orders').select(['order_id', 'number', 'completed_date', 'due_date', 'days_late']),
    filter,
  )
    .where('completed_date', '>=', range.from)
    .where('completed_date', '<=', range.to)
    .where('days_late', '>', 0)
    .orderBy('days_late', 'desc')
    .orderBy('number')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    orderId: r.order_id,
    number: r.number,
    completedDate: r.completed_date!,
    dueDate: r.due_date,
    daysLate: r.days_late,
  }));
}

/** Orders completed in the range, and how many of them went back to an earlier stage at least once. */
export async function completedWithRework(
  db: Kysely<Database>,
  filter: InsightFilter,
  range: { from: string; to: string },
): Promise<{ completed: number; withRework: number }> {
  const row = await orderScope(
    db
      .selectFrom('insight_orders')
      .select([
        (eb) => eb.fn.countAll<number>().as('n'),
        (eb) => eb.fn.sum<number>(eb.case().when('reworks', '>', 0).then(1).else(0).end()).as('r'),
      ]),
    filter,
  )
    .where('completed_date', '>=', range.from)
    .where('completed_date', '<=', range.to)
    .executeTakeFirstOrThrow();
  return { completed: Number(row.n), withRework: Number(row.r ?? 0) };
}

/** Moves back to an earlier stage entered in the range, by where they came from and went to. */
export async function reworkPaths(
  db: Kysely<Database>,
  filter: InsightFilter,
  range: { from: string; to: string },
): Promise<Array<{ from: string; to: string; count: number }>> {
  let q = db
    .selectFrom('insight_visits')
    .select(['from_stage', 'stage', (eb) => eb.fn.countAll<number>().as('n')])
    .where('workflow', '=', filter.workflow)
    .where('via', '=', 'rework')
    .where('entered_date', '>=', range.from)
    .where('entered_date', '<=', range.to);
  if (filter.priorities) q = q.where('priority', 'in', filter.priorities);
  if (filter.customerKey !== undefined) q = q.where('customer_key', '=', filter.customerKey);
  const rows = await q.groupBy(['from_stage', 'stage']).execute();
  return rows.map((r) => ({ from: r.from_stage ?? '', to: r.stage, count: Number(r.n) }));
}

/** Open (active and on-hold) orders of a workflow as they are now, from the orders themselves. */
export async function openOrdersNow(db: Kysely<Database>, filter: InsightFilter): Promise<OpenOrder[]> {
  let q = db
    .selectFrom('orders')
    .select([
      'id',
      'number',
      'title',
      'customer_name',
      'state',
      'stage',
      'stage_entered_at',
      'created_at',
      'due_date',
      'priority',
    ])
    .where('workflow', '=', filter.workflow)
    .where('state', 'in', ['active', 'on_hold']);
  if (filter.priorities) q = q.where('priority', 'in', filter.priorities);
  // The customer is compared by the key reports use everywhere, computed here: SQL's lower() differs between the
  // databases beyond ASCII. A workflow's open orders are read whole without the filter anyway.
  const key = filter.customerKey;
  const rows = (await q.execute()).filter((r) => key === undefined || customerKey(r.customer_name) === key);
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    title: r.title,
    customerName: r.customer_name,
    state: r.state as OrderState,
    stage: r.stage,
    stageEnteredAt: r.stage_entered_at,
    createdAt: r.created_at,
    dueDate: r.due_date,
    priority: r.priority as Priority,
  }));
}

/** The latest visits of a stage that ended by a move since `sinceMs`, newest first: the forecast's history. */
export async function recentStageSamples(
  db: Kysely<Database>,
  workflow: string,
  stage: string,
  sinceMs: number,
  limit: number,
): Promise<StageSample[]> {
  const rows = await db
    .selectFrom('insight_visits')
    .select(['order_id', 'working_ms', 'calendar_ms', 'next_stage', 'exited_ms'])
    .where('workflow', '=', workflow)
    .where('stage', '=', stage)
    .where('exited_ms', '>=', sinceMs)
    .where('ended', '=', 'moved')
    .orderBy('exited_ms', 'desc')
    // Visits that ended in the same millisecond (a skip closes several) come in the same order on both databases,
    // so the forecast's seeded trials draw the same samples after a move from SQLite to PostgreSQL.
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    orderId: r.order_id,
    workingHours: Number(r.working_ms) / 3_600_000,
    calendarHours: Number(r.calendar_ms) / 3_600_000,
    next: r.next_stage,
    exitedMs: Number(r.exited_ms),
  }));
}

/** Customers of a workflow with how many orders each has, most first (for a report's filter). */
export async function customersOf(db: Kysely<Database>, workflow: string): Promise<Array<{ name: string; orders: number }>> {
  const rows = await db
    .selectFrom('insight_orders')
    .select(['customer_key', (eb) => eb.fn.max('customer').as('name'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('workflow', '=', workflow)
    .groupBy('customer_key')
    .orderBy('n', 'desc')
    .orderBy('customer_key')
    .execute();
  return rows.map((r) => ({ name: String(r.name), orders: Number(r.n) }));
}

/** When the workflow's first order was made (imported history included), or null when it has none. */
export async function firstOrderAt(db: Kysely<Database>, workflow: string): Promise<string | null> {
  const row = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.min('created_at').as('at'))
    .where('workflow', '=', workflow)
    .executeTakeFirst();
  return row?.at ? String(row.at) : null;
}
