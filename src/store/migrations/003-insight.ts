// Insight: facts the reports read (stage visits, orders, per-stage-per-day counts and durations), invoices, calendar feeds.
// The facts are derived from the event log and can be dropped and rebuilt at any time; they depend on no other table.
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, { serial }: MigrationContext): Promise<void> {
  const blob = serial === 'serial' ? sql`bytea` : sql`blob`;

  await db.schema
    .createTable('insight_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('calendar', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into insight_state (id, last_seq, calendar, updated_at) values (1, 0, '', '')`.execute(db);

  await db.schema
    .createTable('insight_orders')
    .addColumn('order_id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('workflow', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('customer', 'text', (c) => c.notNull())
    .addColumn('customer_key', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('created_ms', 'bigint', (c) => c.notNull())
    .addColumn('created_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text')
    .addColumn('first_entries', 'text', (c) => c.notNull())
    .addColumn('completed_ms', 'bigint')
    .addColumn('completed_date', 'text')
    .addColumn('cancelled_ms', 'bigint')
    .addColumn('invoiced_ms', 'bigint')
    .addColumn('days_late', 'integer')
    .addColumn('reworks', 'integer', (c) => c.notNull())
    .execute();
  // Covers the on-time and rework counts: they never read the table itself.
  await db.schema
    .createIndex('insight_orders_completed')
    .on('insight_orders')
    .columns(['workflow', 'completed_date', 'priority', 'days_late', 'reworks'])
    .execute();
  await db.schema.createIndex('insight_orders_created').on('insight_orders').columns(['workflow', 'created_date']).execute();
  await db.schema.createIndex('insight_orders_customer').on('insight_orders').columns(['workflow', 'customer_key']).execute();

  await db.schema
    .createTable('insight_visits')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('workflow', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('customer_key', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('from_stage', 'text')
    .addColumn('entered_ms', 'bigint', (c) => c.notNull())
    .addColumn('entered_date', 'text', (c) => c.notNull())
    .addColumn('exited_ms', 'bigint')
    .addColumn('exited_date', 'text')
    .addColumn('ended', 'text')
    .addColumn('exit_kind', 'text')
    .addColumn('next_stage', 'text')
    .addColumn('calendar_ms', 'bigint')
    .addColumn('working_ms', 'bigint')
    .execute();
  await db.schema.createIndex('insight_visits_order').on('insight_visits').columns(['order_id', 'seq']).execute();
  // The forecast reads the latest finished visits of each stage.
  await db.schema.createIndex('insight_visits_recent').on('insight_visits').columns(['workflow', 'stage', 'exited_ms']).execute();
  await db.schema.createIndex('insight_visits_via').on('insight_visits').columns(['workflow', 'via', 'entered_date']).execute();
  // One customer's reports read only that customer's visits.
  await db.schema
    .createIndex('insight_visits_customer')
    .on('insight_visits')
    .columns(['workflow', 'customer_key', 'entered_date'])
    .execute();

  await db.schema
    .createTable('insight_stage_days')
    .addColumn('workflow', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('entered', 'integer', (c) => c.notNull())
    .addColumn('exited', 'integer', (c) => c.notNull())
    .addColumn('cancelled', 'integer', (c) => c.notNull())
    .addColumn('reworked', 'integer', (c) => c.notNull())
    // Durations (ms, float64 little-endian) of the visits that ended on this day by a move: exact percentiles
    // over any range without reading a row per visit.
    .addColumn('working', blob, (c) => c.notNull())
    .addColumn('calendar', blob, (c) => c.notNull())
    .addPrimaryKeyConstraint('insight_stage_days_pk', ['workflow', 'day', 'stage', 'priority'])
    .execute();

  await db.schema
    .createTable('insight_completion_days')
    .addColumn('workflow', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    // Per order completed that day, aligned: lead time and cycle time in calendar and working ms (cycle NaN when unknown).
    .addColumn('lead', blob, (c) => c.notNull())
    .addColumn('lead_working', blob, (c) => c.notNull())
    .addColumn('cycle', blob, (c) => c.notNull())
    .addColumn('cycle_working', blob, (c) => c.notNull())
    .addPrimaryKeyConstraint('insight_completion_days_pk', ['workflow', 'day', 'priority'])
    .execute();

  // What the facts took from each workflow's definition: where cycle time starts, which stages are ready to invoice.
  await db.schema
    .createTable('insight_workflows')
    .addColumn('workflow', 'text', (c) => c.primaryKey())
    .addColumn('cycle_stages', 'text', (c) => c.notNull())
    .addColumn('invoice_stages', 'text', (c) => c.notNull())
    .execute();

  // Orders in their invoice stage (or later), not cancelled, not invoiced: finance's list costs what the list holds.
  await db.schema
    .createTable('insight_ready')
    .addColumn('order_id', 'text', (c) => c.primaryKey())
    .addColumn('workflow', 'text', (c) => c.notNull())
    .addColumn('since_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('insight_ready_since').on('insight_ready').columns(['workflow', 'since_ms']).execute();

  await db.schema
    .createTable('order_invoices')
    .addColumn('order_id', 'text', (c) => c.primaryKey())
    .addColumn('invoiced_at', 'text', (c) => c.notNull())
    .addColumn('event_seq', 'bigint', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('by_kind', 'text', (c) => c.notNull())
    .addColumn('by_id', 'text')
    .addColumn('by_name', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('calendar_feeds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('workflow', 'text')
    .addColumn('mine_only', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('calendar_feeds_user').on('calendar_feeds').column('user_id').execute();
}
