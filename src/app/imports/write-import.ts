// Writing an import in one transaction: orders, their visits and history events (dated as the file says), the import's record and its audit event.
import type { Insertable } from 'kysely';
import { customerNameKey } from '../../domain/customers/customer.ts';
import type { PlannedEvent, PlannedVisit } from '../../domain/import/history.ts';
import type { OrderDraft } from '../../domain/import/model.ts';
import { PRIORITY_RANK } from '../../domain/order.ts';
import { orderSearchKey } from '../../domain/text-key.ts';
import type { Workflow } from '../../domain/workflow.ts';
import { appendQuietEvents, type NewEvent } from '../../store/events.ts';
import {
  closeOpenVisits,
  insertImport,
  insertImportOrders,
  insertOrderRows,
  insertVisitRows,
  reserveNumbers,
  upsertImportOrders,
} from '../../store/imports.ts';
import { orderFromRow, saveOrder } from '../../store/orders.ts';
import type { ImportOrderTable, OrderTable, StageVisitTable } from '../../store/schema.ts';
import { type Actor, type AppContext, eventActor, transact } from '../context.ts';
import { FIRST_NUMBER, newTrackingToken } from '../create-order.ts';
import { linkCustomers } from '../customers/link-customers.ts';
import { Problem } from '../problem.ts';
import { bringFactsUpToDate } from '../reports/insight.ts';
import type { ImportSummary, OrderPlan } from './run-import.ts';

/** New orders planned and written at a time: memory stays bounded however long the file. */
const CHUNK = 1000;

const iso = (ms: number) => new Date(ms).toISOString();

export async function writeImport(
  app: AppContext,
  actor: Actor,
  job: {
    id: string;
    wf: Workflow;
    /** Orders imported before that the file changes (few, planned already). */
    updates: Array<Extract<OrderPlan, { kind: 'update' }>>;
    /** Rows that make new orders, planned a chunk at a time as they are written. */
    creates: OrderDraft[];
    planCreate: (draft: OrderDraft) => Extract<OrderPlan, { kind: 'create' }>;
    summary: ImportSummary;
    now: Date;
  },
): Promise<{ events: number }> {
  const { id, wf, summary } = job;
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
    const createdRefs: ImportOrderTable[] = [];
    const visits: Array<Insertable<StageVisitTable>> = [];
    // Orders imported before first, in id order as every writer locks them, then the number counter, then the chain head.
    const updates = [...job.updates].sort((a, b) => (a.match.order.id < b.match.order.id ? -1 : 1));
    const closes: Array<{ orderId: string; at: string }> = [];
    for (const p of updates) {
      const o = p.match.order;
      const h = p.history;
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
    await closeOpenVisits(tx, closes);
    await insertVisitRows(tx, app.db, visits);
    let count = (
      await appendQuietEvents(
        tx,
        app.db,
        (function* () {
          for (const p of updates) {
            for (const e of p.history.events) yield eventOf(p.match.order.id, e);
            if (p.changes.length)
              yield {
                type: 'order.updated' as const,
                at: now,
                orderId: p.match.order.id,
                orderVersion: p.history.version + 1,
                actor: who,
                data: { changes: p.changes, recordedAt: now, import: id, row: p.draft.row },
              };
          }
        })(),
      )
    ).count;
    // New orders link to their customers' records, made from the file where none exists yet.
    const customers = await linkCustomers(
      tx,
      job.creates.map((d) => d.customer),
      now,
      who,
    );
    count += (await appendQuietEvents(tx, app.db, customers.events)).count;
    const customerIdOf = (d: OrderDraft) => customers.ids.get(customerNameKey(d.customer.name)) ?? null;
    const first = job.creates.length ? await reserveNumbers(tx, `order:${wf.orderPrefix}`, FIRST_NUMBER, job.creates.length) : 0;
    for (let at = 0; at < job.creates.length; at += CHUNK) {
      const chunk = job.creates.slice(at, at + CHUNK).map((draft, i) => ({
        plan: job.planCreate(draft),
        orderId: crypto.randomUUID(),
        number: `${wf.orderPrefix}-${first + at + i}`,
      }));
      await insertOrderRows(
        tx,
        app.db,
        chunk.map(({ plan: { draft: d, history: h }, orderId, number }) => ({
          id: orderId,
          number,
          workflow: wf.key,
          title: d.title,
          customer_name: d.customer.name,
          customer_email: d.customer.email,
          customer_id: customerIdOf(d),
          search_key: orderSearchKey({ number, title: d.title, customer: d.customer }),
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
        })),
      );
      await insertVisitRows(
        tx,
        app.db,
        chunk.flatMap(({ plan, orderId }) => plan.history.visits.map((v) => visitRow(orderId, v))),
      );
      count += (
        await appendQuietEvents(
          tx,
          app.db,
          (function* () {
            for (const { plan, orderId, number } of chunk) {
              const { draft: d, history: h } = plan;
              for (const e of h.events) {
                if (e.type === 'order.created')
                  e.data = {
                    number,
                    workflow: wf.key,
                    title: d.title,
                    customer: d.customer,
                    customerId: customerIdOf(d),
                    stage: h.createdStage,
                    dueDate: d.dueDate,
                    priority: d.priority,
                    fields: d.fields,
                    items: [],
                    reference: d.reference,
                  };
                yield eventOf(orderId, e);
              }
            }
          })(),
        )
      ).count;
      for (const { plan, orderId } of chunk)
        createdRefs.push({
          workflow: wf.key,
          reference: plan.draft.reference,
          order_id: orderId,
          created_by_import: id,
          last_import: id,
          row_hash: plan.hash,
          version: plan.history.version,
        });
    }
    const appended = await appendQuietEvents(tx, app.db, [
      {
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
      },
    ]);
    await upsertImportOrders(tx, imported);
    await insertImportOrders(tx, createdRefs);
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
      events: count,
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
    return count;
  });
  // Reports read facts folded from the event log: fold the imported history in now, so the first report is quick.
  await bringFactsUpToDate(app).catch(() => undefined);
  return { events };
}
