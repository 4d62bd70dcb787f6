// Open alerts, computed for the current moment: which orders are stalled, escalated, at risk or overdue, since when, and whose they are.
import { type AlertKind, openAlerts } from '../domain/alerts.ts';
import type { OrderState, Priority } from '../domain/order.ts';
import type { Role } from '../domain/roles.ts';
import { findStage } from '../domain/workflow.ts';
import { alertKey, openOrders, raisedAlerts } from '../store/alerts.ts';
import type { Page } from '../store/orders.ts';
import { listWorkflows } from '../store/workflows.ts';
import type { Actor, AppContext } from './context.ts';
import { validationFailed } from './problem.ts';
import { flagContext } from './settings.ts';

export interface AlertView {
  kind: AlertKind;
  /** When the condition began: the stall threshold crossed, the day after the due date, or when the risk was first seen. */
  since: string;
  orderId: string;
  number: string;
  title: string;
  workflow: string;
  stage: string;
  stageLabel: string;
  state: OrderState;
  priority: Priority;
  dueDate: string | null;
  /** The role that owns the order's current stage (whose move it is). */
  ownerRole: Role | null;
  /** Who is told about this alert. */
  notify: Role[];
}

export interface AlertQuery {
  kind?: AlertKind | undefined;
  workflow?: string | undefined;
  /** Only alerts told to my role. */
  owner?: 'me' | undefined;
  limit: number;
  cursor?: string | undefined;
}

const KIND_RANK: Record<AlertKind, number> = { escalated: 0, overdue: 1, stalled: 2, 'at-risk': 3 };

function offsetOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^\d{1,9}$/.test(cursor)) {
    throw validationFailed('cursor is not one this server gave out', [{ path: 'querystring.cursor', message: 'is not valid' }]);
  }
  return Number(cursor);
}

/** Every open alert at this moment, oldest first (escalations before the rest when they began together). */
export async function listAlerts(app: AppContext, actor: Actor, query: AlertQuery): Promise<Page<AlertView>> {
  const db = app.db.kysely;
  const now = app.clock.now();
  const offset = offsetOf(query.cursor);
  const ctx = await flagContext(app);
  const workflows = new Map((await listWorkflows(db)).map((w) => [w.key, w]));
  const orders = await openOrders(db, query.workflow);
  const found: AlertView[] = [];
  for (const order of orders) {
    const wf = workflows.get(order.workflow);
    if (!wf) continue;
    const stage = findStage(wf, order.stage);
    for (const alert of openAlerts(order, wf, now, ctx)) {
      if (alert.kind === 'due-soon') continue;
      if (query.kind && alert.kind !== query.kind) continue;
      if (query.owner === 'me' && !alert.notify.includes(actor.role)) continue;
      found.push({
        kind: alert.kind,
        since: alert.since.toISOString(),
        orderId: order.id,
        number: order.number,
        title: order.title,
        workflow: order.workflow,
        stage: order.stage,
        stageLabel: stage?.label ?? order.stage,
        state: order.state,
        priority: order.priority,
        dueDate: order.dueDate,
        ownerRole: stage?.ownerRole ?? null,
        notify: alert.notify,
      });
    }
  }
  // A risk has no moment of its own: it began when the sweep first saw (and told) it.
  const risky = found.filter((a) => a.kind === 'at-risk');
  if (risky.length) {
    const raised = await raisedAlerts(
      db,
      risky.map((a) => a.orderId),
    );
    for (const a of risky) a.since = raised.get(alertKey(a.orderId, 'at-risk', `due:${a.dueDate}`)) ?? a.since;
  }
  found.sort(
    (a, b) => a.since.localeCompare(b.since) || KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.number.localeCompare(b.number),
  );
  const items = found.slice(offset, offset + query.limit);
  return { items, nextCursor: offset + query.limit < found.length ? String(offset + query.limit) : null };
}
