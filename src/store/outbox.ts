// The outbox as the dispatcher works it: claim unprocessed rows in order, mark them processed.
import type { Kysely } from 'kysely';
import type { ChainedEvent } from '../domain/audit.ts';
import type { Dialect } from './db.ts';
import { fromRow } from './events.ts';
import { orderFromRow, type StoredOrder } from './orders.ts';
import { inClaimOrder } from './queue-plan.ts';
import type { Database } from './schema.ts';

export interface OutboxRow {
  id: number;
  eventSeq: number;
  orderId: string | null;
  type: string;
  /** Whether the order's customer was to be e-mailed when the event was written; null when not recorded. */
  customerEmail: boolean | null;
}

/**
 * The oldest unprocessed rows, locked until the transaction ends. On PostgreSQL rows another
 * process holds are skipped (SKIP LOCKED), so several dispatchers share the work without doing
 * any row twice; on SQLite there is one writer anyway.
 */
export async function claimOutbox(tx: Kysely<Database>, dialect: Dialect, limit: number): Promise<OutboxRow[]> {
  const q = tx
    .selectFrom('outbox')
    .select(['id', 'event_seq', 'order_id', 'type', 'customer_email'])
    .where('processed_at', 'is', null)
    .orderBy('id')
    .limit(limit);
  const rows = await inClaimOrder(tx, dialect, () => (dialect === 'postgres' ? q.forUpdate().skipLocked() : q).execute());
  return rows.map((r) => ({
    id: r.id,
    eventSeq: r.event_seq,
    orderId: r.order_id,
    type: r.type,
    customerEmail: r.customer_email === null ? null : r.customer_email === 1,
  }));
}

export async function markProcessed(tx: Kysely<Database>, ids: number[], at: string): Promise<void> {
  if (ids.length === 0) return;
  await tx.updateTable('outbox').set({ processed_at: at }).where('id', 'in', ids).execute();
}

export async function pendingOutboxCount(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('processed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The events behind claimed outbox rows, by sequence number. */
export async function eventsBySeq(db: Kysely<Database>, seqs: number[]): Promise<Map<number, ChainedEvent>> {
  if (seqs.length === 0) return new Map();
  const rows = await db.selectFrom('events').selectAll().where('seq', 'in', seqs).execute();
  return new Map(rows.map((r) => [r.seq, fromRow(r)]));
}

/** Orders by id, as they are now. */
export async function ordersByIds(db: Kysely<Database>, ids: string[]): Promise<Map<string, StoredOrder>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('orders').selectAll().where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, orderFromRow(r)]));
}

/** How far the dispatcher is behind: rows waiting, and when the oldest of them was written (null when none waits). */
export async function outboxBacklog(db: Kysely<Database>): Promise<{ pending: number; oldestAt: string | null }> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('processed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { pending: Number(row.n), oldestAt: (row.oldest as string | null) ?? null };
}
