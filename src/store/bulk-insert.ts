// Inserting many rows at once inside the caller's transaction: prepared statements on SQLite, one JSON parameter per
// few thousand rows on PostgreSQL. Kysely compiles a multi-row insert with a parameter per value, which costs more
// than the write itself at the size of an import (hundreds of thousands of rows).
import { type Kysely, sql } from 'kysely';
import type { Db } from './db.ts';
import type { Database } from './schema.ts';

type ColumnType = 'text' | 'integer';

export const EVENT_COLUMNS = {
  seq: 'integer',
  type: 'text',
  at: 'text',
  order_id: 'text',
  order_version: 'integer',
  actor_kind: 'text',
  actor_id: 'text',
  actor_name: 'text',
  data: 'text',
  salts: 'text',
  prev_hash: 'text',
  hash: 'text',
} as const satisfies Record<string, ColumnType>;

export const VISIT_COLUMNS = {
  order_id: 'text',
  stage: 'text',
  entered_at: 'text',
  exited_at: 'text',
  by_id: 'text',
  by_name: 'text',
  recorded_at: 'text',
  import_id: 'text',
  import_row: 'integer',
} as const satisfies Record<string, ColumnType>;

export const ORDER_COLUMNS = {
  id: 'text',
  number: 'text',
  workflow: 'text',
  title: 'text',
  customer_name: 'text',
  customer_email: 'text',
  search_key: 'text',
  state: 'text',
  stage: 'text',
  stage_entered_at: 'text',
  due_date: 'text',
  priority: 'text',
  priority_rank: 'integer',
  fields: 'text',
  items: 'text',
  version: 'integer',
  created_at: 'text',
  updated_at: 'text',
  completed_at: 'text',
  hold_reason: 'text',
  tracking_token: 'text',
  customer_id: 'text',
} as const satisfies Record<string, ColumnType>;

/** Rows per PostgreSQL statement. */
const PG_BATCH = 5000;

/**
 * Writes `rows` into `table` with the transaction `tx` holds. `db` is the database `tx` belongs to: on SQLite its
 * one connection is the transaction's, so its prepared statements run inside it.
 */
export async function insertRows<C extends Record<string, ColumnType>>(
  tx: Kysely<Database>,
  db: Db,
  table: keyof Database,
  columns: C,
  rows: Iterable<{ [K in keyof C]?: unknown }>,
): Promise<number> {
  const names = Object.keys(columns);
  let count = 0;
  if (db.dialect === 'sqlite' && db.sqlite) {
    const insert = db.sqlite.prepare(`insert into ${table} (${names.join(', ')}) values (${names.map(() => '?').join(', ')})`);
    for (const row of rows) {
      insert.run(names.map((n) => (row as Record<string, unknown>)[n] ?? null));
      count++;
    }
    return count;
  }
  const record = sql.raw(names.map((n) => `${n} ${columns[n]}`).join(', '));
  const list = sql.raw(names.join(', '));
  let batch: unknown[] = [];
  const flush = async () => {
    if (!batch.length) return;
    await sql`insert into ${sql.raw(table)} (${list}) select ${list} from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as v(${record})`.execute(
      tx,
    );
    count += batch.length;
    batch = [];
  };
  for (const row of rows) {
    batch.push(row);
    if (batch.length >= PG_BATCH) await flush();
  }
  await flush();
  return count;
}
