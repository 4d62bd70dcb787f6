// The limit on SQLite: the same transition straight on better-sqlite3, no HTTP, no Kysely. One transaction of
// prepared statements: read the order, update it under the version check, close and open the stage visit, read
// the chain head, insert the event (SHA-256 over canonical JSON, as src/domain/audit.ts does), insert the
// outbox row, update the chain head.
import SQLite from 'better-sqlite3';
import type { Actor } from '../src/app/context.ts';
import { chainHash } from '../src/domain/audit.ts';
import type { RecordedEvent } from '../src/domain/events.ts';
import { orderFromRow, orderToRow } from '../src/store/orders.ts';
import type { OrderTable } from '../src/store/schema.ts';
import { LAST_OPEN_STAGE, nextStageIndex, REWORK_REASON, STAGE_KEYS } from './seed.ts';
import { summarize } from './stats.ts';

export interface LimitResult {
  label: string;
  /** Round trips to the database per move (PostgreSQL); 0 for an embedded database. */
  roundTrips: number;
  workers: number;
  seconds: number;
  moves: number;
  movesPerSecond: number;
  latency: ReturnType<typeof summarize>;
}

/** Columns `saveOrder` writes: everything but the key, the number, the tracking token, the creation time and the customer link. */
export const SAVED_COLUMNS = (Object.keys(orderToRow(orderFromRow(dummyRow()))) as Array<keyof OrderTable>).filter(
  (c) => !['id', 'number', 'tracking_token', 'created_at', 'customer_id'].includes(c),
);

function dummyRow(): OrderTable {
  return {
    id: '',
    number: '',
    workflow: '',
    title: '',
    customer_name: '',
    customer_email: null,
    state: 'active',
    stage: '',
    stage_entered_at: '',
    due_date: null,
    priority: 'normal',
    priority_rank: 2,
    fields: '{}',
    items: '[]',
    version: 1,
    created_at: '',
    updated_at: '',
    completed_at: null,
    hold_reason: null,
    tracking_token: '',
    search_key: '',
  };
}

/** The decision a move makes, as the use case makes it: next stage (or rework to the first), new version. */
export function decideMove(row: OrderTable, now: string) {
  const order = orderFromRow(row);
  const from = STAGE_KEYS.indexOf(order.stage);
  if (from < 0 || from > LAST_OPEN_STAGE) throw new Error(`order ${order.number} is in stage ${order.stage}`);
  const to = nextStageIndex(from);
  const next = {
    ...order,
    stage: STAGE_KEYS[to]!,
    stageEnteredAt: now,
    state: 'active' as const,
    completedAt: null,
    version: order.version + 1,
    updatedAt: now,
  };
  const data = {
    from: order.stage,
    to: next.stage,
    reason: to > from ? null : REWORK_REASON,
    override: false,
    kind: to > from ? 'forward' : 'rework',
  };
  return { order, next, data, row: orderToRow(next) };
}

export function stageChangedEvent(
  seq: number,
  at: string,
  orderId: string,
  orderVersion: number,
  actor: Actor,
  data: Record<string, unknown>,
): RecordedEvent {
  return {
    seq,
    type: 'order.stage_changed',
    at,
    orderId,
    orderVersion,
    actor: { kind: actor.kind, id: actor.id, name: actor.name },
    data,
  };
}

/** Runs transitions for `seconds` on the orders given, round robin, in this process. */
export function sqliteLimit(path: string, orderIds: string[], actor: Actor, seconds: number): LimitResult {
  const db = new SQLite(path);
  // The server's settings (src/store/db.ts).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const selectOrder = db.prepare('select * from orders where id = ?');
  const updateOrder = db.prepare(
    `update orders set ${SAVED_COLUMNS.map((c) => `${c} = @${c}`).join(', ')} where id = @id and version = @expected`,
  );
  const closeVisit = db.prepare('update stage_visits set exited_at = ? where order_id = ? and exited_at is null');
  const openVisit = db.prepare(
    'insert into stage_visits (order_id, stage, entered_at, exited_at, by_id, by_name) values (?, ?, ?, null, ?, ?)',
  );
  const selectHead = db.prepare('select seq, hash from chain_head where id = 1');
  const insertEvent = db.prepare(
    `insert into events (seq, type, at, order_id, order_version, actor_kind, actor_id, actor_name, data, prev_hash, hash)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertOutbox = db.prepare(
    'insert into outbox (event_seq, order_id, type, created_at, processed_at) values (?, ?, ?, ?, null)',
  );
  const updateHead = db.prepare('update chain_head set seq = ?, hash = ? where id = 1');

  const move = db.transaction((id: string, now: string) => {
    const row = selectOrder.get(id) as OrderTable | undefined;
    if (!row) throw new Error(`order ${id} is gone`);
    const { order, next, data, row: nextRow } = decideMove(row, now);
    const params: Record<string, unknown> = { id, expected: order.version };
    for (const c of SAVED_COLUMNS) params[c] = nextRow[c];
    if (updateOrder.run(params).changes !== 1) throw new Error(`order ${id} changed under the benchmark`);
    closeVisit.run(now, id);
    openVisit.run(id, next.stage, now, actor.userId, actor.name);
    const head = selectHead.get() as { seq: number; hash: string };
    const event = stageChangedEvent(head.seq + 1, now, id, next.version, actor, data);
    const hash = chainHash(head.hash, event, {});
    const a = event.actor;
    insertEvent.run(
      event.seq,
      event.type,
      now,
      id,
      next.version,
      a.kind,
      a.id,
      a.name,
      JSON.stringify(event.data),
      head.hash,
      hash,
    );
    insertOutbox.run(event.seq, id, event.type, now);
    updateHead.run(event.seq, hash);
  });

  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let i = 0;
  for (;;) {
    const t0 = performance.now();
    if (t0 >= deadline) break;
    // BEGIN IMMEDIATE: take the write lock up front, so a late write of the server can only make it wait.
    move.immediate(orderIds[i % orderIds.length]!, new Date().toISOString());
    latencies.push(performance.now() - t0);
    i++;
  }
  const elapsed = (performance.now() - started) / 1000;
  db.close();
  return {
    label: 'better-sqlite3, prepared statements, one transaction',
    roundTrips: 0,
    workers: 1,
    seconds: elapsed,
    moves: i,
    movesPerSecond: i / elapsed,
    latency: summarize(latencies),
  };
}
