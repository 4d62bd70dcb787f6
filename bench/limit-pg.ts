// The limit on PostgreSQL: the same transition straight on pg, no HTTP, no Kysely, from concurrent connections
// in this one process (each owning a slice of the orders). Two ways to send it:
// - "statements": one transaction, one named prepared statement per step, as the use case does it (10 round trips);
// - "fused": read the order, then one statement whose data-modifying CTEs do every write, the chain hash computed
//   by PostgreSQL (sha256 over the previous hash and the event's canonical JSON, whose seq is spliced in under
//   the chain-head lock): 2 round trips, atomic without BEGIN/COMMIT, the chain-head lock held for one statement.
import pg from 'pg';
import type { Actor } from '../src/app/context.ts';
import { chainHash, hashedBodyAroundSeq } from '../src/domain/audit.ts';
import type { OrderTable } from '../src/store/schema.ts';
import { decideMove, type LimitResult, SAVED_COLUMNS, stageChangedEvent } from './limit-sqlite.ts';
import { sliceSlots } from './seed.ts';
import { summarize } from './stats.ts';

export type PgLimitVariant = 'statements' | 'fused';

const INTEGER_COLUMNS = new Set(['priority_rank', 'version']);

const SELECT_ORDER = { name: 'bench_select_order', text: 'select * from orders where id = $1' };
const UPDATE_ORDER_TEXT = `update orders set ${SAVED_COLUMNS.map((c, i) => `${c} = $${i + 3}`).join(', ')}
  where id = $1 and version = $2`;
const CLOSE_VISIT_TEXT = 'update stage_visits set exited_at = $1 where order_id = $2 and exited_at is null';
const OPEN_VISIT_TEXT =
  'insert into stage_visits (order_id, stage, entered_at, exited_at, by_id, by_name) values ($1, $2, $3, null, $4, $5)';
const LOCK_HEAD_TEXT = 'select seq, hash from chain_head where id = 1 for update';
const INSERT_EVENT_TEXT = `insert into events (seq, type, at, order_id, order_version, actor_kind, actor_id, actor_name, data, prev_hash, hash)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`;
const INSERT_OUTBOX_TEXT =
  'insert into outbox (event_seq, order_id, type, created_at, processed_at) values ($1, $2, $3, $4, null)';
const UPDATE_HEAD_TEXT = 'update chain_head set seq = $1, hash = $2 where id = 1';

/** The fused write: parameters $1 id, $2 expected version, $3.. the saved columns, then the rest in FUSED_TAIL order. */
const FUSED_TAIL = [
  'now',
  'stage',
  'by_id',
  'by_name',
  'type',
  'order_version',
  'actor_kind',
  'actor_id',
  'actor_name',
  'data',
  'prefix',
  'suffix',
] as const;
function fusedText(): string {
  const base = 3 + SAVED_COLUMNS.length;
  const p = (name: (typeof FUSED_TAIL)[number]) => `$${base + FUSED_TAIL.indexOf(name)}`;
  const set = SAVED_COLUMNS.map((c, i) => `${c} = $${i + 3}::${INTEGER_COLUMNS.has(c) ? 'integer' : 'text'}`).join(', ');
  return `with o as (
    update orders set ${set} where id = $1::text and version = $2::integer returning id
  ), closed as (
    update stage_visits set exited_at = ${p('now')}::text
    where order_id = $1::text and exited_at is null and exists (select 1 from o)
  ), opened as (
    insert into stage_visits (order_id, stage, entered_at, exited_at, by_id, by_name)
    select o.id, ${p('stage')}::text, ${p('now')}::text, null, ${p('by_id')}::text, ${p('by_name')}::text from o
  ), head as (
    select seq + 1 as seq, hash as prev_hash from chain_head where id = 1 and exists (select 1 from o) for update
  ), ev as (
    insert into events (seq, type, at, order_id, order_version, actor_kind, actor_id, actor_name, data, prev_hash, hash)
    select head.seq, ${p('type')}::text, ${p('now')}::text, $1::text, ${p('order_version')}::integer, ${p('actor_kind')}::text,
      ${p('actor_id')}::text, ${p('actor_name')}::text, ${p('data')}::text, head.prev_hash,
      encode(sha256(convert_to(head.prev_hash || ${p('prefix')}::text || head.seq::text || ${p('suffix')}::text, 'UTF8')), 'hex')
    from head returning seq, hash
  ), ob as (
    insert into outbox (event_seq, order_id, type, created_at, processed_at)
    select ev.seq, $1::text, ${p('type')}::text, ${p('now')}::text, null from ev
  )
  update chain_head set seq = ev.seq, hash = ev.hash from ev where chain_head.id = 1 returning ev.seq`;
}
const FUSED = { name: 'bench_fused_move', text: fusedText() };

