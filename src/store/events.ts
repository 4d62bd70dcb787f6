// The event log: append under the hash chain (with outbox rows in the same transaction), read, and walk for verification.
import { type Insertable, type Kysely, type RawBuilder, sql } from 'kysely';
import { type ChainedEvent, chainHash, hashedBodyAroundSeq } from '../domain/audit.ts';
import type { EventActor, EventType, RecordedEvent } from '../domain/events.ts';
import { EVENT_COLUMNS, insertRows } from './bulk-insert.ts';
import type { Db, Dialect } from './db.ts';
import type { Database, EventTable, OutboxTable } from './schema.ts';
import { insertRows, selectRows, updateRow } from './sqlite-writes.ts';

export type NewEvent = Omit<RecordedEvent, 'seq'>;

/**
 * Appends events to the one chain for the whole database and queues each for dispatch.
 * On PostgreSQL the chain head row is locked until commit, so concurrent writers chain
 * one after another; on SQLite the write lock already serialises them.
 */
export async function appendEvents(tx: Kysely<Database>, dialect: Dialect, events: NewEvent[]): Promise<ChainedEvent[]> {
  if (events.length === 0) return [];
  const { chained, head } = chainOnto(await lockChainHead(tx, dialect), events);
  if (dialect === 'postgres') {
    // One round trip while the head is locked: both inserts ride along as data-modifying CTEs.
    const write = chainWriteSql(chained, head);
    await sql`with ${write.ctes} ${write.headUpdate}`.execute(tx);
  } else {
    await insertRows(tx, 'events', chained.map(toRow));
    await insertRows(tx, 'outbox', outboxRows(chained));
    await updateRow(tx, 'chain_head', { seq: head.seq, hash: head.hash }, { id: 1 });
  }
  return chained;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/** The end of the audit chain, locked until the transaction ends (PostgreSQL; SQLite has one writer). */
async function lockChainHead(tx: Kysely<Database>, dialect: Dialect): Promise<ChainHead> {
  if (dialect === 'sqlite') {
    const [head] = await selectRows<ChainHead>(tx, 'select "seq", "hash" from "chain_head" where "id" = 1', []);
    if (!head) throw new Error('the audit chain has no head row');
    return head;
  }
  const query = tx.selectFrom('chain_head').select(['seq', 'hash']).where('id', '=', 1);
  return (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirstOrThrow();
}

/** New events numbered and hashed onto the chain after `head`, and the chain's new head. */
function chainOnto(head: ChainHead, events: NewEvent[]): { chained: ChainedEvent[]; head: ChainHead } {
  let { seq, hash } = head;
  const chained: ChainedEvent[] = events.map((e) => {
    seq += 1;
    const event: RecordedEvent = { ...e, seq };
    const prevHash = hash;
    hash = chainHash(prevHash, event);
    return { ...event, prevHash, hash };
  });
  return { chained, head: { seq, hash } };
}

/**
 * Appends a long run of events without outbox rows (imported history is not news: no webhook or e-mail is sent
 * for it), in statements of `batch` rows. The caller's transaction holds the chain head until it commits.
 * Seqs follow the order of `events`, whatever their `at`: the chain is in the order events were recorded.
 */
export async function appendQuietEvents(
  tx: Kysely<Database>,
  db: Db,
  events: Iterable<NewEvent>,
): Promise<{ count: number; lastSeq: number }> {
  let head = await lockChainHead(tx, db.dialect);
  const start = head;
  function* chained(): Generator<EventTable> {
    for (const e of events) {
      const {
        chained: [one],
        head: next,
      } = chainOnto(head, [e]);
      head = next;
      yield toRow(one!);
    }
  }
  const count = await insertRows(tx, db, 'events', EVENT_COLUMNS, chained());
  await tx.updateTable('chain_head').set(head).where('id', '=', 1).execute();
  return { count, lastSeq: count ? head.seq : start.seq };
}

/** PostgreSQL: the data-modifying CTEs that insert chained events and their outbox rows, and the update of the chain head. */
function chainWriteSql(chained: ChainedEvent[], head: ChainHead): { ctes: RawBuilder<unknown>; headUpdate: RawBuilder<unknown> } {
  const ctes = sql`appended as (
      insert into events (seq, type, at, order_id, order_version, actor_kind, actor_id, actor_name, data, prev_hash, hash)
      select seq, type, at, order_id, order_version, actor_kind, actor_id, actor_name, data, prev_hash, hash
      from jsonb_to_recordset(${JSON.stringify(chained.map(toRow))}::jsonb)
        as v(seq integer, type text, at text, order_id text, order_version integer, actor_kind text, actor_id text,
             actor_name text, data text, prev_hash text, hash text)
    ),
    queued as (
      insert into outbox (event_seq, order_id, type, created_at, processed_at)
      select event_seq, order_id, type, created_at, processed_at
      from jsonb_to_recordset(${JSON.stringify(outboxRows(chained))}::jsonb)
        as v(event_seq integer, order_id text, type text, created_at text, processed_at text)
    )`;
  return { ctes, headUpdate: sql`update chain_head set seq = ${head.seq}, hash = ${head.hash} where id = 1` };
}

/**
 * Events for PostgreSQL to number and hash under its own lock of the chain head: each row carries its index in
 * `events` and the hashed body's text either side of the seq (see `hashedBodyAroundSeq`).
 */
export function unnumberedEventRows(events: NewEvent[]) {
  return events.map((e, i) => ({ i, ...eventColumns(e), ...hashedBodyAroundSeq(e) }));
}

/** One outbox row per event: the dispatcher's work list. */
function outboxRows(chained: ChainedEvent[]): Array<Insertable<OutboxTable>> {
  return chained.map((e) => ({ event_seq: e.seq, order_id: e.orderId, type: e.type, created_at: e.at, processed_at: null }));
}

/** The columns an event is stored in, but for its place in the chain (seq and hashes). */
function eventColumns(e: NewEvent): Omit<EventTable, 'seq' | 'prev_hash' | 'hash'> {
  return {
    type: e.type,
    at: e.at,
    order_id: e.orderId,
    order_version: e.orderVersion,
    actor_kind: e.actor.kind,
    actor_id: e.actor.id,
    actor_name: e.actor.name,
    data: JSON.stringify(e.data),
  };
}

function toRow(e: ChainedEvent): EventTable {
  return { seq: e.seq, ...eventColumns(e), prev_hash: e.prevHash, hash: e.hash };
}

export function fromRow(r: EventTable): ChainedEvent {
  return {
    seq: r.seq,
    type: r.type as EventType,
    at: r.at,
    orderId: r.order_id,
    orderVersion: r.order_version,
    actor: { kind: r.actor_kind as EventActor['kind'], id: r.actor_id, name: r.actor_name },
    data: JSON.parse(r.data) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** One order's events, oldest first; `after` and `limit` page through a long history. */
export async function orderEvents(
  db: Kysely<Database>,
  orderId: string,
  page: { after?: number; limit?: number } = {},
): Promise<ChainedEvent[]> {
  let q = db
    .selectFrom('events')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('seq', '>', page.after ?? 0)
    .orderBy('seq');
  if (page.limit !== undefined) q = q.limit(page.limit);
  return (await q.execute()).map(fromRow);
}

/** Every event in chain order, a batch at a time, so a million events do not sit in memory at once. */
export async function* eventBatches(db: Kysely<Database>, size = 5000): AsyncGenerator<ChainedEvent[]> {
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('events').selectAll().where('seq', '>', after).orderBy('seq').limit(size).execute();
    if (rows.length > 0) yield rows.map(fromRow);
    if (rows.length < size) return;
    after = rows[rows.length - 1]!.seq;
  }
}

export async function chainHead(db: Kysely<Database>): Promise<{ seq: number; hash: string }> {
  return db.selectFrom('chain_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
}

export interface FeedEvent {
  seq: number;
  type: string;
  orderId: string | null;
  number: string | null;
  version: number | null;
}

/** Events after `afterSeq` with their order's number, for the live feed. */
export async function eventsAfter(db: Kysely<Database>, afterSeq: number, limit = 1000): Promise<FeedEvent[]> {
  const rows = await db
    .selectFrom('events as e')
    .leftJoin('orders as o', 'o.id', 'e.order_id')
    .select(['e.seq', 'e.type', 'e.order_id', 'e.order_version', 'o.number'])
    .where('e.seq', '>', afterSeq)
    .orderBy('e.seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ seq: r.seq, type: r.type, orderId: r.order_id, number: r.number, version: r.order_version }));
}
