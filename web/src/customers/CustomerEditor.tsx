// Editing a customer record: name, the e-mail updates go to, contacts, addresses and notes.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, patch } from '../api/client.ts';
import { Field, FormError } from '../ui/Field.tsx';
import { notify } from '../ui/notices.tsx';
import { type Contact, type Customer, customerKeys } from './customer-api.ts';

export function CustomerEditor({ customer: c }: { customer: Customer }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(c.name);
  const [email, setEmail] = useState(c.email ?? '');
  const [notes, setNotes] = useState(c.notes);
  const [addresses, setAddresses] = useState(c.addresses.join('\n\n'));
  const [contacts, setContacts] = useState<Contact[]>(c.contacts);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!open) {
    return (
      <p>
        <button type="button" className="button" onClick={() => setOpen(true)} data-action="edit-customer">
          Edit customer
        </button>
      </p>
    );
  }

  const setContact = (i: number, part: Partial<Contact>) =>
    setContacts((list) => list.map((x, j) => (j === i ? { ...x, ...part } : x)));

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setFormError(null);
    try {
      const saved = await patch<Customer>(`/customers/${encodeURIComponent(c.id)}`, {
        name,
        email: email.trim() || null,
        notes,
        addresses: addresses
          .split(/\n\s*\n/)
          .map((a) => a.trim())
          .filter(Boolean),
        contacts: contacts
          .filter((x) => x.name.trim())
          .map((x) => ({
            name: x.name,
            email: x.email?.trim() || null,
            phone: x.phone?.trim() || null,
            role: x.role?.trim() || null,
          })),
        expectedVersion: c.version,
      });
      qc.setQueryData(customerKeys.one(c.id), saved);
      qc.invalidateQueries({ queryKey: customerKeys.all });
      notify('success', `${saved.name} saved`);
      setOpen(false);
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      setErrors(Object.fromEntries(err.errors.map((x) => [x.path, x.message])));
      setFormError(err.detail);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel" onSubmit={save} noValidate data-form="customer">
      <h2>Edit customer</h2>
      <div className="form-grid">
        <Field label="Name" error={errors.name} required>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="E-mail for updates" error={errors.email}>
          {(p) => <input {...p} type="email" value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
      </div>
      <h3 className="form-section">Contacts</h3>
      {contacts.map((x, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own until saved
        <div className="form-grid" key={i}>
          <Field label="Contact name" error={errors[`contacts.${i}.name`]}>
            {(p) => <input {...p} value={x.name} onChange={(e) => setContact(i, { name: e.target.value })} />}
          </Field>
          <Field label="Role" error={errors[`contacts.${i}.role`]}>
            {(p) => <input {...p} value={x.role ?? ''} onChange={(e) => setContact(i, { role: e.target.value })} />}
          </Field>
          <Field label="Contact e-mail" error={errors[`contacts.${i}.email`]}>
            {(p) => (
              <input {...p} type="email" value={x.email ?? ''} onChange={(e) => setContact(i, { email: e.target.value })} />
            )}
          </Field>
          <Field label="Phone" error={errors[`contacts.${i}.phone`]}>
            {(p) => <input {...p} type="tel" value={x.phone ?? ''} onChange={(e) => setContact(i, { phone: e.target.value })} />}
          </Field>
        </div>
      ))}
      <p>
        <button
          type="button"
          className="button small"
          onClick={() => setContacts((list) => [...list, { name: '', email: null, phone: null, role: null }])}
        >
          Add a contact
        </button>
      </p>
      <Field label="Addresses" hint="A blank line between two addresses" error={errors.addresses}>
        {(p) => <textarea {...p} rows={4} value={addresses} onChange={(e) => setAddresses(e.target.value)} />}
      </Field>
      <Field label="Notes" error={errors.notes}>
        {(p) => <textarea {...p} rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} />}
      </Field>
      <FormError message={formError} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
