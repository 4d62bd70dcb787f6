// Editing an order's details (title, customer, dates, priority, fields, items), recorded with before and after.
import { isDeepStrictEqual } from 'node:util';
import type { DetailChange } from '../domain/events.ts';
import { checkFieldValues, type FieldValues, maySetField } from '../domain/fields.ts';
import type { Customer, OrderItem, Priority } from '../domain/order.ts';
import { mayEditOrders } from '../domain/roles.ts';
import { findField } from '../domain/workflow.ts';
import type { StoredOrder } from '../store/orders.ts';
import { changeOrder, orderOf } from './change-order.ts';
import type { Actor, AppContext } from './context.ts';
import type { OrderView } from './order-view.ts';
import { forbidden, Problem, validationFailed } from './problem.ts';

export interface OrderEdit {
  title?: string | undefined;
  customer?: { name: string; email?: string | null | undefined } | undefined;
  dueDate?: string | null | undefined;
  priority?: Priority | undefined;
  /** Values to set; `null` clears a field. Fields not named keep their value. */
  fields?: Record<string, unknown> | undefined;
  items?: Array<{ sku?: string | null | undefined; description: string; quantity: number }> | undefined;
  expectedVersion?: number | undefined;
}

export function editOrder(app: AppContext, actor: Actor, idOrNumber: string, edit: OrderEdit): Promise<OrderView> {
  if (!mayEditOrders(actor.role)) throw forbidden(`A ${actor.role} may not edit orders`);
  return orderOf(
    changeOrder(app, actor, idOrNumber, edit.expectedVersion, (order, wf, now) => {
      if (order.state === 'cancelled' || order.state === 'completed') {
        throw new Problem('order-not-active', `Order ${order.number} is ${order.state} and can no longer be edited`, {
          state: order.state,
        });
      }
      const fieldEdits = (edit.fields ?? {}) as FieldValues;
      const problems = checkFieldValues(wf, fieldEdits, { requireRequired: false }).map((p) => ({
        path: `fields.${p.field}`,
        message: p.message,
      }));
      for (const [key, value] of Object.entries(fieldEdits)) {
        const def = findField(wf, key);
        if (def && !maySetField(def, actor.role))
          problems.push({ path: `fields.${key}`, message: 'is not a field you may change' });
        if (def?.required && value === null) problems.push({ path: `fields.${key}`, message: `${def.label} is required` });
      }
      if (problems.length) throw validationFailed('Some fields are not valid for this workflow', problems);

      const next: StoredOrder = { ...order };
      const changes: DetailChange[] = [];
      const record = (field: string, before: unknown, after: unknown) => {
        if (!isDeepStrictEqual(before, after)) changes.push({ field, before: before ?? null, after: after ?? null });
      };
      if (edit.title !== undefined) {
        record('title', order.title, edit.title);
        next.title = edit.title;
      }
      if (edit.customer !== undefined) {
        const customer: Customer = { name: edit.customer.name, email: edit.customer.email ?? null };
        record('customer', order.customer, customer);
        next.customer = customer;
      }
      if (edit.dueDate !== undefined) {
        record('dueDate', order.dueDate, edit.dueDate);
        next.dueDate = edit.dueDate;
      }
      if (edit.priority !== undefined) {
        record('priority', order.priority, edit.priority);
        next.priority = edit.priority;
      }
      if (edit.items !== undefined) {
        const items = edit.items.map(
          (i): OrderItem => ({ sku: i.sku ?? null, description: i.description, quantity: i.quantity }),
        );
        record('items', order.items, items);
        next.items = items;
      }
      if (edit.fields !== undefined) {
        const fields: FieldValues = { ...order.fields };
        for (const [key, value] of Object.entries(fieldEdits)) {
          record(`fields.${key}`, order.fields[key], value);
          if (value === null) delete fields[key];
          else fields[key] = value;
        }
        next.fields = fields;
      }
      if (changes.length === 0) return { next: null, events: [] };
      return {
        next: { ...next, version: order.version + 1, updatedAt: now },
        events: [{ type: 'order.updated', data: { changes } }],
      };
    }),
  );
}
