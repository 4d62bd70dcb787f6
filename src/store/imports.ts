// Imports as stored: the record of each file, the orders matched by reference, and the bulk writes of imported orders and visits.
import type { Insertable, Kysely } from 'kysely';
import { insertRows, ORDER_COLUMNS, VISIT_COLUMNS } from './bulk-insert.ts';
import type { Db } from './db.ts';
import type { Database, ImportOrderTable, ImportTable, OrderTable, StageVisitTable } from './schema.ts';

export interface ImportRecord {
  id: string;
  workflow: string;
  source: string;
  fileName: string | null;
  sha256: string;
  rows: number;
  orders: { created: number; updated: number; unchanged: number };
  events: number;
  warnings: number;
  by: { kind: string; id: string | null; name: string };
  createdAt: string;
  eventSeq: number;
  undone: { at: string; by: string; reason: string; cancelled: number } | null;
}

function recordOf(r: ImportTable): ImportRecord {
  return {
    id: r.id,
    workflow: r.workflow,
    source: r.source,
    fileName: r.file_name,
    sha256: r.sha256,
    rows: Number(r.rows),
    orders: { created: Number(r.created), updated: Number(r.updated), unchanged: Number(r.unchanged) },
    events: Number(r.events),
    warnings: Number(r.warnings),
    by: { kind: r.actor_kind, id: r.actor_id, name: r.actor_name },
    createdAt: r.created_at,
    eventSeq: Number(r.event_seq),
    undone: r.undone_at
      ? { at: r.undone_at, by: r.undone_by ?? '', reason: r.undo_reason ?? '', cancelled: Number(r.undo_cancelled ?? 0) }
      : null,
  };
}

export async function insertImport(db: Kysely<Database>, row: ImportTable): Promise<void> {
  await db.insertInto('imports').values(row).execute();
}

export async function findImport(db: Kysely<Database>, id: string): Promise<ImportRecord | undefined> {
  const row = await db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? recordOf(row) : undefined;
}

/** Imports newest first; `before` is the last (created_at, id) of the previous page. */
export async function listImports(
  db: Kysely<Database>,
  limit: number,
  before?: { at: string; id: string },
): Promise<ImportRecord[]> {
  let q = db.selectFrom('imports').selectAll();
  if (before)
    q = q.where((eb) =>
      eb.or([eb('created_at', '<', before.at), eb.and([eb('created_at', '=', before.at), eb('id', '<', before.id)])]),
    );
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(recordOf);
}

export async function markUndone(
  db: Kysely<Database>,
  id: string,
  undo: { at: string; by: string; reason: string; cancelled: number },
) {
  await db
    .updateTable('imports')
    .set({ undone_at: undo.at, undone_by: undo.by, undo_reason: undo.reason, undo_cancelled: undo.cancelled })
    .where('id', '=', id)
    .execute();
}

export interface MatchedOrder {
  reference: string;
  rowHash: string;
  importedVersion: number;
  createdByImport: string;
  order: Pick<
    OrderTable,
    | 'id'
    | 'number'
    | 'state'
    | 'stage'
    | 'stage_entered_at'
    | 'version'
    | 'created_at'
    | 'updated_at'
    | 'completed_at'
    | 'title'
    | 'customer_name'
    | 'customer_email'
    | 'due_date'
    | 'priority'
    | 'fields'
    | 'items'
    | 'hold_reason'
    | 'workflow'
  >;
}

/** The orders earlier imports brought in under these references, with their current state. */
export async function matchedOrders(
  db: Kysely<Database>,
  workflow: string,
  references: string[],
): Promise<Map<string, MatchedOrder>> {
  const out = new Map<string, MatchedOrder>();
  for (let i = 0; i < references.length; i += 500) {
    const rows = await db
      .selectFrom('import_orders as i')
      .innerJoin('orders as o', 'o.id', 'i.order_id')
      .select([
        'i.reference',
        'i.row_hash',
        'i.version as imported_version',
        'i.created_by_import',
        'o.id',
        'o.number',
        'o.state',
        'o.stage',
        'o.stage_entered_at',
        'o.version',
        'o.created_at',
        'o.updated_at',
        'o.completed_at',
        'o.title',
        'o.customer_name',
        'o.customer_email',
        'o.due_date',
        'o.priority',
        'o.fields',
        'o.items',
        'o.hold_reason',
        'o.workflow',
      ])
      .where('i.workflow', '=', workflow)
      .where('i.reference', 'in', references.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      const { reference, row_hash, imported_version, created_by_import, ...order } = r;
      out.set(reference, {
        reference,
        rowHash: row_hash,
        importedVersion: Number(imported_version),
        createdByImport: created_by_import,
        order: { ...order, version: Number(order.version) },
      });
    }
  }
  return out;
}

/** Orders an import created, with the version it left each at. */
export async function ordersCreatedBy(db: Kysely<Database>, importId: string) {
  return db
    .selectFrom('import_orders as i')
    .innerJoin('orders as o', 'o.id', 'i.order_id')
    .select(['o.id', 'o.number', 'o.state', 'o.stage', 'o.version', 'i.version as imported_version', 'i.last_import'])
    .where('i.created_by_import', '=', importId)
    .orderBy('o.id')
    .execute();
}

async function inBatches<T>(rows: T[], size: number, write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

export async function insertOrderRows(tx: Kysely<Database>, db: Db, rows: Iterable<OrderTable>): Promise<number> {
  return insertRows(tx, db, 'orders', ORDER_COLUMNS, rows);
}

export async function insertVisitRows(
  tx: Kysely<Database>,
  db: Db,
  rows: Iterable<Insertable<StageVisitTable>>,
): Promise<number> {
  return insertRows(tx, db, 'stage_visits', VISIT_COLUMNS, rows);
}

/** Closes the open visit of each order at the time its next imported visit begins. */
export async function closeOpenVisits(db: Kysely<Database>, closes: Array<{ orderId: string; at: string }>): Promise<void> {
  for (const c of closes)
    await db
      .updateTable('stage_visits')
      .set({ exited_at: c.at })
      .where('order_id', '=', c.orderId)
      .where('exited_at', 'is', null)
      .execute();
}

/** The orders an import created: a reference another import took meanwhile fails here (a unique violation), not twice. */
export async function insertImportOrders(db: Kysely<Database>, rows: ImportOrderTable[]): Promise<void> {
  await inBatches(rows, 500, (chunk) => db.insertInto('import_orders').values(chunk).execute());
}

export async function upsertImportOrders(db: Kysely<Database>, rows: ImportOrderTable[]): Promise<void> {
  await inBatches(rows, 500, (chunk) =>
    db
      .insertInto('import_orders')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['workflow', 'reference']).doUpdateSet((eb) => ({
          last_import: eb.ref('excluded.last_import'),
          row_hash: eb.ref('excluded.row_hash'),
          version: eb.ref('excluded.version'),
        })),
      )
      .execute(),
  );
}

/** Reserves `count` numbers of a sequence at once; returns the first. */
export async function reserveNumbers(db: Kysely<Database>, key: string, start: number, count: number): Promise<number> {
  const bumped = await db
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', count) }))
    .where('key', '=', key)
    .returning('value')
    .executeTakeFirst();
  if (bumped) return Number(bumped.value) - count + 1;
  await db
    .insertInto('counters')
    .values({ key, value: start - 1 })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return reserveNumbers(db, key, start, count);
}
