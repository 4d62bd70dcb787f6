// Which customer record an order is for: the one it names, else the one its customer's name (or e-mail) matches,
// else a new record made from the order. Orders from the API, the CLI and imports all come through here.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type CustomerRecord, customerNameKey, emailKey } from '../../domain/customers/customer.ts';
import type { EventActor } from '../../domain/events.ts';
import {
  customerToRow,
  findCustomer,
  insertCustomers,
  liveCustomersByEmailKey,
  liveCustomersByNameKey,
} from '../../store/customers.ts';
import type { NewEvent } from '../../store/events.ts';
import type { Database } from '../../store/schema.ts';
import { validationFailed } from '../problem.ts';

export interface OrderCustomer {
  name: string;
  email: string | null;
}

/**
 * The record for each order customer, by `customerNameKey` of its name. Records made here are inserted, and their
 * `customer.created` events returned for the caller to append with its own (one transaction).
 */
export async function linkCustomers(
  tx: Kysely<Database>,
  customers: readonly OrderCustomer[],
  at: string,
  actor: EventActor,
): Promise<{ ids: Map<string, string>; events: NewEvent[] }> {
  const byKey = new Map<string, OrderCustomer>();
  for (const c of customers) {
    const key = customerNameKey(c.name);
    const seen = byKey.get(key);
    if (!seen || (!seen.email && c.email)) byKey.set(key, c);
  }
  const ids = await liveCustomersByNameKey(tx, [...byKey.keys()]);
  const unmatched = [...byKey].filter(([key]) => !ids.has(key));
  const emails = await liveCustomersByEmailKey(
    tx,
    unmatched.map(([, c]) => emailKey(c.email)).filter((k): k is string => k !== null),
  );
  const created: CustomerRecord[] = [];
  const keys = new Map<string, string>();
  for (const [key, c] of unmatched) {
    const known = emails.get(emailKey(c.email) ?? '');
    if (known) {
      ids.set(key, known);
      continue;
    }
    const record: CustomerRecord = {
      id: randomUUID(),
      name: c.name.trim(),
      email: c.email,
      contacts: [],
      addresses: [],
      notes: '',
      mergedInto: null,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    created.push(record);
    keys.set(record.id, key);
    ids.set(key, record.id);
  }
  await insertCustomers(
    tx,
    created.map((r) => customerToRow(r, { nameKey: keys.get(r.id)!, emailKey: emailKey(r.email) })),
  );
  return { ids, events: created.map((r) => createdEvent(r, at, actor)) };
}

export function createdEvent(r: CustomerRecord, at: string, actor: EventActor): NewEvent {
  return {
    type: 'customer.created',
    at,
    orderId: null,
    orderVersion: null,
    actor,
    data: { customerId: r.id, name: r.name, email: r.email },
  };
}

/** The live record an order names by id: a record merged away leads to the one it went into. */
export async function namedCustomer(tx: Kysely<Database>, id: string): Promise<CustomerRecord> {
  let record = await findCustomer(tx, id);
  for (let hops = 0; record?.mergedInto && hops < 20; hops++) record = await findCustomer(tx, record.mergedInto);
  if (!record || record.mergedInto) {
    throw validationFailed(`Unknown customer "${id}"`, [{ path: 'customerId', message: 'is not a customer record' }]);
  }
  return record;
}
