// Creating and editing customer records by hand; each change is recorded in the audit chain.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Kysely } from 'kysely';
import { type Contact, type CustomerRecord, customerNameKey, emailKey } from '../../domain/customers/customer.ts';
import { mayEditCustomers } from '../../domain/roles.ts';
import { customerToRow, insertCustomers, liveCustomersByNameKey, saveCustomer } from '../../store/customers.ts';
import { appendEvents } from '../../store/events.ts';
import type { Database } from '../../store/schema.ts';
import { type Actor, type AppContext, eventActor, transact } from '../context.ts';
import { forbidden, Problem } from '../problem.ts';
import { type CustomerView, loadCustomer, viewCustomer } from './customer-view.ts';
import { createdEvent } from './link-customers.ts';

export interface ContactInput {
  name: string;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  role?: string | null | undefined;
}

export interface CustomerInput {
  name: string;
  email?: string | null | undefined;
  contacts?: ContactInput[] | undefined;
  addresses?: string[] | undefined;
  notes?: string | undefined;
}

export type CustomerEdit = Partial<CustomerInput> & { expectedVersion?: number | undefined };

/** Refuses a name another live record already has: the answer names it, to open or merge with. */
async function checkNameFree(tx: Kysely<Database>, name: string, self: string | null): Promise<string> {
  const key = customerNameKey(name);
  const other = (await liveCustomersByNameKey(tx, [key])).get(key);
  if (other && other !== self) {
    throw new Problem('conflict', `A customer named "${name}" exists already: open it, or merge the two`, {
      customerId: other,
      errors: [{ path: 'name', message: 'is the name of another customer' }],
    });
  }
  return key;
}

export async function createCustomer(app: AppContext, actor: Actor, input: CustomerInput): Promise<CustomerView> {
  if (!mayEditCustomers(actor.role)) throw forbidden(`A ${actor.role} may not create customers`);
  return transact(app, async (tx) => {
    const name = input.name.trim();
    const nameKey = await checkNameFree(tx, name, null);
    const at = app.clock.now().toISOString();
    const record: CustomerRecord = {
      id: randomUUID(),
      name,
      email: input.email ?? null,
      contacts: (input.contacts ?? []).map(contactOf),
      addresses: input.addresses ?? [],
      notes: input.notes ?? '',
      mergedInto: null,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    await insertCustomers(tx, [customerToRow(record, { nameKey, emailKey: emailKey(record.email) })]);
    await appendEvents(tx, app.db.dialect, [createdEvent(record, at, eventActor(actor))]);
    return viewCustomer(app, tx, record);
  });
}

/** A contact as stored: every part present, blank parts null. */
function contactOf(c: ContactInput): Contact {
  const blank = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);
  return { name: c.name.trim(), email: blank(c.email), phone: blank(c.phone), role: blank(c.role) };
}

const EDITABLE = ['name', 'email', 'contacts', 'addresses', 'notes'] as const;

export async function editCustomer(app: AppContext, actor: Actor, id: string, edit: CustomerEdit): Promise<CustomerView> {
  if (!mayEditCustomers(actor.role)) throw forbidden(`A ${actor.role} may not edit customers`);
  return transact(app, async (tx) => {
    const before = await loadCustomer(tx, id, { forUpdate: app.db.dialect === 'postgres' });
    if (edit.expectedVersion !== undefined && edit.expectedVersion !== before.version) {
      throw new Problem(
        'version-conflict',
        `Customer ${before.name} is at version ${before.version}, not ${edit.expectedVersion}: reload it and try again`,
        { currentVersion: before.version },
      );
    }
    const after: CustomerRecord = { ...before };
    if (edit.name !== undefined) after.name = edit.name.trim();
    if (edit.email !== undefined) after.email = edit.email;
    if (edit.contacts !== undefined) after.contacts = edit.contacts.map(contactOf);
    if (edit.addresses !== undefined) after.addresses = edit.addresses;
    if (edit.notes !== undefined) after.notes = edit.notes;
    const edits = EDITABLE.filter((f) => !isDeepStrictEqual(before[f], after[f])).map((field) => ({
      field,
      before: before[field],
      after: after[field],
    }));
    if (edits.length === 0) return viewCustomer(app, tx, before);
    const nameKey = await checkNameFree(tx, after.name, before.id);
    const at = app.clock.now().toISOString();
    const saved = { ...after, version: before.version + 1, updatedAt: at };
    if (!(await saveCustomer(tx, customerToRow(saved, { nameKey, emailKey: emailKey(saved.email) }), before.version))) {
      throw new Problem('version-conflict', `Customer ${before.name} changed meanwhile: reload it and try again`);
    }
    await appendEvents(tx, app.db.dialect, [
      {
        type: 'customer.updated',
        at,
        orderId: null,
        orderVersion: null,
        actor: eventActor(actor),
        data: { customerId: before.id, edits },
      },
    ]);
    return viewCustomer(app, tx, saved);
  });
}
