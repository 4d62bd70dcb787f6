// Tracking links: finding an order by its token, rotating the token, and switching the link off and on.
import type { Kysely } from 'kysely';
import { orderFromRow, type StoredOrder } from './orders.ts';
import type { Database } from './schema.ts';

/** The order a live tracking link points at; undefined for an unknown token or a link switched off. */
export async function orderByTrackingToken(db: Kysely<Database>, token: string): Promise<StoredOrder | undefined> {
  const row = await db
    .selectFrom('orders')
    .leftJoin('order_tracking', 'order_tracking.order_id', 'orders.id')
    .selectAll('orders')
    .where('orders.tracking_token', '=', token)
    .where((eb) => eb.or([eb('order_tracking.enabled', 'is', null), eb('order_tracking.enabled', '=', 1)]))
    .executeTakeFirst();
  return row ? orderFromRow(row) : undefined;
}

/** Whether an order's tracking link works (no row: it does). */
export async function trackingEnabled(db: Kysely<Database>, orderId: string): Promise<boolean> {
  const row = await db.selectFrom('order_tracking').select('enabled').where('order_id', '=', orderId).executeTakeFirst();
  return row ? row.enabled === 1 : true;
}

export async function setTrackingEnabled(db: Kysely<Database>, orderId: string, enabled: boolean, at: string): Promise<void> {
  const value = enabled ? 1 : 0;
  await db
    .insertInto('order_tracking')
    .values({ order_id: orderId, enabled: value, changed_at: at })
    .onConflict((oc) => oc.column('order_id').doUpdateSet({ enabled: value, changed_at: at }))
    .execute();
}

/** Gives the order a new tracking token: the old link stops working with this commit. */
export async function replaceTrackingToken(db: Kysely<Database>, orderId: string, token: string): Promise<void> {
  await db.updateTable('orders').set({ tracking_token: token }).where('id', '=', orderId).execute();
}
