// Reading customer records: the list and its search (the new-order form's autocomplete), one record, its orders.
import type { OrderState } from '../../domain/order.ts';
import { type CustomerListRow, searchCustomers } from '../../store/customers.ts';
import type { Page } from '../../store/orders.ts';
import type { Actor, AppContext } from '../context.ts';
import type { OrderView } from '../order-view.ts';
import { validationFailed } from '../problem.ts';
import { findOrders } from '../read-orders.ts';
import { type CustomerView, loadCustomer, viewCustomer } from './customer-view.ts';

export type CustomerSummary = Omit<CustomerListRow, 'mergedInto'>;

export async function listCustomers(
  app: AppContext,
  _actor: Actor,
  query: { q?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<CustomerSummary>> {
  const page = await searchCustomers(app.db.kysely, query.q, { limit: query.limit, after: decode(query.cursor) });
  return {
    items: page.items.map(({ mergedInto: _m, ...rest }) => rest),
    nextCursor: page.last ? Buffer.from(JSON.stringify(page.last)).toString('base64url') : null,
  };
}

function decode(cursor: string | undefined): [string, string] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string' && v.length <= 400)) {
      return value as [string, string];
    }
  } catch {
    // fall through
  }
  throw validationFailed('cursor is not one this server gave out', [
    { path: 'cursor', message: 'is not a cursor this server gave out' },
  ]);
}

export async function getCustomer(app: AppContext, _actor: Actor, id: string): Promise<CustomerView> {
  const db = app.db.kysely;
  return viewCustomer(app, db, await loadCustomer(db, id));
}

const STATES: Record<'open' | 'done', OrderState[]> = { open: ['active', 'on_hold'], done: ['completed', 'cancelled'] };

/** A customer's orders, newest first: the open ones, the done ones (completed or cancelled), or all. */
export async function customerOrders(
  app: AppContext,
  actor: Actor,
  id: string,
  query: { status?: 'open' | 'done' | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<OrderView>> {
  const customer = await loadCustomer(app.db.kysely, id);
  return findOrders(app, actor, {
    customerId: customer.id,
    states: query.status ? STATES[query.status] : undefined,
    limit: query.limit,
    cursor: query.cursor,
  });
}
