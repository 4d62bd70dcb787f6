// A customer record: who an order is for, with the people to contact, where to deliver and what to remember.
import { customerKey } from '../metrics/facts.ts';

export interface Contact {
  name: string;
  email: string | null;
  phone: string | null;
  /** What they do for the customer ("buyer", "accounts"). */
  role: string | null;
}

export interface CustomerRecord {
  id: string;
  name: string;
  /** Where the customer's updates go when an order carries no e-mail of its own. */
  email: string | null;
  contacts: Contact[];
  /** Postal addresses, each as the lines printed on a label. */
  addresses: string[];
  notes: string;
  /** Set once this record was merged into another: its orders went there, and reading it leads there. */
  mergedInto: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * The key a customer's name is matched by: trimmed, inner spaces collapsed, case-folded the way every other name
 * comparison folds it (text-key.ts), so "HARBOUR  FC", "Harbour FC" and "harbour fc" are one customer while
 * "Köln" and "Koln" stay two. Reports group by the same fold.
 */
export function customerNameKey(name: string): string {
  return customerKey(name.replace(/\s+/g, ' '));
}

/** An e-mail address as it is matched: trimmed and lower-cased (addresses are case-insensitive in practice). */
export function emailKey(email: string | null | undefined): string | null {
  const key = email?.trim().toLowerCase();
  return key ? key : null;
}

/** The address a customer update goes to: the order's own e-mail, else the customer record's. */
export function updateAddress(orderEmail: string | null, record: Pick<CustomerRecord, 'email'> | null): string | null {
  return orderEmail ?? record?.email ?? null;
}
