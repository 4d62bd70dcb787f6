// Reading orders: one, a filtered page, an order's history, each shaped for the reader's role.
import type { Flag, OrderState } from '../domain/order.ts';
import type { Workflow } from '../domain/workflow.ts';
import { orderEvents } from '../store/events.ts';
import { listOrders, type OrderFilter, type Page, type StageCondition, stageVisits } from '../store/orders.ts';
import { listWorkflows } from '../store/workflows.ts';
import type { Actor, AppContext } from './context.ts';
import { type EventView, presentEvent } from './event-view.ts';
import { loadOrder, loadWorkflow, viewOrder } from './load.ts';
import { type OrderView, presentOrder } from './order-view.ts';

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
  limit: number;
  cursor?: string | undefined;
}

/**
 * Turns the query into store conditions. Flags are facts of the moment: "stalled" becomes
 * "entered a stage with a threshold at least that long ago", "overdue" a due date before today.
 */
function toFilter(query: OrderQuery, workflows: Workflow[], actor: Actor, now: Date): OrderFilter {
  const filter: OrderFilter = {
    workflow: query.workflow,
    stage: query.stage,
    q: query.q?.trim() || undefined,
    dueBefore: query.dueBefore,
    dueAfter: query.dueAfter,
  };
  let states: OrderState[] | undefined = query.state ? [query.state] : undefined;
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
      const today = now.toISOString().slice(0, 10);
      filter.dueBefore = filter.dueBefore && filter.dueBefore < today ? filter.dueBefore : today;
      break;
    }
    case 'stalled':
    case 'escalated': {
      narrow(['active']);
      const factor = query.flag === 'escalated' ? 2 : 1;
      const candidates = stages ?? workflows.flatMap((wf) => wf.stages.map((s) => ({ workflow: wf.key, stage: s.key })));
      stages = candidates.flatMap((c) => {
        const hours = workflows.find((w) => w.key === c.workflow)?.stages.find((s) => s.key === c.stage)?.stallAfterHours;
        if (hours == null || hours <= 0) return [];
        return [{ ...c, enteredBefore: new Date(now.getTime() - factor * hours * 3_600_000).toISOString() }];
      });
      break;
    }
    case 'at-risk':
      // No order is at risk until deadline forecasting flags one.
      stages = [];
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
  const page = await listOrders(db, toFilter(query, workflows, actor, now), { limit: query.limit, cursor: query.cursor });
  const visits = await stageVisits(
    db,
    page.items.map((o) => o.id),
  );
  const byKey = new Map(workflows.map((w) => [w.key, w]));
  return {
    items: page.items.map((o) => presentOrder(o, byKey.get(o.workflow)!, visits.get(o.id) ?? [], actor.role, now)),
    nextCursor: page.nextCursor,
  };
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
