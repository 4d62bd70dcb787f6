// Whether an order's customer is e-mailed when it reaches a stage they care about; turning it off is recorded in the history.
import { mayEditOrders } from '../domain/roles.ts';
import { customerRecordEmail } from '../store/customers.ts';
import { appendEvents } from '../store/events.ts';
import { customerEmailsOn, setCustomerEmails } from '../store/notifications.ts';
import { type Actor, type AppContext, eventActor, transact } from './context.ts';
import { loadOrder } from './load.ts';
import { forbidden } from './problem.ts';

export interface CustomerUpdates {
  orderId: string;
  number: string;
  /** E-mail the customer when the order enters a stage marked notifyCustomer. */
  email: boolean;
  /** Where they go (the order's e-mail, else its customer record's); none means nobody is e-mailed whatever the switch says. */
  customerEmail: string | null;
}

export async function customerUpdates(app: AppContext, _actor: Actor, idOrNumber: string): Promise<CustomerUpdates> {
  const db = app.db.kysely;
  const order = await loadOrder(db, idOrNumber);
  return {
    orderId: order.id,
    number: order.number,
    email: await customerEmailsOn(db, order.id),
    customerEmail: order.customer.email ?? (await customerRecordEmail(db, order.customerId)),
  };
}

/** Turns customer e-mail for one order on or off; the change is an event of the order (its version stays). */
export async function setCustomerUpdates(
  app: AppContext,
  actor: Actor,
  idOrNumber: string,
  email: boolean,
): Promise<CustomerUpdates> {
  if (!mayEditOrders(actor.role)) throw forbidden(`A ${actor.role} may not change who is e-mailed about an order`);
  return transact(app, async (tx) => {
    const order = await loadOrder(tx, idOrNumber, { forUpdate: app.db.dialect === 'postgres' });
    if ((await customerEmailsOn(tx, order.id)) !== email) {
      const at = app.clock.now().toISOString();
      await setCustomerEmails(tx, order.id, email, at);
      await appendEvents(tx, app.db.dialect, [
        {
          type: 'order.customer_updates_changed',
          at,
          orderId: order.id,
          orderVersion: order.version,
          actor: eventActor(actor),
          data: { email },
        },
      ]);
    }
    const customerEmail = order.customer.email ?? (await customerRecordEmail(tx, order.customerId));
    return { orderId: order.id, number: order.number, email, customerEmail };
  });
}
