// Queries for customer records and the orders linked to them.
import { type Kysely, type SqlBool, sql } from 'kysely';
import type { Contact, CustomerRecord } from '../domain/customers/customer.ts';
import type { CustomerOrderFacts } from '../domain/customers/delivery-record.ts';
import { foldCase } from '../domain/text-key.ts';
import type { CustomerTable, Database } from './schema.ts';

export function customerFromRow(r: CustomerTable): CustomerRecord {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    contacts: JSON.parse(r.contacts) as Contact[],
    addresses: JSON.parse(r.addresses) as string[],
    notes: r.notes,
    mergedInto: r.merged_into,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function customerToRow(c: CustomerRecord, keys: { nameKey: string; emailKey: string | null }): CustomerTable {
  return {
    id: c.id,
    name: c.name,
    name_key: keys.nameKey,
    email: c.email,
    email_key: keys.emailKey,
    contacts: JSON.stringify(c.contacts),
    addresses: JSON.stringify(c.addresses),
    notes: c.notes,
    merged_into: c.mergedInto,
    version: c.version,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

/** A record by id, merged away or not. With `forUpdate` (PostgreSQL) the row stays locked until the transaction ends. */
export async function findCustomer(
  db: Kysely<Database>,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<CustomerRecord | undefined> {
  const query = db.selectFrom('customers').selectAll().where('id', '=', id);
  const row = await (opts.forUpdate ? query.forUpdate() : query).executeTakeFirst();
  return row ? customerFromRow(row) : undefined;
}

/**
 * The live record for each name key: a record merged away still answers for its name, by the record it went into
 * (a merge keeps that pointing at a live one), so an order typed with the old spelling joins the merged customer.
 */
export async function liveCustomersByNameKey(db: Kysely<Database>, keys: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const merged = new Map<string, string>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db
      .selectFrom('customers')
      .select(['id', 'name_key', 'merged_into'])
      .where('name_key', 'in', keys.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      if (r.merged_into === null) out.set(r.name_key, r.id);
      else merged.set(r.name_key, r.merged_into);
    }
  }
  for (const [key, into] of merged) if (!out.has(key)) out.set(key, into);
  return out;
}

/** Live records by e-mail key: only e-mails exactly one record carries (a shared address identifies nobody). */
export async function liveCustomersByEmailKey(db: Kysely<Database>, keys: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const shared = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db
      .selectFrom('customers')
      .select(['id', 'email_key'])
      .where('merged_into', 'is', null)
      .where('email_key', 'in', keys.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      if (r.email_key === null) continue;
      if (out.has(r.email_key)) shared.add(r.email_key);
      out.set(r.email_key, r.id);
    }
  }
  for (const k of shared) out.delete(k);
  return out;
}

export async function insertCustomers(db: Kysely<Database>, rows: CustomerTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('customers')
      .values(rows.slice(i, i + 500))
      .execute();
}

/** Writes a record's new state only if it is still at `expectedVersion`; false when someone changed it first. */
export async function saveCustomer(db: Kysely<Database>, row: CustomerTable, expectedVersion: number): Promise<boolean> {
  const { id, created_at: _c, ...changes } = row;
  const result = await db
    .updateTable('customers')
    .set(changes)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface CustomerListRow extends CustomerRecord {
  openOrders: number;
  orders: number;
}

/** Live records whose name (or e-mail) contains `q`, by name, a page at a time (`after`: the last name key and id). */
export async function searchCustomers(
  db: Kysely<Database>,
  q: string | undefined,
  page: { limit: number; after?: [string, string] | undefined },
): Promise<{ items: CustomerListRow[]; last: [string, string] | null }> {
  let query = db.selectFrom('customers').selectAll().where('merged_into', 'is', null);
  const key = q?.trim() ? foldCase(q.trim().replace(/\s+/g, ' ')) : '';
  if (key) {
    const pattern = `%${escapeLike(key)}%`;
    query = query.where(
      sql<SqlBool>`(name_key like ${pattern} escape '\\' or email_key like ${`%${escapeLike(key.toLowerCase())}%`} escape '\\')`,
    );
  }
  if (page.after) {
    const [nameKey, id] = page.after;
    query = query.where((eb) => eb.or([eb('name_key', '>', nameKey), eb.and([eb('name_key', '=', nameKey), eb('id', '>', id)])]));
  }
  const rows = await query
    .orderBy('name_key')
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
  const more = rows.length > page.limit;
  const shown = rows.slice(0, page.limit);
  const counts = await orderCounts(
    db,
    shown.map((r) => r.id),
  );
  const last = shown[shown.length - 1];
  return {
    items: shown.map((r) => ({ ...customerFromRow(r), ...(counts.get(r.id) ?? { openOrders: 0, orders: 0 }) })),
    last: more && last ? [last.name_key, last.id] : null,
  };
}

async function orderCounts(db: Kysely<Database>, ids: string[]): Promise<Map<string, { openOrders: number; orders: number }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('orders')
    .select((eb) => [
      'customer_id',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>(eb.case().when('state', 'in', ['active', 'on_hold']).then(1).else(0).end()).as('open'),
    ])
    .where('customer_id', 'in', ids)
    .groupBy('customer_id')
    .execute();
  return new Map(rows.map((r) => [r.customer_id!, { orders: Number(r.n), openOrders: Number(r.open ?? 0) }]));
}

/** What the delivery record is worked out from: every order of the customer, a few columns each. */
export async function customerOrderFacts(db: Kysely<Database>, customerId: string): Promise<CustomerOrderFacts[]> {
  const rows = await db
    .selectFrom('orders')
    .select(['state', 'created_at', 'completed_at', 'due_date'])
    .where('customer_id', '=', customerId)
    .execute();
  return rows.map((r) => ({
    state: r.state as CustomerOrderFacts['state'],
    createdAt: r.created_at,
    completedAt: r.completed_at,
    dueDate: r.due_date,
  }));
}

/** The orders of `from`, in id order (locked on PostgreSQL: a merge moves exactly these). */
export async function ordersOfCustomer(
  db: Kysely<Database>,
  customerId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<Array<{ id: string; number: string; version: number }>> {
  const query = db.selectFrom('orders').select(['id', 'number', 'version']).where('customer_id', '=', customerId).orderBy('id');
  return opts.forUpdate ? query.forUpdate().execute() : query.execute();
}

/** Links orders to a record. */
export async function linkOrdersTo(db: Kysely<Database>, customerId: string, orderIds: readonly string[]): Promise<void> {
  for (let i = 0; i < orderIds.length; i += 500) {
    await db
      .updateTable('orders')
      .set({ customer_id: customerId })
      .where('id', 'in', orderIds.slice(i, i + 500))
      .execute();
  }
}

/** Records merged into `from` earlier now lead straight to `into`. */
export async function redirectMerged(db: Kysely<Database>, from: string, into: string): Promise<void> {
  await db.updateTable('customers').set({ merged_into: into }).where('merged_into', '=', from).execute();
}

/** The e-mail on a customer record, or null (no record, or none on it). */
export async function customerRecordEmail(db: Kysely<Database>, customerId: string | null | undefined): Promise<string | null> {
  if (!customerId) return null;
  const row = await db.selectFrom('customers').select('email').where('id', '=', customerId).executeTakeFirst();
  return row?.email ?? null;
}
