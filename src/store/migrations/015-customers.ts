// Customer records: until now the customer was free text on each order. Each distinct name (as `customerNameKey`
// folds it) becomes one record, with the newest spelling and the newest e-mail its orders carry, and every order
// is linked to its record.
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { customerNameKey, emailKey } from '../../domain/customers/customer.ts';
import type { Database } from '../schema.ts';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('email_key', 'text')
    .addColumn('contacts', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('addresses', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('merged_into', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // One live record per name: two orders naming one customer at once cannot make two records.
  await db.schema
    .createIndex('customers_name_key')
    .on('customers')
    .column('name_key')
    .unique()
    .where(sql.ref('merged_into'), 'is', null)
    .execute();
  await db.schema.createIndex('customers_email_key').on('customers').column('email_key').execute();
  await db.schema.alterTable('orders').addColumn('customer_id', 'text').execute();
  await db.schema.createIndex('orders_customer').on('orders').columns(['customer_id', 'created_at']).execute();
  await linkExistingOrders(db as unknown as Kysely<Database>, ctx);
}

interface Draft {
  id: string;
  name: string;
  nameAt: string;
  email: string | null;
  emailAt: string;
  firstAt: string;
}

async function linkExistingOrders(db: Kysely<Database>, { dialect }: MigrationContext): Promise<void> {
  const drafts = new Map<string, Draft>();
  const BATCH = 1000;
  for (let after = ''; ; ) {
    const rows = await db
      .selectFrom('orders')
      .select(['id', 'customer_name', 'customer_email', 'created_at'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    const links: Array<{ id: string; customer: string }> = [];
    for (const r of rows) {
      const key = customerNameKey(r.customer_name);
      let d = drafts.get(key);
      if (!d) {
        d = {
          id: randomUUID(),
          name: r.customer_name.trim(),
          nameAt: r.created_at,
          email: null,
          emailAt: '',
          firstAt: r.created_at,
        };
        drafts.set(key, d);
      }
      if (r.created_at > d.nameAt) Object.assign(d, { name: r.customer_name.trim(), nameAt: r.created_at });
      if (r.created_at < d.firstAt) d.firstAt = r.created_at;
      if (r.customer_email && r.created_at >= d.emailAt) Object.assign(d, { email: r.customer_email, emailAt: r.created_at });
      links.push({ id: r.id, customer: d.id });
    }
    await linkOrders(db, dialect, links);
    after = rows[rows.length - 1]!.id;
  }
  const all = [...drafts.entries()];
  for (let i = 0; i < all.length; i += 500) {
    await db
      .insertInto('customers')
      .values(
        all.slice(i, i + 500).map(([key, d]) => ({
          id: d.id,
          name: d.name,
          name_key: key,
          email: d.email,
          email_key: emailKey(d.email),
          contacts: '[]',
          addresses: '[]',
          notes: '',
          merged_into: null,
          version: 1,
          created_at: d.firstAt,
          updated_at: d.firstAt,
        })),
      )
      .execute();
  }
}

async function linkOrders(
  db: Kysely<Database>,
  dialect: MigrationContext['dialect'],
  links: Array<{ id: string; customer: string }>,
) {
  if (dialect === 'postgres') {
    await sql`update orders as o set customer_id = v.customer
      from jsonb_to_recordset(${JSON.stringify(links)}::jsonb) as v(id text, customer text)
      where o.id = v.id`.execute(db);
    return;
  }
  for (const l of links) await db.updateTable('orders').set({ customer_id: l.customer }).where('id', '=', l.id).execute();
}
