// Queries for orders and their stage visits.
import type SQLite from 'better-sqlite3';
import { type Expression, type Insertable, type Kysely, type SqlBool, sql } from 'kysely';
import type { FieldValues } from '../domain/fields.ts';
import { type Order, type OrderItem, type OrderState, PRIORITY_RANK, type Priority } from '../domain/order.ts';
import { foldCase, orderSearchKey, SEARCH_FIELD_SEPARATOR } from '../domain/text-key.ts';
import type { Db } from './db.ts';
import type { Database, OrderTable, StageVisitTable } from './schema.ts';
import { insertRows, onSqlite, runWithList, selectWithList, updateRow } from './sqlite-writes.ts';

export interface StoredOrder extends Order {
  trackingToken: string;
}

export interface StageVisit {
  stage: string;
  enteredAt: string;
  exitedAt: string | null;
  by: { id: string | null; name: string };
  /** An imported visit: when the import recorded it, and which import and row of its file it came from. */
  recordedAt?: string;
  source?: { import: string; row: number | null };
}

export function orderFromRow(r: OrderTable): StoredOrder {
  return {
    id: r.id,
    number: r.number,
    workflow: r.workflow,
    title: r.title,
    customer: { name: r.customer_name, email: r.customer_email },
    customerId: r.customer_id ?? null,
    state: r.state as OrderState,
    stage: r.stage,
    stageEnteredAt: r.stage_entered_at,
    dueDate: r.due_date,
    priority: r.priority as Priority,
    fields: JSON.parse(r.fields) as FieldValues,
    items: JSON.parse(r.items) as OrderItem[],
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    completedAt: r.completed_at,
    holdReason: r.hold_reason,
    trackingToken: r.tracking_token,
  };
}

