// The event log: append under the hash chain (with outbox rows in the same transaction), read, and walk for verification.
import { randomBytes } from 'node:crypto';
import { type Insertable, type Kysely, type RawBuilder, sql } from 'kysely';
import { type ChainedEvent, chainHash, hashedBodyAroundSeq } from '../domain/audit.ts';
import type { EventActor, EventType, RecordedEvent } from '../domain/events.ts';
import { type Salts, saltsFor } from '../domain/sealing.ts';
import { EVENT_COLUMNS, insertRows as insertManyRows } from './bulk-insert.ts';
import type { Db, Dialect } from './db.ts';
import type { Database, EventTable, OutboxTable } from './schema.ts';
import { insertRows, selectRows, updateRow } from './sqlite-writes.ts';

export type NewEvent = Omit<RecordedEvent, 'seq'>;
/** A new event with a fresh salt for each of its field values, ready to be chained. */
export type SaltedEvent = NewEvent & { salts: Salts };

/** 128 random bits as hex, cut from a pool of random bytes refilled 4 KiB at a time (one call per 256 salts). */
export function newSalt(): string {
  if (poolAt >= pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  poolAt += 16;
  return pool.toString('hex', poolAt - 16, poolAt);
}
let pool = Buffer.alloc(0);
let poolAt = 0;

/** Gives each field value of each event its own fresh salt (see sealing.ts). */
export function salted(events: readonly NewEvent[]): SaltedEvent[] {
  return events.map((e) => ({ ...e, salts: saltsFor(e.data, newSalt) }));
}

/**
 * Appends events to the one chain for the whole database and queues each for dispatch.
 * On PostgreSQL the chain head row is locked until commit, so concurrent writers chain
 * one after another; on SQLite the write lock already serialises them.
 */
export async function appendEvents(tx: Kysely<Database>, dialect: Dialect, events: NewEvent[]): Promise<ChainedEvent[]> {
  if (events.length === 0) return [];
  const { chained, head } = chainOnto(await lockChainHead(tx, dialect), salted(events));
  if (dialect === 'postgres') {
    // One round trip while the head is locked: both inserts ride along as data-modifying CTEs.
    const write = chainWriteSql(chained, head);
    await sql`with ${write.ctes} ${write.headUpdate}`.execute(tx);
  } else {
    await insertRows(tx, 'events', chained.map(toRow));
    await insertRows(tx, 'outbox', outboxRows(chained, await customerEmailSwitches(tx, chained)));
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
function chainOnto(head: ChainHead, events: SaltedEvent[]): { chained: ChainedEvent[]; head: ChainHead } {
  let { seq, hash } = head;
  const chained: ChainedEvent[] = events.map((e) => {
    seq += 1;
    const event = { ...e, seq };
    const prevHash = hash;
    hash = chainHash(prevHash, event, e.salts);
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
      } = chainOnto(head, salted([e]));
      head = next;
      yield toRow(one!);
    }
  }
  const count = await insertManyRows(tx, db, 'events', EVENT_COLUMNS, chained());
  await tx.updateTable('chain_head').set(head).where('id', '=', 1).execute();
  return { count, lastSeq: count ? head.seq : start.seq };
}

/** PostgreSQL: the data-modifying CTEs that insert chained events and their outbox rows, and the update of the chain head. */
function chainWriteSql(chained: ChainedEvent[], head: ChainHead): { ctes: RawBuilder<unknown>; headUpdate: RawBuilder<unknown> } {
  const ctes = sql`appended as (
      insert into events (seq, type, at, order_id, order_version, actor_kind, actor_id, actor_name, data, salts, prev_hash, hash)
      select seq, type, at, order_id, order_version, actor_kind, actor_id, actor_name, data, salts, prev_hash, hash
      from jsonb_to_recordset(${JSON.stringify(chained.map(toRow))}::jsonb)
        as v(seq integer, type text, at text, order_id text, order_version integer, actor_kind text, actor_id text,
             actor_name text, data text, salts text, prev_hash text, hash text)
    ),
    queued as (
      insert into outbox (event_seq, order_id, type, created_at, processed_at, customer_email)
      select event_seq, order_id, type, created_at, processed_at, ${customerEmailSwitchSql(sql.ref('v.order_id'))}
      from jsonb_to_recordset(${JSON.stringify(outboxRows(chained, new Map()))}::jsonb)
        as v(event_seq integer, order_id text, type text, created_at text, processed_at text)
    )`;
  return { ctes, headUpdate: sql`update chain_head set seq = ${head.seq}, hash = ${head.hash} where id = 1` };
}

/**
 * Events for PostgreSQL to number and hash under its own lock of the chain head: each row carries its index in
 * `events` and the hashed body's text either side of the seq (see `hashedBodyAroundSeq`).
 */
export function unnumberedEventRows(events: SaltedEvent[]) {
  return events.map((e, i) => ({ i, ...eventColumns(e), ...hashedBodyAroundSeq(e, e.salts) }));
}

/**
 * One outbox row per event: the dispatcher's work list, with the order's customer e-mail switch as it stands
 * now, while the event is written (`switches`: the orders whose switch is off; on is the default).
 */
function outboxRows(chained: ChainedEvent[], switches: ReadonlyMap<string, boolean>): Array<Insertable<OutboxTable>> {
  return chained.map((e) => ({
    event_seq: e.seq,
    order_id: e.orderId,
    type: e.type,
    created_at: e.at,
    processed_at: null,
    customer_email: e.orderId === null ? null : switches.get(e.orderId) === false ? 0 : 1,
  }));
}

/** The customer e-mail switches of the events' orders, read inside the transaction that writes the events. */
async function customerEmailSwitches(tx: Kysely<Database>, chained: ChainedEvent[]): Promise<Map<string, boolean>> {
  const ids = [...new Set(chained.map((e) => e.orderId).filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Map();
  const rows = await tx.selectFrom('order_customer_updates').select(['order_id', 'email']).where('order_id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.order_id, r.email === 1]));
}

/** SQL for the customer e-mail switch of the order `orderId` names (1 on, 0 off, null without an order). */
export function customerEmailSwitchSql(orderId: RawBuilder<unknown> | ReturnType<typeof sql.ref>) {
  return sql`case when ${orderId} is null then null
    else coalesce((select u.email from order_customer_updates u where u.order_id = ${orderId}), 1) end`;
}

/** The columns an event is stored in, but for its place in the chain (seq and hashes). */
function eventColumns(e: SaltedEvent): Omit<EventTable, 'seq' | 'prev_hash' | 'hash'> {
  return {
    type: e.type,
    at: e.at,
    order_id: e.orderId,
    order_version: e.orderVersion,
    actor_kind: e.actor.kind,
    actor_id: e.actor.id,
    actor_name: e.actor.name,
    data: JSON.stringify(e.data),
    salts: JSON.stringify(e.salts),
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
    salts: JSON.parse(r.salts) as Salts,
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
