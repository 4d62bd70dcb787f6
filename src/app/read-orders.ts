// Reading orders: one, a filtered page, an order's history, each shaped for the reader's role.
import { localDate } from '../domain/calendar.ts';
import { atRiskUntil, enteredByForStall, type Flag, type FlagContext, type OrderState } from '../domain/order.ts';
import type { Workflow } from '../domain/workflow.ts';
import { openOrders } from '../store/alerts.ts';
import { orderEvents } from '../store/events.ts';
import { listOrders, type OrderFilter, type Page, type StageCondition, stageVisits } from '../store/orders.ts';
import { listWorkflows } from '../store/workflows.ts';
import type { Actor, AppContext } from './context.ts';
import { type EventView, presentEvent } from './event-view.ts';
import { loadOrder, loadWorkflow, viewOrder } from './load.ts';
import { type OrderView, presentOrder } from './order-view.ts';
import { flagContext } from './settings.ts';

export async function getOrder(app: AppContext, actor: Actor, idOrNumber: string): Promise<OrderView> {
  const db = app.db.kysely;
  const order = await loadOrder(db, idOrNumber);
  return viewOrder(app, db, order, await loadWorkflow(db, order.workflow), actor);
}

export interface OrderQuery {
  workflow?: string | undefined;
  stage?: string | undefined;
  state?: OrderState | undefined;
  q?: string | undefined;
  owner?: 'me' | undefined;
  flag?: Flag | undefined;
  dueBefore?: string | undefined;
  dueAfter?: string | undefined;
  /** Only this customer record's orders. */
  customerId?: string | undefined;
  /** Only orders in one of these states (a customer's open or done orders). */
  states?: OrderState[] | undefined;
  limit: number;
  cursor?: string | undefined;
}

/**
 * Turns the query into store conditions. Flags are facts of the moment: "stalled" becomes
 * "entered a stage with a threshold at least that long ago" (on the stage's stall clock, working
 * hours by default), "overdue" a due date before today in the shop's time zone, "at-risk" the
 * orders the shop's pace says will be late (`atRisk`, worked out by the caller).
 */
function toFilter(
  query: OrderQuery,
  workflows: Workflow[],
  actor: Actor,
  now: Date,
  ctx: FlagContext,
  atRisk: string[] | undefined,
): OrderFilter {
  const filter: OrderFilter = {
    workflow: query.workflow,
    stage: query.stage,
    q: query.q?.trim() || undefined,
    dueBefore: query.dueBefore,
    dueAfter: query.dueAfter,
    ...(query.customerId ? { customerId: query.customerId } : {}),
  };
  let states: OrderState[] | undefined = query.state ? [query.state] : query.states;
  const narrow = (allowed: OrderState[]) => {
    states = (states ?? allowed).filter((s) => allowed.includes(s));
  };
  let stages: StageCondition[] | undefined;
  if (query.owner === 'me') {
    stages = workflows.flatMap((wf) =>
      wf.stages.filter((s) => s.ownerRole === actor.role).map((s) => ({ workflow: wf.key, stage: s.key })),
    );
    narrow(['active', 'on_hold']);
  }
  switch (query.flag) {
    case 'on-hold':
      narrow(['on_hold']);
      break;
    case 'overdue': {
      narrow(['active', 'on_hold']);
      const today = localDate(ctx.calendar, now);
      filter.dueBefore = filter.dueBefore && filter.dueBefore < today ? filter.dueBefore : today;
      break;
    }
    case 'stalled':
    case 'escalated': {
      narrow(['active']);
      const factor = query.flag === 'escalated' ? 2 : 1;
      const candidates = stages ?? workflows.flatMap((wf) => wf.stages.map((s) => ({ workflow: wf.key, stage: s.key })));
      stages = candidates.flatMap((c) => {
        const stage = workflows.find((w) => w.key === c.workflow)?.stages.find((s) => s.key === c.stage);
        const hours = stage?.stallAfterHours;
        if (!stage || hours == null || hours <= 0) return [];
        return [{ ...c, enteredBefore: enteredByForStall(stage, ctx.calendar, now, factor * hours).toISOString() }];
      });
      break;
    }
    case 'at-risk':
      narrow(['active']);
      filter.ids = atRisk ?? [];
      break;
    default:
      break;
  }
  filter.states = states;
  filter.anyOf = stages;
  return filter;
}

export async function findOrders(app: AppContext, actor: Actor, query: OrderQuery): Promise<Page<OrderView>> {
  const db = app.db.kysely;
  const now = app.clock.now();
  const workflows = await listWorkflows(db);
  const ctx = await flagContext(app);
  const atRisk = query.flag === 'at-risk' ? await ordersAtRisk(app, workflows, now, ctx) : undefined;
  const page = await listOrders(db, toFilter(query, workflows, actor, now, ctx, atRisk), {
    limit: query.limit,
    cursor: query.cursor,
  });
  const visits = await stageVisits(
    db,
    page.items.map((o) => o.id),
  );
  const byKey = new Map(workflows.map((w) => [w.key, w]));
  return {
    items: page.items.map((o) => presentOrder(o, byKey.get(o.workflow)!, visits.get(o.id) ?? [], actor.role, now, ctx)),
    nextCursor: page.nextCursor,
  };
}

/** Ids of the active orders the shop's pace says will miss their due date. */
async function ordersAtRisk(app: AppContext, workflows: Workflow[], now: Date, ctx: FlagContext): Promise<string[]> {
  const byKey = new Map(workflows.map((w) => [w.key, w]));
  return (await openOrders(app.db.kysely))
    .filter((o) => {
      const wf = byKey.get(o.workflow);
      return wf !== undefined && atRiskUntil(o, wf, now, ctx) !== null;
    })
    .map((o) => o.id);
}

export async function orderHistory(
  app: AppContext,
  actor: Actor,
  idOrNumber: string,
  page: { limit: number; after?: number | undefined },
): Promise<Page<EventView>> {
  const db = app.db.kysely;
  const order = await loadOrder(db, idOrNumber);
  const wf = await loadWorkflow(db, order.workflow);
  const events = await orderEvents(db, order.id, { after: page.after ?? 0, limit: page.limit + 1 });
  const more = events.length > page.limit;
  const items = events.slice(0, page.limit).map((e) => presentEvent(e, wf, actor.role));
  return { items, nextCursor: more ? String(items[items.length - 1]!.seq) : null };
}