export function orderToRow(o: StoredOrder): OrderTable {
  return {
    id: o.id,
    number: o.number,
    workflow: o.workflow,
    title: o.title,
    customer_name: o.customer.name,
    customer_email: o.customer.email,
    customer_id: o.customerId ?? null,
    search_key: orderSearchKey(o),
    state: o.state,
    stage: o.stage,
    stage_entered_at: o.stageEnteredAt,
    due_date: o.dueDate,
    priority: o.priority,
    priority_rank: PRIORITY_RANK[o.priority],
    fields: JSON.stringify(o.fields),
    items: JSON.stringify(o.items),
    version: o.version,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
    completed_at: o.completedAt,
    hold_reason: o.holdReason,
    tracking_token: o.trackingToken,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An order by its id or its number (`ORD-1042`). With `forUpdate` (PostgreSQL) the row stays
 * locked until the transaction ends, so concurrent writers of one order queue instead of racing;
 * SQLite's single writer already does that.
 */
export async function findOrder(
  db: Kysely<Database>,
  idOrNumber: string,
  opts: { forUpdate?: boolean } = {},
): Promise<StoredOrder | undefined> {
  const column = UUID.test(idOrNumber) ? 'id' : 'number';
  const query = db.selectFrom('orders').selectAll().where(column, '=', idOrNumber);
  const row = await (opts.forUpdate ? query.forUpdate() : query).executeTakeFirst();
  return row ? orderFromRow(row) : undefined;
}

/**
 * Several orders by id or number, ordered by id. With `forUpdate` (PostgreSQL) their rows stay
 * locked until the transaction ends; taking them in id order means two batches never deadlock.
 */
export async function findOrders(
  db: Kysely<Database>,
  refs: readonly string[],
  opts: { forUpdate?: boolean } = {},
): Promise<StoredOrder[]> {
  const ids = refs.filter((r) => UUID.test(r));
  const numbers = refs.filter((r) => !UUID.test(r));
  if (ids.length + numbers.length === 0) return [];
  if (onSqlite(db) && numbers.length === 0) {
    const rows = await selectWithList<OrderTable>(
      db,
      (list) => `select * from "orders" where "id" in ${list} order by "id"`,
      ids,
    );
    return rows.map(orderFromRow);
  }
  const query = db
    .selectFrom('orders')
    .selectAll()
    .where((eb) =>
      eb.or([...(ids.length ? [eb('id', 'in', ids)] : []), ...(numbers.length ? [eb('number', 'in', numbers)] : [])]),
    )
    .orderBy('id');
  const rows = await (opts.forUpdate ? query.forUpdate() : query).execute();
  return rows.map(orderFromRow);
}

export async function insertOrder(db: Kysely<Database>, order: StoredOrder): Promise<void> {
  await db.insertInto('orders').values(orderToRow(order)).execute();
}

/**
 * Writes the order's new state only if nobody changed it since `expectedVersion`.
 * Returns false (and writes nothing) when the version moved on: the caller answers 409.
 * Given the state it was read in (`before`), only the columns that differ are set: SQLite then leaves
 * the indexes on the others alone (a move does not rewrite the due-date index).
 */
export async function saveOrder(
  db: Kysely<Database>,
  order: StoredOrder,
  expectedVersion: number,
  before?: StoredOrder,
): Promise<boolean> {
  // The customer link is written only by linking and merging (store/customers.ts): an edit read before a merge
  // must not put an order back with the record merged away.
  const { id: _id, number: _n, tracking_token: _t, created_at: _c, customer_id: _k, ...row } = orderToRow(order);
  let changes: Partial<typeof row> = row;
  if (before) {
    const old = orderToRow(before) as Partial<typeof row>;
    changes = Object.fromEntries(Object.entries(row).filter(([k, v]) => old[k as keyof typeof row] !== v));
  }
  if (onSqlite(db)) return (await updateRow(db, 'orders', changes, { id: order.id, version: expectedVersion })) === 1;
  const result = await db
    .updateTable('orders')
    .set(changes)
    .where('id', '=', order.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The columns a change may write, with their PostgreSQL types (everything else is set once, at creation). */
const CHANGEABLE = {
  workflow: 'text',
  title: 'text',
  customer_name: 'text',
  customer_email: 'text',
  state: 'text',
  stage: 'text',
  stage_entered_at: 'text',
  due_date: 'text',
  priority: 'text',
  priority_rank: 'integer',
  fields: 'text',
  items: 'text',
  version: 'integer',
  updated_at: 'text',
  completed_at: 'text',
  hold_reason: 'text',
  search_key: 'text',
} as const satisfies Partial<Record<keyof OrderTable, string>>;

const CHANGEABLE_COLUMNS = Object.keys(CHANGEABLE) as Array<keyof typeof CHANGEABLE>;
const SET_CHANGED = sql.raw(CHANGEABLE_COLUMNS.map((c) => `${c} = v.${c}`).join(', '));
const CHANGED_RECORD = sql.raw(
  ['id text', 'expected integer', ...CHANGEABLE_COLUMNS.map((c) => `${c} ${CHANGEABLE[c]}`)].join(', '),
);

/** PostgreSQL: the UPDATE that writes orders' new states, each only at its expected version (aliased `o`). */
export function saveOrdersSql(changes: ReadonlyArray<{ order: StoredOrder; expectedVersion: number }>) {
  const records = changes.map(({ order, expectedVersion }) => {
    const row = orderToRow(order);
    return { id: order.id, expected: expectedVersion, ...Object.fromEntries(CHANGEABLE_COLUMNS.map((c) => [c, row[c]])) };
  });
  return sql`update orders as o set ${SET_CHANGED}
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as v(${CHANGED_RECORD})
    where o.id = v.id and o.version = v.expected`;
}

/**
 * Writes several orders' new states inside the caller's transaction, each only if its version is still the
 * expected one; returns the ids written. (PostgreSQL's batched write puts `saveOrdersSql` in its one statement.)
 */
export async function saveOrders(
  db: Kysely<Database>,
  changes: ReadonlyArray<{ order: StoredOrder; expectedVersion: number; before?: StoredOrder }>,
): Promise<Set<string>> {
  const saved = new Set<string>();
  for (const { order, expectedVersion, before } of changes) {
    if (await saveOrder(db, order, expectedVersion, before)) saved.add(order.id);
  }
  return saved;
}

/** Takes the next number of a sequence (one per order prefix); atomic on both dialects. */
export async function nextNumber(db: Kysely<Database>, key: string, start: number): Promise<number> {
  const bumped = await db
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('key', '=', key)
    .returning('value')
    .executeTakeFirst();
  if (bumped) return bumped.value;
  // A new sequence: plant the number before the first, then take the next as every caller does.
  await db
    .insertInto('counters')
    .values({ key, value: start - 1 })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return nextNumber(db, key, start);
}

export interface StageEntry {
  orderId: string;
  stage: string;
  at: string;
  by: { id: string | null; name: string };
}

/**
 * Opens a stage visit per entry and closes the visit each order leaves. Entries of one order
 * are in the order they happened: all but its last are entered and left at once.
 */
export async function enterStages(db: Kysely<Database>, entries: readonly StageEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const at = entries[0]!.at;
  const orderIds = [...new Set(entries.map((e) => e.orderId))];
  if (onSqlite(db)) {
    await runWithList(
      db,
      (list) => `update "stage_visits" set "exited_at" = ? where "order_id" in ${list} and "exited_at" is null`,
      [at],
      orderIds,
    );
    await insertRows(db, 'stage_visits', stageVisitRows(entries));
    return;
  }
  await db
    .updateTable('stage_visits')
    .set({ exited_at: at })
    .where('order_id', 'in', orderIds)
    .where('exited_at', 'is', null)
    .execute();
  await db.insertInto('stage_visits').values(stageVisitRows(entries)).execute();
}

/** The visits stage entries open: an order that enters two stages in one go leaves the first at once. */
export function stageVisitRows(entries: readonly StageEntry[]): Array<Insertable<StageVisitTable>> {
  const lastOf = new Map(entries.map((e, i) => [e.orderId, i]));
  return entries.map((e, i) => ({
    order_id: e.orderId,
    stage: e.stage,
    entered_at: e.at,
    exited_at: lastOf.get(e.orderId) === i ? null : e.at,
    by_id: e.by.id,
    by_name: e.by.name,
  }));
}

/**
 * The visits of orders as `enterStages(entries)` leaves them, worked out from the visits before
 * (no read-back inside the transaction, where every round trip holds the audit chain's head).
 */
export function visitsAfterEntries(
  before: ReadonlyMap<string, StageVisit[]>,
  entries: readonly StageEntry[],
): Map<string, StageVisit[]> {
  const after = new Map(before);
  const closedAt = entries[0]?.at;
  for (const id of new Set(entries.map((e) => e.orderId))) {
    after.set(
      id,
      (before.get(id) ?? []).map((v) => (v.exitedAt === null ? { ...v, exitedAt: closedAt ?? null } : v)),
    );
  }
  for (const r of stageVisitRows(entries)) {
    after.get(r.order_id)!.push({
      stage: r.stage,
      enteredAt: r.entered_at,
      exitedAt: r.exited_at ?? null,
      by: { id: r.by_id ?? null, name: r.by_name },
    });
  }
  return after;
}

/** Stage visits of each order, oldest first, keyed by order id. */
export async function stageVisits(db: Kysely<Database>, orderIds: string[]): Promise<Map<string, StageVisit[]>> {
  const out = new Map<string, StageVisit[]>();
  if (orderIds.length === 0) return out;
  const rows = await db
    .selectFrom('stage_visits')
    .selectAll()
    .where('order_id', 'in', orderIds)
    .orderBy('order_id')
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const list = out.get(r.order_id) ?? [];
    const visit: StageVisit = {
      stage: r.stage,
      enteredAt: r.entered_at,
      exitedAt: r.exited_at,
      by: { id: r.by_id, name: r.by_name },
    };
    if (r.import_id) {
      visit.recordedAt = r.recorded_at ?? r.entered_at;
      visit.source = { import: r.import_id, row: r.import_row ?? null };
    }
    list.push(visit);
    out.set(r.order_id, list);
  }
  return out;
}

export interface StageCondition {
  workflow: string;
  stage: string;
  /** Only orders that entered the stage at or before this instant. */
  enteredBefore?: string;
}

export interface OrderFilter {
  workflow?: string;
  stage?: string;
  states?: OrderState[];
  /** Number, title, customer name or e-mail contains this text (case-insensitive). */
  q?: string;
  /** Only orders matching one of these conditions; an empty list matches nothing. */
  anyOf?: StageCondition[];
  dueBefore?: string;
  dueAfter?: string;
  /** Only these orders (flags the SQL cannot express, such as at-risk); an empty list matches nothing. */
  ids?: string[];
  /** Only the orders of this customer record. */
  customerId?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

export class BadCursorError extends Error {}

const CURSOR_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const CURSOR_ID = /^[\w-]{1,100}$/;

export function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    // Only the shape encodeCursor makes: a forged one must not carry arbitrary text into SQL.
    if (Array.isArray(value) && value.length === 2) {
      const [at, id] = value as unknown[];
      if (typeof at === 'string' && typeof id === 'string' && CURSOR_AT.test(at) && CURSOR_ID.test(id)) return [at, id];
    }
  } catch {
    // fall through
  }
  throw new BadCursorError('cursor is not one this server gave out');
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Orders matching the filter, newest first, one page at a time. */
export async function listOrders(
  db: Kysely<Database>,
  filter: OrderFilter,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<StoredOrder>> {
  let query = db.selectFrom('orders').selectAll();
  if (filter.workflow) query = query.where('workflow', '=', filter.workflow);
  if (filter.stage) query = query.where('stage', '=', filter.stage);
  if (filter.states) query = query.where('state', 'in', filter.states.length ? filter.states : ['-']);
  if (filter.dueBefore) query = query.where('due_date', '<', filter.dueBefore);
  if (filter.dueAfter) query = query.where('due_date', '>', filter.dueAfter);
  if (filter.ids) query = query.where('id', 'in', filter.ids.length ? filter.ids : ['-']);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.q) {
    // Keys folded in JavaScript on both sides: the databases' own lower() disagree beyond ASCII.
    const key = foldCase(filter.q);
    const pattern = `%${escapeLike(key)}%`;
    query = key.includes(SEARCH_FIELD_SEPARATOR)
      ? query.where(sql<SqlBool>`1 = 0`)
      : query.where(sql<SqlBool>`search_key like ${pattern} escape '\\'`);
  }
  if (filter.anyOf) {
    const conditions = filter.anyOf;
    query = query.where((eb) => {
      const parts: Expression<SqlBool>[] = conditions.map((c) =>
        eb.and([
          eb('workflow', '=', c.workflow),
          eb('stage', '=', c.stage),
          ...(c.enteredBefore ? [eb('stage_entered_at', '<=', c.enteredBefore)] : []),
        ]),
      );
      return parts.length ? eb.or(parts) : sql<SqlBool>`1 = 0`;
    });
  }
  if (page.cursor) {
    const [createdAt, id] = decodeCursor(page.cursor);
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]),
    );
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const more = rows.length > page.limit;
  const items = rows.slice(0, page.limit).map(orderFromRow);
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor(last.createdAt, last.id) : null };
}

