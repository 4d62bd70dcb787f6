// Reading orders and events in batches for export: keyset pages, so a million rows never sit in memory at once.
import type { Kysely } from 'kysely';
import type { ChainedEvent } from '../domain/audit.ts';
import type { OrderState } from '../domain/order.ts';
import { fromRow } from './events.ts';
import { orderFromRow, type StoredOrder } from './orders.ts';
import type { Database } from './schema.ts';

export interface ExportFilter {
  workflow?: string | undefined;
  states?: OrderState[] | undefined;
  /** Instants (ISO), `from` included, `until` excluded. */
  from?: string | undefined;
  until?: string | undefined;
}

/** The next orders after `after` (created_at, id), oldest first. */
export async function ordersAfter(
  db: Kysely<Database>,
  filter: ExportFilter,
  after: [string, string] | null,
  limit: number,
): Promise<StoredOrder[]> {
  let q = db.selectFrom('orders').selectAll();
  if (filter.workflow) q = q.where('workflow', '=', filter.workflow);
  if (filter.states) q = q.where('state', 'in', filter.states);
  if (filter.from) q = q.where('created_at', '>=', filter.from);
  if (filter.until) q = q.where('created_at', '<', filter.until);
  if (after) {
    const [at, id] = after;
    q = q.where((eb) => eb.or([eb('created_at', '>', at), eb.and([eb('created_at', '=', at), eb('id', '>', id)])]));
  }
  const rows = await q.orderBy('created_at').orderBy('id').limit(limit).execute();
  return rows.map(orderFromRow);
}

export interface ExportedEvent extends ChainedEvent {
  workflow: string | null;
  orderNumber: string | null;
}

/** The next events after `afterSeq` in chain order; `orderEventsOnly` leaves out workflow, user and token events. */
export async function eventsAfterSeq(
  db: Kysely<Database>,
  filter: ExportFilter & { orderEventsOnly: boolean },
  afterSeq: number,
  limit: number,
): Promise<ExportedEvent[]> {
  let q = db
    .selectFrom('events as e')
    .leftJoin('orders as o', 'o.id', 'e.order_id')
    .selectAll('e')
    .select(['o.workflow', 'o.number'])
    .where('e.seq', '>', afterSeq);
  if (filter.orderEventsOnly || filter.workflow) q = q.where('e.order_id', 'is not', null);
  if (filter.workflow) q = q.where('o.workflow', '=', filter.workflow);
  if (filter.from) q = q.where('e.at', '>=', filter.from);
  if (filter.until) q = q.where('e.at', '<', filter.until);
  const rows = await q.orderBy('e.seq').limit(limit).execute();
  return rows.map((r) => ({ ...fromRow(r), workflow: r.workflow, orderNumber: r.number }));
}
