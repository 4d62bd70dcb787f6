// Writing a generated history straight into the tables (tests and the bench): orders, stage visits and a valid hash chain.
// Imported history is not news: no outbox rows are queued for it.

import { type OrderPlan, orderAsOf } from '../demo/history.ts';
import { chainHash } from '../domain/audit.ts';
import type { EventActor, EventType } from '../domain/events.ts';
import { saltsFor } from '../domain/sealing.ts';
import type { Db } from './db.ts';
import { newSalt } from './events.ts';
import { orderToRow, type StoredOrder } from './orders.ts';
import type { Database, EventTable, OrderTable, StageVisitTable } from './schema.ts';

export interface InsertedHistory {
  orders: number;
  events: number;
}

/**
 * Inserts the orders of `plans` as they stood at `asOfMs`, with their visits and events. Events
 * go into the one chain in time order (the chain continues after whatever it already holds).
 */
export async function insertHistory(
  db: Db,
  plans: OrderPlan[],
  asOfMs: number,
  actor: EventActor,
  onProgress?: (what: string, done: number, total: number) => void,
): Promise<InsertedHistory> {
  const k = db.kysely;
  const by = { by_id: actor.id, by_name: actor.name };
  // Pass 1: orders and visits; each event's time, to put the chain in order.
  const times: number[] = [];
  const refs: number[] = [];
  let orderRows: OrderTable[] = [];
  const visitRows: Array<Omit<StageVisitTable, 'id'>> = [];
  let orders = 0;
  const flush = async (force: boolean) => {
    if (orderRows.length < 500 && !(force && orderRows.length)) return;
    await k.insertInto('orders').values(orderRows).execute();
    orderRows = [];
    // Visits after their orders: they reference them.
    while (visitRows.length) await k.insertInto('stage_visits').values(visitRows.splice(0, 1000)).execute();
  };
  for (let i = 0; i < plans.length; i++) {
    const p = plans[i]!;
    const s = orderAsOf(p, asOfMs);
    if (!s) continue;
    orders++;
    const order: StoredOrder = {
      id: p.id,
      number: p.number,
      workflow: p.workflow,
      title: p.title,
      customer: p.customer,
      state: s.state,
      stage: s.stage,
      stageEnteredAt: s.stageEnteredAt,
      dueDate: p.dueDate,
      priority: p.priority,
      fields: p.fields,
      items: p.items,
      version: s.version,
      createdAt: new Date(p.createdMs).toISOString(),
      updatedAt: s.updatedAt,
      completedAt: s.completedAt,
      holdReason: s.holdReason,
      trackingToken: p.trackingToken,
    };
    orderRows.push(orderToRow(order));
    for (const v of s.visits)
      visitRows.push({ order_id: p.id, stage: v.stage, entered_at: v.enteredAt, exited_at: v.exitedAt, ...by });
    s.events.forEach((e, j) => {
      times.push(Date.parse(e.at));
      refs.push(i * 1024 + j);
    });
    await flush(false);
    if (i % 5000 === 0) onProgress?.('orders', i, plans.length);
  }
  await flush(true);

  // Pass 2: the chain, in time order; a plan's events are made again when first needed and kept until all are written.
  const order = new Uint32Array(times.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => times[a]! - times[b]! || refs[a]! - refs[b]!);
  const remaining = new Map<number, number>();
  for (const r of refs) remaining.set(r >> 10, (remaining.get(r >> 10) ?? 0) + 1);
  const made = new Map<number, ReturnType<typeof orderAsOf>>();
  const head = await k.selectFrom('chain_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  let seq = Number(head.seq);
  let hash = head.hash;
  let rows: EventTable[] = [];
  let invoices: Array<Database['order_invoices']> = [];
  const write = async () => {
    if (rows.length === 0) return;
    await k.transaction().execute(async (tx) => {
      await tx.insertInto('events').values(rows).execute();
      if (invoices.length) await tx.insertInto('order_invoices').values(invoices).execute();
      await tx.updateTable('chain_head').set({ seq, hash }).where('id', '=', 1).execute();
    });
    rows = [];
    invoices = [];
  };
  for (let n = 0; n < order.length; n++) {
    const ref = refs[order[n]!]!;
    const planIndex = ref >> 10;
    let state = made.get(planIndex);
    if (!state) {
      state = orderAsOf(plans[planIndex]!, asOfMs)!;
      made.set(planIndex, state);
    }
    const e = state.events[ref & 1023]!;
    const left = remaining.get(planIndex)! - 1;
    if (left === 0) {
      made.delete(planIndex);
      remaining.delete(planIndex);
    } else remaining.set(planIndex, left);
    seq += 1;
    const event = {
      seq,
      type: e.type as EventType,
      at: e.at,
      orderId: e.orderId,
      orderVersion: e.orderVersion,
      actor,
      data: e.data,
    };
    const salts = saltsFor(e.data, newSalt);
    const prevHash = hash;
    hash = chainHash(prevHash, event, salts);
    rows.push({
      seq,
      type: e.type,
      at: e.at,
      order_id: e.orderId,
      order_version: e.orderVersion,
      actor_kind: actor.kind,
      actor_id: actor.id,
      actor_name: actor.name,
      data: JSON.stringify(e.data),
      salts: JSON.stringify(salts),
      prev_hash: prevHash,
      hash,
    });
    if (e.type === 'order.invoiced') {
      invoices.push({
        order_id: e.orderId,
        invoiced_at: e.at,
        event_seq: seq,
        reference: (e.data.reference as string | undefined) ?? null,
        by_kind: actor.kind,
        by_id: actor.id,
        by_name: actor.name,
      });
    }
    if (rows.length >= 1000) {
      await write();
      if (n % 50_000 < 1000) onProgress?.('events', n, order.length);
    }
  }
  await write();
  // Orders created later continue the numbering.
  const numbers = new Map<string, number>();
  for (const p of plans) {
    const [prefix, n] = p.number.split('-') as [string, string];
    numbers.set(prefix, Math.max(numbers.get(prefix) ?? 0, Number(n)));
  }
  for (const [prefix, value] of numbers) {
    await k
      .insertInto('counters')
      .values({ key: `order:${prefix}`, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }
  return { orders, events: order.length };
}