/** How many open (active and on-hold) orders each stage of a workflow holds now; stages without any are left out. */
export async function openOrdersPerStage(db: Kysely<Database>, workflow: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('orders')
    .select(['stage', (eb) => eb.fn.countAll<number>().as('n')])
    .where('workflow', '=', workflow)
    .where('state', 'in', ['active', 'on_hold'])
    .groupBy('stage')
    .execute();
  return new Map(rows.map((r) => [r.stage, Number(r.n)]));
}

export interface OpenOrderSummary {
  id: string;
  number: string;
  title: string;
  customerName: string;
  state: OrderState;
  stage: string;
  stageEnteredAt: string;
  dueDate: string | null;
  priority: Priority;
  version: number;
}

const OPEN_ORDERS_SQL = {
  sqlite: `select id, number, title, customer_name, state, stage, stage_entered_at, due_date, priority, version
    from orders where workflow = ? and state in ('active', 'on_hold')`,
  postgres: `select id, number, title, customer_name, state, stage, stage_entered_at, due_date, priority, version
    from orders where workflow = $1 and state in ('active', 'on_hold')`,
};

const openOrdersStatements = new WeakMap<SQLite.Database, SQLite.Statement>();

type OpenOrderRow = [string, string, string, string, string, string, string, string | null, string, number];

