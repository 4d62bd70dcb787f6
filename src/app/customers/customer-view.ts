// A customer record as the API returns it: the record, how many orders it has, and its delivery record.

import type { Kysely } from 'kysely';
import { localDate } from '../../domain/calendar.ts';
import type { CustomerRecord } from '../../domain/customers/customer.ts';
import { type DeliveryRecord, deliveryRecord } from '../../domain/customers/delivery-record.ts';
import { customerOrderFacts, findCustomer } from '../../store/customers.ts';
import type { Database } from '../../store/schema.ts';
import type { AppContext } from '../context.ts';
import { notFound, Problem } from '../problem.ts';
import { flagContext } from '../settings.ts';

export interface CustomerView extends Omit<CustomerRecord, 'mergedInto'> {
  record: DeliveryRecord;
}

export async function viewCustomer(app: AppContext, db: Kysely<Database>, c: CustomerRecord): Promise<CustomerView> {
  const { mergedInto: _m, ...rest } = c;
  const { calendar } = await flagContext(app, db);
  return { ...rest, record: deliveryRecord(await customerOrderFacts(db, c.id), (at) => localDate(calendar, at)) };
}

/** A live record; one merged away answers 404 naming the record it went into. */
export async function loadCustomer(
  db: Kysely<Database>,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<CustomerRecord> {
  const c = await findCustomer(db, id, opts);
  if (!c) throw notFound(`Customer ${id}`);
  if (c.mergedInto) {
    throw new Problem('not-found', `Customer ${c.name} was merged into another record`, { mergedInto: c.mergedInto });
  }
  return c;
}
