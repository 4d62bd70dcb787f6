// Imports after the fact: the list, one import's record, and undo (cancelling the orders it created that nobody changed since).
import { mayOverride } from '../../domain/roles.ts';
import { appendQuietEvents, type NewEvent } from '../../store/events.ts';
import { findImport, type ImportRecord, listImports, markUndone, ordersCreatedBy } from '../../store/imports.ts';
import { decodeCursor, encodeCursor, findOrders, type Page, saveOrder } from '../../store/orders.ts';
import { type Actor, type AppContext, eventActor, transact } from '../context.ts';
import { forbidden, notFound, Problem } from '../problem.ts';
import { bringFactsUpToDate } from '../reports/insight.ts';

export type ImportView = Omit<ImportRecord, 'eventSeq'> & { auditEvent: number };

function present(r: ImportRecord): ImportView {
  const { eventSeq, ...rest } = r;
  return { ...rest, auditEvent: eventSeq };
}

function mayImport(actor: Actor): void {
  if (!mayOverride(actor.role)) throw forbidden(`A ${actor.role} may not see or change imports: admins and managers may`);
}

export async function listImportsFor(
  app: AppContext,
  actor: Actor,
  page: { limit?: number | undefined; cursor?: string | undefined },
): Promise<Page<ImportView>> {
  mayImport(actor);
  const limit = page.limit ?? 50;
  const before = page.cursor ? decodeCursor(page.cursor) : undefined;
  const rows = await listImports(app.db.kysely, limit + 1, before ? { at: before[0], id: before[1] } : undefined);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(present), nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

export async function readImport(app: AppContext, actor: Actor, id: string): Promise<ImportView> {
  mayImport(actor);
  const found = await findImport(app.db.kysely, id);
  if (!found) throw notFound(`Import ${id}`);
  return present(found);
}

export interface UndoResult extends ImportView {
  cancelled: string[];
  /** Orders left alone: changed since the import, or no longer open (a completed order keeps its history). */
  kept: Array<{ number: string; why: 'changed-since' | 'completed' | 'cancelled' }>;
}

export async function undoImport(app: AppContext, actor: Actor, id: string, reason: string | undefined): Promise<UndoResult> {
  mayImport(actor);
  const why = reason?.trim();
  if (!why)
    throw new Problem('reason-required', 'Say why the import is undone: the reason is recorded on every order it cancels');
  const now = app.clock.now().toISOString();
  const who = eventActor(actor);
  const result = await transact(app, async (tx) => {
    const record = await findImport(tx, id);
    if (!record) throw notFound(`Import ${id}`);
    if (record.undone) throw new Problem('conflict', `This import was undone on ${record.undone.at} by ${record.undone.by}`);
    const created = await ordersCreatedBy(tx, id);
    const orders = new Map(
      (
        await findOrders(
          tx,
          created.map((c) => c.id),
          { forUpdate: app.db.dialect === 'postgres' },
        )
      ).map((o) => [o.id, o]),
    );
    const cancelled: string[] = [];
    const kept: UndoResult['kept'] = [];
    const events: NewEvent[] = [];
    for (const c of created) {
      const order = orders.get(c.id)!;
      if (order.version !== Number(c.imported_version)) kept.push({ number: order.number, why: 'changed-since' });
      else if (order.state === 'completed' || order.state === 'cancelled') kept.push({ number: order.number, why: order.state });
      else {
        const next = { ...order, state: 'cancelled' as const, holdReason: null, version: order.version + 1, updatedAt: now };
        if (!(await saveOrder(tx, next, order.version))) {
          kept.push({ number: order.number, why: 'changed-since' });
          continue;
        }
        cancelled.push(order.number);
        events.push({
          type: 'order.cancelled',
          at: now,
          orderId: order.id,
          orderVersion: next.version,
          actor: who,
          data: { reason: why, stage: order.stage, import: id },
        });
      }
    }
    events.push({
      type: 'import.undone',
      at: now,
      orderId: null,
      orderVersion: null,
      actor: who,
      data: { import: id, reason: why, cancelled: cancelled.length, kept: kept.length },
    });
    await appendQuietEvents(tx, app.db, events);
    await markUndone(tx, id, { at: now, by: actor.name, reason: why, cancelled: cancelled.length });
    return { cancelled, kept, record: (await findImport(tx, id))! };
  });
  await bringFactsUpToDate(app).catch(() => undefined);
  return { ...present(result.record), cancelled: result.cancelled, kept: result.kept };
}
