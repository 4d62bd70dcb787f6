// Creating an order: numbered, validated against its workflow, entered into the first stage, recorded.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { customerNameKey } from '../domain/customers/customer.ts';
import { checkFieldValues, type FieldValues, maySetField } from '../domain/fields.ts';
import type { OrderItem, Priority } from '../domain/order.ts';
import { mayEditOrders } from '../domain/roles.ts';
import { findField, firstStage } from '../domain/workflow.ts';
import { isUniqueViolation } from '../store/db.ts';
import { appendEvents } from '../store/events.ts';
import { setCustomerEmails } from '../store/notifications.ts';
import { enterStages, insertOrder, nextNumber, type StoredOrder } from '../store/orders.ts';
import type { Database } from '../store/schema.ts';
import { type Actor, type AppContext, eventActor, transact } from './context.ts';
import { linkCustomers, namedCustomer } from './customers/link-customers.ts';
import { earlierAnswer, type IdempotencyRequest, rememberAnswer } from './idempotency.ts';
import { viewOrder, workflowNamedIn } from './load.ts';
import type { OrderView } from './order-view.ts';
import { forbidden, validationFailed } from './problem.ts';
import { automationSettings } from './settings.ts';

export interface NewOrder {
  workflow: string;
  title: string;
  /** Required unless `customerId` names the record: then the record's name is the order's. */
  customer?: { name: string; email?: string | null | undefined } | undefined;
  /** The customer record the order is for; without it the record is found by name (or e-mail) or made. */
  customerId?: string | undefined;
  dueDate?: string | null | undefined;
  priority?: Priority | undefined;
  fields?: Record<string, unknown> | undefined;
  items?: Array<{ sku?: string | null | undefined; description: string; quantity: number }> | undefined;
}

/** The order's customer and record: the record named, or the one its customer's name or e-mail leads to. */
async function customerOf(tx: Kysely<Database>, input: NewOrder, at: string, actor: Actor) {
  if (input.customerId !== undefined) {
    const record = await namedCustomer(tx, input.customerId);
    const customer = { name: input.customer?.name ?? record.name, email: input.customer?.email ?? null };
    return { customer, customerId: record.id, events: [] };
  }
  if (!input.customer) {
    throw validationFailed('The order needs a customer', [{ path: 'customer.name', message: 'is required' }]);
  }
  const customer = { name: input.customer.name, email: input.customer.email ?? null };
  const { ids, events } = await linkCustomers(tx, [customer], at, eventActor(actor));
  return { customer, customerId: ids.get(customerNameKey(customer.name)) ?? null, events };
}

/** Order numbers start here for a new prefix: four digits look like a real shop's numbering. */
export const FIRST_NUMBER = 1001;

/** A tracking token: 256 random bits, URL-safe. */
export function newTrackingToken(): string {
  return randomBytes(32).toString('base64url');
}

export async function createOrder(
  app: AppContext,
  actor: Actor,
  input: NewOrder,
  idem?: IdempotencyRequest,
  attempt = 0,
): Promise<OrderView> {
  if (!mayEditOrders(actor.role)) throw forbidden(`A ${actor.role} may not create orders`);
  try {
    return await transact(app, async (tx) => {
      if (idem) {
        const earlier = await earlierAnswer<OrderView>(tx, idem);
        if (earlier) return earlier;
      }
      const wf = await workflowNamedIn(tx, input.workflow);
      const fields = (input.fields ?? {}) as FieldValues;
      const problems = checkFieldValues(wf, fields, { requireRequired: true }).map((p) => ({
        path: `fields.${p.field}`,
        message: p.message,
      }));
      for (const key of Object.keys(fields)) {
        const def = findField(wf, key);
        if (def && !maySetField(def, actor.role)) problems.push({ path: `fields.${key}`, message: 'is not a field you may set' });
      }
      if (problems.length) throw validationFailed('Some fields are not valid for this workflow', problems);

      const now = app.clock.now().toISOString();
      const link = await customerOf(tx, input, now, actor);
      const number = await nextNumber(tx, `order:${wf.orderPrefix}`, FIRST_NUMBER);
      const stage = firstStage(wf);
      const order: StoredOrder = {
        id: randomUUID(),
        number: `${wf.orderPrefix}-${number}`,
        workflow: wf.key,
        title: input.title,
        customer: link.customer,
        customerId: link.customerId,
        state: 'active',
        stage: stage.key,
        stageEnteredAt: now,
        dueDate: input.dueDate ?? null,
        priority: input.priority ?? 'normal',
        fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null)),
        items: (input.items ?? []).map(
          (i): OrderItem => ({ sku: i.sku ?? null, description: i.description, quantity: i.quantity }),
        ),
        version: 1,
        createdAt: now,
        updatedAt: now,
        completedAt: null,
        holdReason: null,
        trackingToken: newTrackingToken(),
      };
      await insertOrder(tx, order);
      await enterStages(tx, [{ orderId: order.id, stage: stage.key, at: now, by: { id: actor.userId, name: actor.name } }]);
      // The shop's default for customer e-mail; switched off here before the first event, so no update slips out.
      if (!(await automationSettings(app, tx)).customerUpdates.emailByDefault) await setCustomerEmails(tx, order.id, false, now);
      const {
        id: _id,
        trackingToken: _t,
        state: _s,
        stageEnteredAt: _e,
        version: _v,
        createdAt: _c,
        updatedAt: _u,
        completedAt: _d,
        holdReason: _h,
        ...data
      } = order;
      await appendEvents(tx, app.db.dialect, [
        ...link.events,
        { type: 'order.created', at: now, orderId: order.id, orderVersion: 1, actor: eventActor(actor), data: { ...data } },
      ]);
      const view = await viewOrder(app, tx, order, wf, actor);
      if (idem) await rememberAnswer(tx, idem, 201, view, now);
      return view;
    });
  } catch (err) {
    // Two requests with one key raced, or two orders made one new customer at once: the loser's work rolled
    // back; once more, it finds the winner's answer or record.
    if (attempt === 0 && isUniqueViolation(err)) return createOrder(app, actor, input, idem, 1);
    throw err;
  }
}
