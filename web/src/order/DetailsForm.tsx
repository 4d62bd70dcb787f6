// An order's details and workflow fields: editable by those allowed, each mistake shown next to its field.
// Only what was changed is sent, pinned to the version on screen, so nobody's concurrent edit is lost.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, patch } from '../api/client.ts';
import { keys } from '../api/queries.ts';
import { type FieldValue, type Order, PRIORITIES, type Priority, type Workflow } from '../api/types.ts';
import { mayEditOrders } from '../auth/roles.ts';
import { useUser } from '../auth/session.tsx';
import { PRIORITY_NAMES } from '../ui/badges.tsx';
import { Field } from '../ui/Field.tsx';
import { notify } from '../ui/notices.tsx';
import { checkField, FieldInput, formatFieldValue, maySeeField, settableFields, visibleFields } from './FieldInput.tsx';

interface Edits {
  title?: string;
  customerName?: string;
  customerEmail?: string;
  dueDate?: string;
  priority?: Priority;
  fields: Record<string, FieldValue>;
}

const NONE: Edits = { fields: {} };

export function DetailsForm({ order, wf }: { order: Order; wf: Workflow | undefined }) {
  const user = useUser();
  const qc = useQueryClient();
  const [edits, setEdits] = useState<Edits>(NONE);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const editable = mayEditOrders(user.role) && (order.state === 'active' || order.state === 'on_hold');
  const defs = editable ? settableFields(wf?.fields ?? [], user.role) : visibleFields(wf?.fields ?? [], user.role);
  const dirty =
    Object.keys(edits.fields).length > 0 ||
    Object.keys(edits).some((k) => k !== 'fields' && edits[k as keyof Edits] !== undefined);

  const value = {
    title: edits.title ?? order.title,
    customerName: edits.customerName ?? order.customer.name,
    customerEmail: edits.customerEmail ?? order.customer.email ?? '',
    dueDate: edits.dueDate ?? order.dueDate ?? '',
    priority: edits.priority ?? order.priority,
    field: (key: string) => (key in edits.fields ? edits.fields[key] : order.fields[key]),
  };

  const edit = (change: Partial<Edits>, clear: string) => {
    setEdits((e) => ({ ...e, ...change }));
    setErrors(({ [clear]: _, ...rest }) => rest);
  };
  const editField = (key: string, v: FieldValue) => {
    setEdits((e) => ({ ...e, fields: { ...e.fields, [key]: v } }));
    setErrors(({ [`fields.${key}`]: _, ...rest }) => rest);
  };

  const check = (): Record<string, string> => {
    const found: Record<string, string> = {};
    if (!value.title.trim()) found.title = 'Title must not be empty';
    if (!value.customerName.trim()) found['customer.name'] = 'Customer name must not be empty';
    if (value.customerEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.customerEmail)) {
      found['customer.email'] = 'E-mail must look like name@example.com';
    }
    for (const def of defs) {
      if (!(def.key in edits.fields)) continue;
      const why = checkField(def, edits.fields[def.key], Boolean(def.required));
      if (why) found[`fields.${def.key}`] = why;
    }
    return found;
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const found = check();
    setErrors(found);
    if (Object.keys(found).length) return;
    const body: Record<string, unknown> = { expectedVersion: order.version };
    if (edits.title !== undefined) body.title = edits.title.trim();
    if (edits.customerName !== undefined || edits.customerEmail !== undefined) {
      body.customer = { name: value.customerName.trim(), email: value.customerEmail.trim() || null };
    }
    if (edits.dueDate !== undefined) body.dueDate = edits.dueDate || null;
    if (edits.priority !== undefined) body.priority = edits.priority;
    if (Object.keys(edits.fields).length) body.fields = edits.fields;
    setSaving(true);
    try {
      const saved = await patch<Order>(`/orders/${order.id}`, body);
      qc.setQueryData(keys.order(order.number), saved);
      void qc.invalidateQueries({ queryKey: keys.order(order.id) });
      void qc.invalidateQueries({ queryKey: keys.events(order.id) });
      setEdits(NONE);
      notify('success', `${order.number} saved`);
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      if (err.type === 'version-conflict') {
        // Keep what this person typed; show what the other person did; they save again when ready.
        void qc.invalidateQueries({ queryKey: ['order'] });
        setFormError(
          'Someone else changed this order while you were editing. Their change is shown now; save again to apply yours.',
        );
      } else {
        setErrors(Object.fromEntries(err.errors.map((x) => [x.path, x.message])));
        setFormError(err.errors.length ? 'Some fields need attention.' : err.detail);
      }
    } finally {
      setSaving(false);
    }
  };

  if (!editable) {
    return (
      <section className="panel" aria-labelledby="details-title">
        <h2 id="details-title">Details</h2>
        <dl className="details-list">
          <dt>Customer</dt>
          <dd>
            {order.customer.name}
            {order.customer.email && <span className="muted"> · {order.customer.email}</span>}
          </dd>
          <dt>Due date</dt>
          <dd>{order.dueDate ?? '—'}</dd>
          <dt>Priority</dt>
          <dd>{PRIORITY_NAMES[order.priority]}</dd>
          {defs.map((def) => (
            <div key={def.key} className="details-row" data-field={def.key}>
              <dt>{def.label}</dt>
              <dd>{formatFieldValue(def, order.fields[def.key])}</dd>
            </div>
          ))}
        </dl>
      </section>
    );
  }

  return (
    <form className="panel" aria-labelledby="details-title" onSubmit={save} noValidate data-form="details">
      <div className="panel-header">
        <h2 id="details-title">Details</h2>
        {dirty && <span className="unsaved">Unsaved changes</span>}
      </div>
      <div className="form-grid">
        <Field label="Title" error={errors.title} required className="span-2">
          {(p) => <input {...p} name="title" value={value.title} onChange={(e) => edit({ title: e.target.value }, 'title')} />}
        </Field>
        <Field label="Customer" error={errors['customer.name']} required>
          {(p) => (
            <input
              {...p}
              name="customer"
              value={value.customerName}
              onChange={(e) => edit({ customerName: e.target.value }, 'customer.name')}
            />
          )}
        </Field>
        <Field label="Customer e-mail" error={errors['customer.email']}>
          {(p) => (
            <input
              {...p}
              type="email"
              name="customerEmail"
              value={value.customerEmail}
              onChange={(e) => edit({ customerEmail: e.target.value }, 'customer.email')}
            />
          )}
        </Field>
        <Field label="Due date" error={errors.dueDate}>
          {(p) => (
            <input
              {...p}
              type="date"
              name="dueDate"
              value={value.dueDate}
              onChange={(e) => edit({ dueDate: e.target.value }, 'dueDate')}
            />
          )}
        </Field>
        <Field label="Priority" error={errors.priority}>
          {(p) => (
            <select
              {...p}
              name="priority"
              value={value.priority}
              onChange={(e) => edit({ priority: e.target.value as Priority }, 'priority')}
            >
              {PRIORITIES.map((x) => (
                <option key={x} value={x}>
                  {PRIORITY_NAMES[x]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {defs.map((def) => (
          <FieldInput
            key={def.key}
            def={def}
            value={value.field(def.key)}
            onChange={(v) => editField(def.key, v)}
            error={errors[`fields.${def.key}`]}
            required={Boolean(def.required)}
            hidden={!maySeeField(def, user.role)}
          />
        ))}
      </div>
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={!dirty || saving} data-action="save-details">
          {saving ? 'Saving…' : 'Save changes'}
        </button>
        {dirty && (
          <button
            type="button"
            className="button"
            onClick={() => {
              setEdits(NONE);
              setErrors({});
              setFormError(null);
            }}
          >
            Discard
          </button>
        )}
      </div>
    </form>
  );
}
