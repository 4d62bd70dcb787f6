// Open orders to watch, and the record of which alerts were told (so each is told once).
import type { Kysely } from 'kysely';
import type { OrderState, Priority } from '../domain/order.ts';
import type { Database } from './schema.ts';

export interface WatchedOrder {
  id: string;
  number: string;
  title: string;
  workflow: string;
  state: OrderState;
  stage: string;
  stageEnteredAt: string;
  dueDate: string | null;
  priority: Priority;
  version: number;
}

/** Every open order (active or on hold), only the columns alerts need. */
export async function openOrders(db: Kysely<Database>, workflow?: string): Promise<WatchedOrder[]> {
  let q = db
    .selectFrom('orders')
    .select(['id', 'number', 'title', 'workflow', 'state', 'stage', 'stage_entered_at', 'due_date', 'priority', 'version'])
    .where('state', 'in', ['active', 'on_hold']);
  if (workflow) q = q.where('workflow', '=', workflow);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    title: r.title,
    workflow: r.workflow,
    state: r.state as OrderState,
    stage: r.stage,
    stageEnteredAt: r.stage_entered_at,
    dueDate: r.due_date,
    priority: r.priority as Priority,
    version: r.version,
  }));
}

export const alertKey = (orderId: string, kind: string, scope: string) => `${orderId}|${kind}|${scope}`;

/** When each alert of these orders was first told, by alertKey. */
export async function raisedAlerts(db: Kysely<Database>, orderIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < orderIds.length; i += 500) {
    const rows = await db
      .selectFrom('alerts_raised')
      .select(['order_id', 'kind', 'scope', 'raised_at'])
      .where('order_id', 'in', orderIds.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(alertKey(r.order_id, r.kind, r.scope), r.raised_at);
  }
  return out;
}

/** Records alerts as told; returns how many were new (one already told, by another sweep, is left as it was). */
export async function recordAlerts(
  db: Kysely<Database>,
  rows: Array<{ orderId: string; kind: string; scope: string; raisedAt: string; eventSeq: number }>,
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await db
    .insertInto('alerts_raised')
    .values(
      rows.map((r) => ({ order_id: r.orderId, kind: r.kind, scope: r.scope, raised_at: r.raisedAt, event_seq: r.eventSeq })),
    )
    .onConflict((oc) => oc.columns(['order_id', 'kind', 'scope']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}
