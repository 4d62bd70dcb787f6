// Exports of orders and events as CSV or JSON, streamed in batches, each field shown only to the roles that may see it.
import { csvLine } from '../domain/exports/csv.ts';
import { hiddenFieldsFor, visibleFieldValues } from '../domain/fields.ts';
import type { OrderState } from '../domain/order.ts';
import { mayAdminister } from '../domain/roles.ts';
import type { Workflow } from '../domain/workflow.ts';
import { type ExportFilter, eventsAfterSeq, ordersAfter } from '../store/exports.ts';
import { stageVisits } from '../store/orders.ts';
import { listWorkflows } from '../store/workflows.ts';
import type { Actor, AppContext } from './context.ts';
import { presentEvent } from './event-view.ts';
import { loadWorkflow } from './load.ts';
import { validationFailed } from './problem.ts';
import { etaForecaster } from './reports/forecasts.ts';

export type ExportFormat = 'csv' | 'json';

export interface ExportQuery {
  workflow?: string | undefined;
  state?: OrderState | undefined;
  /** Calendar dates (UTC), both included: orders by creation, events by when they happened. */
  from?: string | undefined;
  to?: string | undefined;
}

const BATCH = 2000;

function filterOf(query: ExportQuery): ExportFilter {
  if (query.from && query.to && query.from > query.to) {
    throw validationFailed('from must not be after to', [{ path: 'querystring.from', message: 'is after to' }]);
  }
  const dayAfter = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString();
  return {
    workflow: query.workflow,
    states: query.state ? [query.state] : undefined,
    from: query.from ? `${query.from}T00:00:00.000Z` : undefined,
    until: query.to ? dayAfter(query.to) : undefined,
  };
}

async function workflowsFor(app: AppContext, query: ExportQuery): Promise<Workflow[]> {
  return query.workflow ? [await loadWorkflow(app.db.kysely, query.workflow)] : listWorkflows(app.db.kysely);
}

export const ORDER_COLUMNS = [
  'id',
  'number',
  'workflow',
  'title',
  'customer_name',
  'customer_email',
  'state',
  'stage',
  'stage_label',
  'stage_entered_at',
  'due_date',
  'priority',
  'version',
  'created_at',
  'updated_at',
  'completed_at',
  'hold_reason',
  'eta_p50',
  'eta_p85',
  'items',
] as const;

/**
 * Orders, oldest first, as CSV text chunks (a header, then rows) or one JSON array. Columns
 * `field.<key>` hold the workflow fields the actor's role may see, nothing else.
 */
export async function* exportOrders(
  app: AppContext,
  actor: Actor,
  query: ExportQuery,
  format: ExportFormat,
): AsyncGenerator<string> {
  const filter = filterOf(query);
  const workflows = await workflowsFor(app, query);
  const byKey = new Map(workflows.map((w) => [w.key, w]));
  const fieldKeys: string[] = [];
  for (const wf of workflows) {
    const hidden = hiddenFieldsFor(wf, actor.role);
    for (const f of wf.fields) if (!hidden.has(f.key) && !fieldKeys.includes(f.key)) fieldKeys.push(f.key);
  }
  const etas = new Map<string, Awaited<ReturnType<typeof etaForecaster>>>();
  for (const wf of workflows) etas.set(wf.key, await etaForecaster(app, wf));

  if (format === 'csv') yield csvLine([...ORDER_COLUMNS, ...fieldKeys.map((k) => `field.${k}`)]);
  else yield '[';
  let first = true;
  let after: [string, string] | null = null;
  for (;;) {
    const orders = await ordersAfter(app.db.kysely, filter, after, BATCH);
    if (orders.length === 0) break;
    const visits =
      format === 'json'
        ? await stageVisits(
            app.db.kysely,
            orders.map((o) => o.id),
          )
        : null;
    let chunk = '';
    for (const o of orders) {
      const wf = byKey.get(o.workflow);
      if (!wf) continue;
      const fields = visibleFieldValues(wf, o.fields, actor.role);
      const eta = etas.get(wf.key)?.(o) ?? null;
      const stageLabel = wf.stages.find((s) => s.key === o.stage)?.label ?? o.stage;
      if (format === 'csv') {
        chunk += csvLine([
          o.id,
          o.number,
          o.workflow,
          o.title,
          o.customer.name,
          o.customer.email,
          o.state,
          o.stage,
          stageLabel,
          o.stageEnteredAt,
          o.dueDate,
          o.priority,
          o.version,
          o.createdAt,
          o.updatedAt,
          o.completedAt,
          o.holdReason,
          eta?.p50,
          eta?.p85,
          o.items.length ? o.items : null,
          ...fieldKeys.map((k) => fields[k]),
        ]);
      } else {
        const { trackingToken: _secret, ...rest } = o;
        const view = { ...rest, fields, stageLabel, eta, stageHistory: visits?.get(o.id) ?? [] };
        chunk += `${first ? '\n' : ',\n'}${JSON.stringify(view)}`;
        first = false;
      }
    }
    yield chunk;
    const last = orders[orders.length - 1]!;
    after = [last.createdAt, last.id];
    if (orders.length < BATCH) break;
  }
  if (format === 'json') yield '\n]\n';
}

export const EVENT_COLUMNS = [
  'seq',
  'type',
  'at',
  'order_id',
  'order_number',
  'workflow',
  'order_version',
  'actor_kind',
  'actor_id',
  'actor_name',
  'data',
  'hash',
  'prev_hash',
] as const;

/**
 * Events in chain order. Everyone gets order events (with fields hidden from their role taken out
 * of the data, as the order history shows them); only an admin also gets workflow, user and token events.
 */
export async function* exportEvents(
  app: AppContext,
  actor: Actor,
  query: ExportQuery,
  format: ExportFormat,
): AsyncGenerator<string> {
  const filter = { ...filterOf(query), orderEventsOnly: !mayAdminister(actor.role) };
  const workflows = new Map((await workflowsFor(app, query)).map((w) => [w.key, w]));
  if (format === 'csv') yield csvLine(EVENT_COLUMNS);
  else yield '[';
  let first = true;
  let after = 0;
  for (;;) {
    const events = await eventsAfterSeq(app.db.kysely, filter, after, BATCH);
    if (events.length === 0) break;
    let chunk = '';
    for (const e of events) {
      const wf = e.workflow ? (workflows.get(e.workflow) ?? null) : null;
      if (e.orderId && !wf) continue;
      const view = presentEvent(e, wf, actor.role);
      if (format === 'csv') {
        chunk += csvLine([
          view.seq,
          view.type,
          view.at,
          view.orderId,
          e.orderNumber,
          e.workflow,
          view.orderVersion,
          view.actor.kind,
          view.actor.id,
          view.actor.name,
          view.data,
          view.hash,
          view.prevHash,
        ]);
      } else {
        chunk += `${first ? '\n' : ',\n'}${JSON.stringify({ ...view, orderNumber: e.orderNumber, workflow: e.workflow })}`;
        first = false;
      }
    }
    yield chunk;
    after = events[events.length - 1]!.seq;
    if (events.length < BATCH) break;
  }
  if (format === 'json') yield '\n]\n';
}
