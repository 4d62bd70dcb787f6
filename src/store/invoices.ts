// Invoices marked against orders, and the orders that have reached their workflow's invoice stage without one.
import type { Kysely } from 'kysely';
import type { EventActor } from '../domain/events.ts';
import { orderFromRow, type StoredOrder } from './orders.ts';
import type { Database } from './schema.ts';

export interface InvoiceMark {
  orderId: string;
  invoicedAt: string;
  eventSeq: number;
  reference: string | null;
  by: EventActor;
}

export async function findInvoice(db: Kysely<Database>, orderId: string): Promise<InvoiceMark | undefined> {
  const r = await db.selectFrom('order_invoices').selectAll().where('order_id', '=', orderId).executeTakeFirst();
  return r
    ? {
        orderId: r.order_id,
        invoicedAt: r.invoiced_at,
        eventSeq: Number(r.event_seq),
        reference: r.reference,
        by: { kind: r.by_kind as EventActor['kind'], id: r.by_id, name: r.by_name },
      }
    : undefined;
}

/** Records the mark; a second mark of the same order fails on the primary key (the caller answers 409). */
export async function insertInvoice(db: Kysely<Database>, mark: InvoiceMark): Promise<void> {
  await db
    .insertInto('order_invoices')
    .values({
      order_id: mark.orderId,
      invoiced_at: mark.invoicedAt,
      event_seq: mark.eventSeq,
      reference: mark.reference,
      by_kind: mark.by.kind,
      by_id: mark.by.id,
      by_name: mark.by.name,
    })
    .execute();
}

/** Ready orders (the insight facts keep the set), still not invoiced and not cancelled as the orders stand now. */
function readyQuery(db: Kysely<Database>, workflows: string[]) {
  return db
    .selectFrom('insight_ready as r')
    .innerJoin('orders as o', 'o.id', 'r.order_id')
    .leftJoin('order_invoices as i', 'i.order_id', 'r.order_id')
    .where('r.workflow', 'in', workflows.length ? workflows : ['-'])
    .where('o.state', '!=', 'cancelled')
    .where('i.order_id', 'is', null);
}

export interface ReadyOrder extends StoredOrder {
  /** When it first reached the invoice stage (epoch ms). */
  readySinceMs: number;
}

/** Orders ready to invoice in these workflows, the longest waiting first. */
export async function uninvoicedOrders(
  db: Kysely<Database>,
  workflows: string[],
  page?: { limit: number; offset: number },
): Promise<ReadyOrder[]> {
  let q = readyQuery(db, workflows).selectAll('o').select('r.since_ms').orderBy('r.since_ms').orderBy('o.number');
  if (page) q = q.limit(page.limit).offset(page.offset);
  return (await q.execute()).map((row) => {
    const { since_ms, ...order } = row;
    return { ...orderFromRow(order), readySinceMs: Number(since_ms) };
  });
}

/** Just what the totals need, for every order ready to invoice. */
export async function uninvoicedAmounts(
  db: Kysely<Database>,
  workflows: string[],
): Promise<Array<{ workflow: string; fields: string; items: string }>> {
  return readyQuery(db, workflows).select(['o.workflow', 'o.fields', 'o.items']).execute();
}
