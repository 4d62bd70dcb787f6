// A batch of order changes written at once: the orders' new states (each under its version check), the stage
// visits closed and opened, and the events chained onto the audit trail with their outbox rows.
import { type Kysely, sql } from 'kysely';
import type { ChainedEvent } from '../domain/audit.ts';
import type { Dialect } from './db.ts';
import { appendEvents, chainOnto, chainWriteSql, lockChainHead, type NewEvent } from './events.ts';
import { enterStages, type StageEntry, type StoredOrder, saveOrders, saveOrdersSql, stageVisitRows } from './orders.ts';
import type { Database } from './schema.ts';

export interface OrderChanges {
  saves: ReadonlyArray<{ order: StoredOrder; expectedVersion: number }>;
  entries: readonly StageEntry[];
  events: NewEvent[];
}

export interface WrittenChanges {
  /** Ids of the orders written; one missing means its version had moved on, and the caller must roll back. */
  saved: Set<string>;
  chained: ChainedEvent[];
}

/**
 * Writes a batch of changes. On PostgreSQL that is two round trips: lock the chain head (the events are
 * hashed onto it here), then one statement whose data-modifying CTEs write everything else.
 */
export async function writeOrderChanges(tx: Kysely<Database>, dialect: Dialect, changes: OrderChanges): Promise<WrittenChanges> {
  if (dialect === 'sqlite' || changes.events.length === 0) {
    const saved = await saveOrders(tx, dialect, changes.saves);
    await enterStages(tx, changes.entries);
    return { saved, chained: await appendEvents(tx, dialect, changes.events) };
  }
  const { chained, head } = chainOnto(await lockChainHead(tx, dialect), changes.events);
  const write = chainWriteSql(chained, head);
  const entered = changes.entries.map((e) => e.orderId);
  const at = changes.entries[0]?.at ?? null;
  const { rows } = await sql<{ saved: string[] }>`
    with saved as (${changes.saves.length ? sql`${saveOrdersSql(changes.saves)} returning o.id` : sql`select null::text as id where false`}),
    closed as (
      update stage_visits set exited_at = ${at}
      where order_id = any(${entered}::text[]) and exited_at is null
    ),
    opened as (
      insert into stage_visits (order_id, stage, entered_at, exited_at, by_id, by_name)
      select order_id, stage, entered_at, exited_at, by_id, by_name
      from jsonb_to_recordset(${JSON.stringify(stageVisitRows(changes.entries))}::jsonb)
        as v(order_id text, stage text, entered_at text, exited_at text, by_id text, by_name text)
    ),
    ${write.ctes}
    ${write.headUpdate}
    returning (select coalesce(json_agg(id), '[]'::json) from saved) as saved`.execute(tx);
  return { saved: new Set(rows[0]?.saved ?? []), chained };
}