async function moveStatements(c: pg.PoolClient, id: string, actor: Actor): Promise<void> {
  const now = new Date().toISOString();
  await c.query('begin');
  try {
    const { rows } = await c.query<OrderTable>({ ...SELECT_ORDER, values: [id] });
    const { order, next, data, row } = decideMove(rows[0]!, now);
    const updated = await c.query({
      name: 'bench_update_order',
      text: UPDATE_ORDER_TEXT,
      values: [id, order.version, ...SAVED_COLUMNS.map((col) => row[col])],
    });
    if (updated.rowCount !== 1) throw new Error(`order ${id} changed under the benchmark`);
    await c.query({ name: 'bench_close_visit', text: CLOSE_VISIT_TEXT, values: [now, id] });
    await c.query({ name: 'bench_open_visit', text: OPEN_VISIT_TEXT, values: [id, next.stage, now, actor.userId, actor.name] });
    const head = (await c.query<{ seq: number; hash: string }>({ name: 'bench_lock_head', text: LOCK_HEAD_TEXT })).rows[0]!;
    const event = stageChangedEvent(Number(head.seq) + 1, now, id, next.version, actor, data);
    const hash = chainHash(head.hash, event, {});
    await c.query({
      name: 'bench_insert_event',
      text: INSERT_EVENT_TEXT,
      values: [
        event.seq,
        event.type,
        now,
        id,
        next.version,
        actor.kind,
        actor.id,
        actor.name,
        JSON.stringify(data),
        head.hash,
        hash,
      ],
    });
    await c.query({ name: 'bench_insert_outbox', text: INSERT_OUTBOX_TEXT, values: [event.seq, id, event.type, now] });
    await c.query({ name: 'bench_update_head', text: UPDATE_HEAD_TEXT, values: [event.seq, hash] });
    await c.query('commit');
  } catch (err) {
    await c.query('rollback');
    throw err;
  }
}

async function moveFused(c: pg.PoolClient, id: string, actor: Actor): Promise<void> {
  const now = new Date().toISOString();
  const { rows } = await c.query<OrderTable>({ ...SELECT_ORDER, values: [id] });
  const { order, next, data, row } = decideMove(rows[0]!, now);
  const { seq: _seq, ...event } = stageChangedEvent(0, now, id, next.version, actor, data);
  // The body chainHash() hashes, with the seq left open for PostgreSQL to fill in under the lock.
  const { prefix, suffix } = hashedBodyAroundSeq(event, {});
  const tail: Record<(typeof FUSED_TAIL)[number], unknown> = {
    now,
    stage: next.stage,
    by_id: actor.userId,
    by_name: actor.name,
    type: event.type,
    order_version: next.version,
    actor_kind: actor.kind,
    actor_id: actor.id,
    actor_name: actor.name,
    data: JSON.stringify(data),
    prefix,
    suffix,
  };
  const result = await c.query({
    ...FUSED,
    values: [id, order.version, ...SAVED_COLUMNS.map((col) => row[col]), ...FUSED_TAIL.map((k) => tail[k])],
  });
  if (result.rowCount !== 1) throw new Error(`order ${id} changed under the benchmark`);
}

/** Runs transitions for `seconds` from `workers` connections, each on its own slice of the orders. */
export async function pgLimit(
  url: string,
  orderIds: string[],
  actor: Actor,
  seconds: number,
  workers: number,
  variant: PgLimitVariant,
): Promise<LimitResult> {
  const pool = new pg.Pool({ connectionString: url, max: workers });
  const slices = sliceSlots(
    orderIds.map((id) => ({ id, stage: 0, version: 0, dead: false })),
    workers,
  );
  const latencies: number[] = [];
  let moves = 0;
  const move = variant === 'fused' ? moveFused : moveStatements;
  // Connect every worker first, so connection set-up is not measured.
  const clients = await Promise.all(slices.map(() => pool.connect()));
  const started = performance.now();
  const deadline = started + seconds * 1000;
  try {
    await Promise.all(
      slices.map(async (slice, w) => {
        const c = clients[w]!;
        for (let i = 0; ; i++) {
          const t0 = performance.now();
          if (t0 >= deadline) return;
          await move(c, slice[i % slice.length]!.id, actor);
          latencies.push(performance.now() - t0);
          moves++;
        }
      }),
    );
  } finally {
    for (const c of clients) c.release();
    await pool.end();
  }
  const elapsed = (performance.now() - started) / 1000;
  return {
    label:
      variant === 'fused'
        ? 'pg, read + one fused write statement (hash in SQL), no BEGIN/COMMIT'
        : 'pg, one transaction, one prepared statement per step',
    roundTrips: variant === 'fused' ? 2 : 10,
    workers,
    seconds: elapsed,
    moves,
    movesPerSecond: moves / elapsed,
    latency: summarize(latencies),
  };
}
