// What one record keeps when another record of the same customer is merged into it: nothing either knew is lost.
import type { Contact, CustomerRecord } from './customer.ts';
import { emailKey } from './customer.ts';

/**
 * `into` with what `from` adds: its e-mail where `into` has none (else `from` becomes a contact with its e-mail),
 * its contacts and addresses that `into` lacks, and its notes after a line naming where they came from.
 */
export function mergeRecords(into: CustomerRecord, from: CustomerRecord): CustomerRecord {
  const contacts: Contact[] = [...into.contacts];
  const has = (c: Contact) =>
    contacts.some((x) => (c.email && emailKey(x.email) === emailKey(c.email)) || (x.name === c.name && x.phone === c.phone));
  const email = into.email ?? from.email;
  if (from.email && emailKey(from.email) !== emailKey(email)) {
    const asContact: Contact = { name: from.name, email: from.email, phone: null, role: null };
    if (!has(asContact)) contacts.push(asContact);
  }
  for (const c of from.contacts) if (!has(c)) contacts.push(c);
  const addresses = [...into.addresses];
  for (const a of from.addresses) if (!addresses.some((x) => x.trim() === a.trim())) addresses.push(a);
  const notes = from.notes.trim()
    ? [into.notes.trim(), `From ${from.name}:\n${from.notes.trim()}`].filter(Boolean).join('\n\n')
    : into.notes;
  return { ...into, email, contacts, addresses, notes };
}
