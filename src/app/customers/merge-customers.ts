// Merging two records of one customer: every order of the one merged away moves to the one kept, and the history
// says so, on each order and in one event for the merge.
import { type CustomerRecord, customerNameKey, emailKey } from '../../domain/customers/customer.ts';
import { mergeRecords } from '../../domain/customers/merge.ts';
import { mayEditCustomers } from '../../domain/roles.ts';
import { customerToRow, linkOrdersTo, ordersOfCustomer, redirectMerged, saveCustomer } from '../../store/customers.ts';
import { appendEvents, type NewEvent } from '../../store/events.ts';
import { type Actor, type AppContext, eventActor, transact } from '../context.ts';
import { forbidden, Problem, validationFailed } from '../problem.ts';
import { type CustomerView, loadCustomer, viewCustomer } from './customer-view.ts';

export async function mergeCustomers(app: AppContext, actor: Actor, intoId: string, fromId: string): Promise<CustomerView> {
  if (!mayEditCustomers(actor.role)) throw forbidden(`A ${actor.role} may not merge customers`);
  if (intoId === fromId) {
    throw validationFailed('A customer cannot be merged into itself', [{ path: 'from', message: 'is the customer merged into' }]);
  }
  return transact(app, async (tx) => {
    const lock = { forUpdate: app.db.dialect === 'postgres' };
    // Locked in id order: two merges of the same pair the other way round queue instead of deadlocking.
    const [first, second] = [intoId, fromId].sort();
    const loaded = new Map<string, CustomerRecord>();
    for (const id of [first!, second!]) {
      loaded.set(
        id,
        await loadCustomer(tx, id, lock).catch((err: unknown) => {
          // The record to merge away is part of the input: a missing one is bad input, not a missing page.
          if (err instanceof Problem && err.code === 'not-found' && id === fromId) {
            throw validationFailed(err.detail, [{ path: 'from', message: 'is not a customer record' }]);
          }
          throw err;
        }),
      );
    }
    const into = loaded.get(intoId)!;
    const from = loaded.get(fromId)!;
    const at = app.clock.now().toISOString();
    const orders = await ordersOfCustomer(tx, from.id, lock);
    const kept = { ...mergeRecords(into, from), version: into.version + 1, updatedAt: at };
    const gone = { ...from, mergedInto: into.id, version: from.version + 1, updatedAt: at };
    // The record merged away leaves the name index first: the one kept may take its spelling's key.
    if (
      !(await saveCustomer(
        tx,
        customerToRow(gone, { nameKey: customerNameKey(gone.name), emailKey: emailKey(gone.email) }),
        from.version,
      ))
    )
      throw new Problem('version-conflict', `Customer ${from.name} changed meanwhile: try again`);
    if (
      !(await saveCustomer(
        tx,
        customerToRow(kept, { nameKey: customerNameKey(kept.name), emailKey: emailKey(kept.email) }),
        into.version,
      ))
    )
      throw new Problem('version-conflict', `Customer ${into.name} changed meanwhile: try again`);
    await linkOrdersTo(
      tx,
      into.id,
      orders.map((o) => o.id),
    );
    await redirectMerged(tx, from.id, into.id);
    const who = eventActor(actor);
    const events: NewEvent[] = orders.map((o) => ({
      type: 'order.customer_merged',
      at,
      orderId: o.id,
      orderVersion: o.version,
      actor: who,
      data: { from: from.id, into: into.id },
    }));
    events.push({
      type: 'customer.merged',
      at,
      orderId: null,
      orderVersion: null,
      actor: who,
      data: { customerId: into.id, from: from.id, fromName: from.name, orders: orders.map((o) => o.number) },
    });
    await appendEvents(tx, app.db.dialect, events);
    return viewCustomer(app, tx, kept);
  });
}