/**
 * Open orders of a workflow, only the columns a board card needs (no fields or items to parse). A
 * board of ten thousand cards is read as rows of values, not objects: on both drivers that halves
 * the time (and the garbage) of the read.
 */
export async function openOrdersOf(db: Db, workflow: string): Promise<OpenOrderSummary[]> {
  let rows: OpenOrderRow[];
  if (db.sqlite) {
    let statement = openOrdersStatements.get(db.sqlite);
    if (!statement) {
      statement = db.sqlite.prepare(OPEN_ORDERS_SQL.sqlite).raw(true);
      openOrdersStatements.set(db.sqlite, statement);
    }
    rows = statement.all(workflow) as OpenOrderRow[];
  } else if (db.pool) {
    rows = (await db.pool.query<OpenOrderRow>({ text: OPEN_ORDERS_SQL.postgres, values: [workflow], rowMode: 'array' })).rows;
  } else {
    throw new Error(`no driver handle for ${db.description}`);
  }
  return rows.map((r) => ({
    id: r[0],
    number: r[1],
    title: r[2],
    customerName: r[3],
    state: r[4] as OrderState,
    stage: r[5],
    stageEnteredAt: r[6],
    dueDate: r[7],
    priority: r[8] as Priority,
    version: r[9],
  }));
}

export async function countOrdersInStages(db: Kysely<Database>, workflow: string, stages: string[]): Promise<number> {
  if (stages.length === 0) return 0;
  const row = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workflow', '=', workflow)
    .where('stage', 'in', stages)
    .where('state', 'in', ['active', 'on_hold'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
