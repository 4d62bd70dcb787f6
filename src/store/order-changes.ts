// A batch of order changes written at once: the orders' new states (each under its version check), the stage
// visits closed and opened, and the events chained onto the audit trail with their outbox rows.
import { type Kysely, sql } from 'kysely';
import type { ChainedEvent } from '../domain/audit.ts';
import type { Dialect } from './db.ts';
import { appendEvents, customerEmailSwitchSql, type NewEvent, salted, unnumberedEventRows } from './events.ts';
import { enterStages, type StageEntry, type StoredOrder, saveOrders, saveOrdersSql, stageVisitRows } from './orders.ts';
import type { Database } from './schema.ts';

export interface OrderChanges {
  /** `before`: the order as read, so that only what changed is written. */
  saves: ReadonlyArray<{ order: StoredOrder; expectedVersion: number; before?: StoredOrder }>;
  /** Orders that gain events without a new state (a comment): written only if still at this version. */
  unchanged: ReadonlyArray<{ orderId: string; expectedVersion: number }>;
  entries: readonly StageEntry[];
  events: NewEvent[];
  /** The version of each workflow the changes were decided by: an order whose workflow was revised since is not written. */
  workflowVersions: ReadonlyMap<string, number>;
}

export interface WrittenChanges {
  /** Ids of the orders written; one missing means its version had moved on and none of its changes was written. */
  saved: Set<string>;
  /** The events as chained, in the order given; where an order was not written, its events are missing (undefined). */
  chained: Array<ChainedEvent | undefined>;
}

/** Writes a batch of changes inside the caller's transaction (SQLite: the only writer). */
export async function writeOrderChanges(tx: Kysely<Database>, dialect: Dialect, changes: OrderChanges): Promise<WrittenChanges> {
  const saved = await saveOrders(tx, changes.saves);
  await enterStages(tx, changes.entries);
  return { saved, chained: await appendEvents(tx, dialect, changes.events) };
}

/**
 * PostgreSQL: writes a batch in one statement that commits on its own (no transaction around it). Each
 * order is written only at its expected version, and only the stage visits and events of the orders written
 * are. The chain head is locked after the orders, within the statement, and PostgreSQL numbers and hashes the
 * events under that lock (sha256 over the previous hash and the canonical JSON with the seq spliced in, as
 * `chainHash` does), so the lock is held for this statement's own work and its commit alone.
 */
export async function writeOrderChangesAtOnce(db: Kysely<Database>, changes: OrderChanges): Promise<WrittenChanges> {
  const { saves, unchanged, entries } = changes;
  const events = salted(changes.events);
  // Every change refused, or none changed anything: nothing to write.
  if (saves.length === 0 && events.length === 0) return { saved: new Set(), chained: [] };
  const entered = [...new Set(entries.map((e) => e.orderId))];
  const touched = [...new Set([...saves.map((c) => c.order.id), ...unchanged.map((u) => u.orderId)])];
  const { rows } = await sql<{ written: string[]; chained: Array<{ i: number; seq: number; hash: string; prevHash: string }> }>`
    with recursive
    locked as (
      -- In id order, as every writer locks orders: two batches sharing orders wait for each other, never deadlock.
      -- None at all unless every workflow is still at the version the changes were decided by (a revision holds
      -- off order writes until it commits, so this statement sees it or it sees this one); a revision is rare,
      -- and the whole batch is then decided again.
      select id, version from orders
      where id = any(${touched}::text[])
        and ${workflowsUnrevised(changes.workflowVersions)}
      order by id
      for update
    ),
    saved as (${saves.length ? sql`${saveOrdersSql(saves)} and o.id in (select id from locked) returning o.id` : sql`select null::text as id where false`}),
    kept as (
      select l.id from locked l
      join jsonb_to_recordset(${JSON.stringify(unchanged.map((u) => ({ id: u.orderId, expected: u.expectedVersion })))}::jsonb)
        as v(id text, expected integer) on l.id = v.id and l.version = v.expected
    ),
    written as (select id from saved union all select id from kept),
    closed as (
      update stage_visits set exited_at = ${entries[0]?.at ?? null}
      where order_id = any(${entered}::text[]) and order_id in (select id from written) and exited_at is null
    ),
    opened as (
      insert into stage_visits (order_id, stage, entered_at, exited_at, by_id, by_name)
      select order_id, stage, entered_at, exited_at, by_id, by_name
      from jsonb_to_recordset(${JSON.stringify(stageVisitRows(entries))}::jsonb)
        as v(order_id text, stage text, entered_at text, exited_at text, by_id text, by_name text)
      where v.order_id in (select id from written)
    ),
    incoming as (
      select row_number() over (order by v.i) as n, v.*
      from jsonb_to_recordset(${JSON.stringify(unnumberedEventRows(events))}::jsonb)
        as v(i integer, type text, at text, order_id text, order_version integer, actor_kind text, actor_id text,
             actor_name text, data text, salts text, prefix text, suffix text)
      where v.order_id in (select id from written)
    ),
    head as (
      -- Referring to incoming makes the orders be written (and locked) before the head is: every writer
      -- takes its orders first and the chain head last.
      select seq, hash from chain_head where id = 1 and exists (select 1 from incoming) for update
    ),
    chain as (
      select 0::bigint as n, seq, hash, null::text as prev_hash from head
      union all
      select i.n, c.seq + 1, encode(sha256(convert_to(c.hash || i.prefix || (c.seq + 1)::text || i.suffix, 'UTF8')), 'hex'), c.hash
      from chain c join incoming i on i.n = c.n + 1
    ),
    appended as (
      insert into events (seq, type, at, order_id, order_version, actor_kind, actor_id, actor_name, data, salts, prev_hash, hash)
      select c.seq, i.type, i.at, i.order_id, i.order_version, i.actor_kind, i.actor_id, i.actor_name, i.data, i.salts, c.prev_hash, c.hash
      from chain c join incoming i on i.n = c.n
    ),
    queued as (
      insert into outbox (event_seq, order_id, type, created_at, processed_at, customer_email)
      select c.seq, i.order_id, i.type, i.at, null, ${customerEmailSwitchSql(sql.ref('i.order_id'))}
      from chain c join incoming i on i.n = c.n
    ),
    moved_head as (
      update chain_head set seq = last.seq, hash = last.hash
      from (select seq, hash from chain order by n desc limit 1) as last
      where chain_head.id = 1 and exists (select 1 from incoming)
    )
    select
      (select coalesce(json_agg(id), '[]') from written) as written,
      (select coalesce(json_agg(json_build_object('i', i.i, 'seq', c.seq, 'hash', c.hash, 'prevHash', c.prev_hash)), '[]')
        from chain c join incoming i on i.n = c.n) as chained`.execute(db);
  const result = rows[0]!;
  const chained: Array<ChainedEvent | undefined> = events.map(() => undefined);
  for (const c of result.chained) chained[c.i] = { ...events[c.i]!, seq: c.seq, prevHash: c.prevHash, hash: c.hash };
  return { saved: new Set(result.written), chained };
}

/** True while every workflow is still at the given version (evaluated once per statement). */
function workflowsUnrevised(versions: ReadonlyMap<string, number>) {
  if (versions.size === 0) return sql`true`;
  const pairs = sql.join([...versions].map(([key, version]) => sql`(${key}, ${version}::integer)`));
  return sql`(select count(*) from workflows w where (w.key, w.version) in (${pairs})) = ${versions.size}`;
}
