// The one path every change to an existing order takes: load, decide, write under the version check, record.
import type { Kysely } from 'kysely';
import type { ChainedEvent } from '../domain/audit.ts';
import type { Workflow } from '../domain/workflow.ts';
import { appendEvents, type NewEvent } from '../store/events.ts';
import { enterStage, type StoredOrder, saveOrder } from '../store/orders.ts';
import type { Database } from '../store/schema.ts';
import { type Actor, type AppContext, transact } from './context.ts';
import { checkExpectedVersion, loadOrder, loadWorkflow, versionConflict, viewOrder } from './load.ts';
import type { OrderView } from './order-view.ts';

export interface OrderChange {
  /** The order's state after the change; `null` when nothing changed (no write, no event). */
  next: StoredOrder | null;
  /** Events the change is recorded as (version and order id are filled in). */
  events: Array<Pick<NewEvent, 'type' | 'data'>>;
  /** Set when the change enters a stage: the stage visit to open. */
  entersStage?: string;
}

export interface ChangeResult {
  order: OrderView;
  events: ChainedEvent[];
}

export type Decide = (order: StoredOrder, wf: Workflow, now: string) => OrderChange;

/** How many times a change is retried when someone else changed the order in between and no version was pinned. */
const RETRIES = 3;

/**
 * Applies `decide` to the current order in one transaction. The version is checked in the
 * UPDATE itself; when the caller pinned no version, a lost race is retried on fresh state
 * (rare: on PostgreSQL the order row is locked while it is read, so writers queue).
 */
export async function changeOrder(
  app: AppContext,
  actor: Actor,
  idOrNumber: string,
  expectedVersion: number | undefined,
  decide: Decide,
): Promise<ChangeResult> {
  for (let attempt = 0; ; attempt++) {
    const result = await transact(app, (tx) => applyChange(app, tx, actor, idOrNumber, expectedVersion, decide));
    if (result.ok) return { order: result.view, events: result.events };
    if (expectedVersion !== undefined || attempt >= RETRIES)
      throw versionConflict(result.order, expectedVersion ?? result.order.version);
  }
}

async function applyChange(
  app: AppContext,
  tx: Kysely<Database>,
  actor: Actor,
  idOrNumber: string,
  expectedVersion: number | undefined,
  decide: Decide,
): Promise<{ ok: true; view: OrderView; events: ChainedEvent[] } | { ok: false; order: StoredOrder }> {
  const order = await loadOrder(tx, idOrNumber, { forUpdate: app.db.dialect === 'postgres' });
  checkExpectedVersion(order, expectedVersion);
  const wf = await loadWorkflow(tx, order.workflow);
  const now = app.clock.now().toISOString();
  const change = decide(order, wf, now);
  const current = change.next ?? order;
  if (change.next) {
    if (!(await saveOrder(tx, change.next, order.version))) return { ok: false, order };
  }
  if (change.entersStage) {
    await enterStage(tx, order.id, change.entersStage, now, { id: actor.userId, name: actor.name });
  }
  const events = await appendEvents(
    tx,
    app.db.dialect,
    change.events.map((e) => ({
      ...e,
      at: now,
      orderId: order.id,
      orderVersion: current.version,
      actor: { kind: actor.kind, id: actor.id, name: actor.name },
    })),
  );
  return { ok: true, view: await viewOrder(app, tx, current, wf, actor), events };
}

/** For use cases whose answer is the order itself. */
export async function orderOf(result: Promise<ChangeResult>): Promise<OrderView> {
  return (await result).order;
}
