// Writing an import in one transaction: orders, their visits and history events (dated as the file says), the import's record and its audit event.
import type { Insertable } from 'kysely';
import type { PlannedEvent, PlannedVisit } from '../../domain/import/history.ts';
import { PRIORITY_RANK } from '../../domain/order.ts';
import type { Workflow } from '../../domain/workflow.ts';
import { appendQuietEvents, type NewEvent } from '../../store/events.ts';
import {
  closeOpenVisits,
  insertImport,
  insertOrderRows,
  insertVisitRows,
  reserveNumbers,
  upsertImportOrders,
} from '../../store/imports.ts';
import { orderFromRow, saveOrder } from '../../store/orders.ts';
import type { ImportOrderTable, OrderTable, StageVisitTable } from '../../store/schema.ts';
import { type Actor, type AppContext, eventActor, transact } from '../context.ts';
import { FIRST_NUMBER, newTrackingToken } from '../create-order.ts';
import { Problem } from '../problem.ts';
import { bringFactsUpToDate } from '../reports/insight.ts';
import type { ImportSummary, OrderPlan } from './run-import.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export async function writeImport(
  app: AppContext,
  actor: Actor,
  job: { id: string; wf: Workflow; plans: OrderPlan[]; summary: ImportSummary; now: Date },
): Promise<{ events: number }> {
  const { id, wf, plans, summary } = job;
  const now = job.now.toISOString();
  const who = eventActor(actor);
  const visitRow = (orderId: string, v: PlannedVisit): Insertable<StageVisitTable> => ({
    order_id: orderId,
    stage: v.stage,
    entered_at: iso(v.enteredMs),
    exited_at: v.exitedMs === null ? null : iso(v.exitedMs),
    by_id: v.by ? null : actor.userId,
    by_name: v.by ?? actor.name,
    recorded_at: now,
    import_id: id,
    import_row: v.row,
  });
  const eventOf = (orderId: string, e: PlannedEvent): NewEvent => ({
    type: e.type,
    at: iso(e.ms),
    orderId,
    orderVersion: e.version,
    actor: who,
    data: { ...e.data, recordedAt: now, import: id, row: e.row },
  });

  const events = await transact(app, async (tx) => {
    const imported: ImportOrderTable[] = [];
    const visits: Array<Insertable<StageVisitTable>> = [];
    const ids = new Map<OrderPlan, string>();
    // Orders imported before first, in id order as every writer locks them, then the number counter, then the chain head.
    const updates = plans.filter((p) => p.kind === 'update').sort((a, b) => (a.match.order.id < b.match.order.id ? -1 : 1));
    const closes: Array<{ orderId: string; at: string }> = [];
    for (const p of updates) {
      const o = p.match.order;
      const h = p.history;
      ids.set(p, o.id);
      const version = h.version + (p.changes.length ? 1 : 0);
      if (version !== o.version) {
        const row = orderFromRow({
          ...o,
          tracking_token: '',
          priority_rank: PRIORITY_RANK[o.priority as keyof typeof PRIORITY_RANK],
        } as OrderTable);
        const next = {
          ...row,
          ...(p.changes.length
            ? {
                title: p.draft.title,
                customer: p.draft.customer,
                dueDate: p.draft.dueDate,
                priority: p.draft.priority,
                fields: { ...row.fields, ...p.draft.fields },
              }
            : {}),
          stage: h.stage,
          stageEnteredAt: iso(h.stageEnteredMs),
          state: h.events.length ? (row.state === 'on_hold' && h.state === 'active' ? 'on_hold' : h.state) : row.state,
          completedAt: h.completedMs === null ? row.completedAt : iso(h.completedMs),
          version,
          updatedAt: p.changes.length ? now : iso(h.updatedMs),
        };
        if (!(await saveOrder(tx, next, o.version)))
          throw new Problem('version-conflict', `Order ${o.number} changed while the import ran: import the file again`);
      }
      if (h.visits.length) closes.push({ orderId: o.id, at: iso(h.visits[0]!.enteredMs) });
      for (const v of h.visits) visits.push(visitRow(o.id, v));
      imported.push({
        workflow: wf.key,
        reference: p.draft.reference,
        order_id: o.id,
        created_by_import: p.match.createdByImport,
        last_import: id,
        row_hash: p.hash,
        version,
      });
    }
    const creates = plans.filter((p) => p.kind === 'create');
    const first = creates.length ? await reserveNumbers(tx, `order:${wf.orderPrefix}`, FIRST_NUMBER, creates.length) : 0;
    const numbers = new Map<OrderPlan, string>();
    for (const [i, p] of creates.entries()) {
      ids.set(p, crypto.randomUUID());
      numbers.set(p, `${wf.orderPrefix}-${first + i}`);
    }
    // Rows are made as they are written: an import of tens of thousands of orders never holds them all at once.
    function* orderRows(): Generator<OrderTable> {
      for (const p of creates) {
        const h = p.history;
        const d = p.draft;
        yield {
          id: ids.get(p)!,
          number: numbers.get(p)!,
          workflow: wf.key,
          title: d.title,
          customer_name: d.customer.name,
          customer_email: d.customer.email,
          state: h.state,
          stage: h.stage,
          stage_entered_at: iso(h.stageEnteredMs),
          due_date: d.dueDate,
          priority: d.priority,
          priority_rank: PRIORITY_RANK[d.priority],
          fields: JSON.stringify(d.fields),
          items: '[]',
          version: h.version,
          created_at: iso(h.createdMs),
          updated_at: iso(h.updatedMs),
          completed_at: h.completedMs === null ? null : iso(h.completedMs),
          hold_reason: null,
          tracking_token: newTrackingToken(),
        };
      }
    }
    function* visitRows(): Generator<Insertable<StageVisitTable>> {
      yield* visits;
      for (const p of creates) for (const v of p.history.visits) yield visitRow(ids.get(p)!, v);
    }
    for (const p of creates)
      imported.push({
        workflow: wf.key,
        reference: p.draft.reference,
        order_id: ids.get(p)!,
        created_by_import: id,
        last_import: id,
        row_hash: p.hash,
        version: p.history.version,
      });
    await insertOrderRows(tx, app.db, orderRows());
    await closeOpenVisits(tx, closes);
    await insertVisitRows(tx, app.db, visitRows());
    function* history(): Generator<NewEvent> {
      for (const p of plans) {
        if (p.kind === 'unchanged') continue;
        const orderId = ids.get(p)!;
        const created = numbers.get(p);
        for (const e of p.history.events) {
          if (created && e.type === 'order.created') {
            const d = p.draft;
            e.data = {
              number: created,
              workflow: wf.key,
              title: d.title,
              customer: d.customer,
              stage: (p.history as { createdStage: string }).createdStage,
              dueDate: d.dueDate,
              priority: d.priority,
              fields: d.fields,
              items: [],
              reference: d.reference,
            };
          }
          yield eventOf(orderId, e);
        }
        if (p.kind === 'update' && p.changes.length)
          yield {
            type: 'order.updated',
            at: now,
            orderId,
            orderVersion: p.history.version + 1,
            actor: who,
            data: { changes: p.changes, recordedAt: now, import: id, row: p.draft.row },
          };
      }
      yield {
        type: 'import.completed',
        at: now,
        orderId: null,
        orderVersion: null,
        actor: who,
        data: {
          import: id,
          workflow: wf.key,
          source: summary.source,
          fileName: summary.fileName,
          sha256: summary.sha256,
          rows: summary.rows,
          orders: summary.orders,
        },
      };
    }
    const appended = await appendQuietEvents(tx, app.db, history());
    await upsertImportOrders(tx, imported);
    await insertImport(tx, {
      id,
      workflow: wf.key,
      source: summary.source,
      file_name: summary.fileName,
      sha256: summary.sha256,
      rows: summary.rows,
      created: summary.orders.created,
      updated: summary.orders.updated,
      unchanged: summary.orders.unchanged,
      events: appended.count - 1,
      warnings: summary.warnings.length,
      actor_kind: actor.kind,
      actor_id: actor.id,
      actor_name: actor.name,
      created_at: now,
      event_seq: appended.lastSeq,
      undone_at: null,
      undone_by: null,
      undo_reason: null,
      undo_cancelled: null,
    });
    return appended.count - 1;
  });
  // Reports read facts folded from the event log: fold the imported history in now, so the first report is quick.
  await bringFactsUpToDate(app).catch(() => undefined);
  return { events };
}
