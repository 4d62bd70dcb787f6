// Two things both databases must get right whatever their statistics or collation.
//
// 1. Queues the planner cannot get wrong: the webhook sender, the mailer and the ordering check walk partial indexes
// of waiting rows alone, in the order they are claimed.
//
// PostgreSQL servers run for weeks without fresh statistics (autovacuum off, or a bulk load since the last
// ANALYZE). The old indexes led with `status`, whose selectivity the planner then guesses: with 10,000
// deliveries waiting it took them for 35 and joined them to themselves in a nested loop, 28 s per claim. A
// partial index holds the waiting rows only, already in claim order, so the claim reads as many entries as it
// takes and stops; a delivered row leaves the index instead of adding to it.
//
// 2. Names compared by keys computed in JavaScript (`foldCase`), not by SQL's lower(), which is ASCII-only on SQLite
// and locale-bound on PostgreSQL: orders get a search key, and the reports' customer keys are folded the same way.
import { type Kysely, sql } from 'kysely';
import { customerKey } from '../../domain/metrics/facts.ts';
import { orderSearchKey } from '../../domain/text-key.ts';
import type { Database } from '../schema.ts';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await queueIndexes(db);
  await textKeys(db as unknown as Kysely<Database>, ctx);
}

async function queueIndexes(db: Kysely<unknown>): Promise<void> {
  const pending = [sql.ref('status'), '=', sql.lit('pending')] as const;
  await db.schema.dropIndex('webhook_deliveries_due').execute();
  await db.schema.dropIndex('webhook_deliveries_order').execute();
  await db.schema
    .createIndex('webhook_deliveries_waiting')
    .on('webhook_deliveries')
    .columns(['next_attempt_at', 'id'])
    .where(...pending)
    .execute();
  // The head of each order's line to each endpoint: its first waiting delivery.
  await db.schema
    .createIndex('webhook_deliveries_waiting_order')
    .on('webhook_deliveries')
    .columns(['webhook_id', 'order_key', 'event_seq'])
    .where(...pending)
    .execute();
  await db.schema.dropIndex('emails_due').execute();
  await db.schema
    .createIndex('emails_waiting')
    .on('emails')
    .columns(['next_attempt_at', 'id'])
    .where(...pending)
    .execute();
}

async function textKeys(db: Kysely<Database>, { dialect }: MigrationContext): Promise<void> {
  await db.schema
    .alterTable('orders')
    .addColumn('search_key', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  const BATCH = 1000;
  for (let after = ''; ; ) {
    const rows = await db
      .selectFrom('orders')
      .select(['id', 'number', 'title', 'customer_name', 'customer_email'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    const keys = rows.map((r) => ({
      id: r.id,
      key: orderSearchKey({ number: r.number, title: r.title, customer: { name: r.customer_name, email: r.customer_email } }),
    }));
    await setSearchKeys(db, dialect, keys);
    after = rows[rows.length - 1]!.id;
  }
  // Reports' customer keys were lower-cased only; fold the names whose key changes, and their visits with them.
  const names = await db.selectFrom('insight_orders').select('customer').distinct().execute();
  for (const { customer } of names) {
    const key = customerKey(customer);
    if (key === customer.trim().toLowerCase()) continue;
    await db.updateTable('insight_orders').set({ customer_key: key }).where('customer', '=', customer).execute();
    await db
      .updateTable('insight_visits')
      .set({ customer_key: key })
      .where('order_id', 'in', db.selectFrom('insight_orders').select('order_id').where('customer', '=', customer))
      .execute();
  }
}

/** Writes orders' search keys: one statement per batch on PostgreSQL, one prepared update per row on SQLite. */
async function setSearchKeys(
  db: Kysely<Database>,
  dialect: MigrationContext['dialect'],
  rows: Array<{ id: string; key: string }>,
) {
  if (dialect === 'postgres') {
    await sql`update orders as o set search_key = v.key
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id text, key text)
      where o.id = v.id`.execute(db);
    return;
  }
  for (const r of rows) await db.updateTable('orders').set({ search_key: r.key }).where('id', '=', r.id).execute();
}
