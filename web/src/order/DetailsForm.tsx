// An order's details and workflow fields: editable by those allowed, each mistake shown next to its field.
// Only what was changed is sent, pinned to the version the person started editing from (not a newer one the
// live feed brought in meanwhile), so a concurrent edit is never overwritten unseen: a clash is shown to decide.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, get, patch } from '../api/client.ts';
import { keys } from '../api/queries.ts';
import { type FieldValue, type Order, PRIORITIES, type Priority, type Workflow } from '../api/types.ts';
import { mayEditOrders } from '../auth/roles.ts';
import { useUser } from '../auth/session.tsx';
import { PRIORITY_NAMES } from '../ui/badges.tsx';
import { Field, FormError } from '../ui/Field.tsx';
import { notify } from '../ui/notices.tsx';
import { type Changes, type Clash, compareEdits } from './edit-conflict.ts';
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

/** The edits without the fields whose saved value the person chose to take instead of theirs. */
function withoutTaken(edits: Edits, clashes: Clash[]): Edits {
  const next: Edits = { ...edits, fields: { ...edits.fields } };
  for (const c of clashes) {
    if (c.keep === 'mine') continue;
    if (c.key === 'customer') {
      delete next.customerName;
      delete next.customerEmail;
    } else if (c.key.startsWith('fields.')) delete next.fields[c.key.slice(7)];
    else delete next[c.key as 'title' | 'dueDate' | 'priority'];
  }
  return next;
}

const isDirty = (edits: Edits) =>
  Object.keys(edits.fields).length > 0 || Object.keys(edits).some((k) => k !== 'fields' && edits[k as keyof Edits] !== undefined);

export function DetailsForm({ order, wf }: { order: Order; wf: Workflow | undefined }) {
  const user = useUser();
  const qc = useQueryClient();
  const [edits, setEdits] = useState<Edits>(NONE);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // The order as it was when this person began editing: the version their save is pinned to.
  const [base, setBase] = useState<Order | null>(null);
  const [clashes, setClashes] = useState<Clash[]>([]);
  const editable = mayEditOrders(user.role) && (order.state === 'active' || order.state === 'on_hold');
  const defs = editable ? settableFields(wf?.fields ?? [], user.role) : visibleFields(wf?.fields ?? [], user.role);
  const dirty = isDirty(edits);

  const value = {
    title: edits.title ?? order.title,
    customerName: edits.customerName ?? order.customer.name,
    customerEmail: edits.customerEmail ?? order.customer.email ?? '',
    dueDate: edits.dueDate ?? order.dueDate ?? '',
    priority: edits.priority ?? order.priority,
    field: (key: string) => (key in edits.fields ? edits.fields[key] : order.fields[key]),
  };

  const edit = (change: Partial<Edits>, clear: string) => {
    setBase((b) => b ?? order);
    setEdits((e) => ({ ...e, ...change }));
    setErrors(({ [clear]: _, ...rest }) => rest);
  };
  const editField = (key: string, v: FieldValue) => {
    setBase((b) => b ?? order);
    setEdits((e) => ({ ...e, fields: { ...e.fields, [key]: v } }));
    setErrors(({ [`fields.${key}`]: _, ...rest }) => rest);
  };

  const check = (): Record<string, string> => {
    const found: Record<string, string> = {};
    if (!value.title.trim()) found.title = 'Title must not be empty';
    if (!value.customerName.trim()) found['customer.name'] = 'Customer name must not be empty';
    if (value.customerEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.customerEmail)) {
      found['customer.email'] = 'Customer e-mail must look like name@example.com';
    }
    for (const def of defs) {
      if (!(def.key in edits.fields)) continue;
      const why = checkField(def, edits.fields[def.key], Boolean(def.required));
      if (why) found[`fields.${def.key}`] = why;
    }
    return found;
  };

  /** What this save changes, by field, as compareEdits reads it. */
  const changesOf = (ed: Edits): Changes => {
    const out: Changes = {};
    if (ed.title !== undefined) out.title = ed.title.trim();
    if (ed.customerName !== undefined || ed.customerEmail !== undefined) {
      out.customer = {
        name: (ed.customerName ?? order.customer.name).trim(),
        email: (ed.customerEmail ?? order.customer.email ?? '').trim() || null,
      };
    }
    if (ed.dueDate !== undefined) out.dueDate = ed.dueDate || null;
    if (ed.priority !== undefined) out.priority = ed.priority;
    for (const [k, v] of Object.entries(ed.fields)) out[`fields.${k}`] = v;
    return out;
  };

  const bodyOf = (changes: Changes): Record<string, unknown> => {
    const body: Record<string, unknown> = {};
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(changes)) {
      if (k.startsWith('fields.')) fields[k.slice(7)] = v;
      else body[k] = v;
    }
    if (Object.keys(fields).length) body.fields = fields;
    return body;
  };

  const saved = (answer: Order, text?: string) => {
    qc.setQueryData(keys.order(order.number), answer);
    void qc.invalidateQueries({ queryKey: keys.order(order.id) });
    void qc.invalidateQueries({ queryKey: keys.events(order.id) });
    setEdits(NONE);
    setBase(null);
    setClashes([]);
    setFormError(null);
    notify('success', `${order.number} saved`, text);
  };

  const save = async (e?: FormEvent) => {
    e?.preventDefault();
    setFormError(null);
    const found = check();
    setErrors(found);
    if (Object.keys(found).length) return;
    // Fields the person chose to take from the other save are dropped; the rest are saved on that version.
    const ed = withoutTaken(edits, clashes);
    if (!isDirty(ed)) {
      setEdits(NONE);
      setBase(null);
      setClashes([]);
      return;
    }
    const changes = changesOf(ed);
    let pinned = base ?? order;
    setSaving(true);
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          saved(await patch<Order>(`/orders/${order.id}`, bodyOf(changes), { ifMatch: pinned.version }));
          return;
        } catch (err) {
          if (!(err instanceof ApiProblem) || err.type !== 'version-conflict' || attempt >= 3) throw err;
        }
        const latest = await get<Order>(`/orders/${order.id}`);
        qc.setQueryData(keys.order(order.number), latest);
        const { clashes: found, theirsOnly } = compareEdits(pinned, latest, changes, defs);
        if (found.length) {
          // Both changed the same fields: nothing is saved until the person decides, field by field.
          setEdits(ed);
          setBase(latest);
          setClashes(found);
          setFormError(
            `Someone else saved this order while you were editing and changed ${found.map((c) => c.label).join(', ')} too. Choose what to keep, then save.`,
          );
          return;
        }
        if (theirsOnly.length) {
          // Different fields: re-apply only this person's changes on the newer version, keeping both.
          try {
            saved(
              await patch<Order>(`/orders/${order.id}`, bodyOf(changes), { ifMatch: latest.version }),
              `Someone else changed ${theirsOnly.join(', ')} meanwhile; their change and yours are both kept.`,
            );
            return;
          } catch (err) {
            if (!(err instanceof ApiProblem) || err.type !== 'version-conflict') throw err;
          }
        }
        pinned = latest;
      }
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      if (err.type === 'version-conflict') {
        void qc.invalidateQueries({ queryKey: ['order'] });
        setFormError('This order keeps changing under you. Your changes are still here: save again in a moment.');
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
      <FormError message={formError} />
      {clashes.length > 0 && (
        <ConflictChoices
          clashes={clashes}
          onChoose={(key, keep) => setClashes((cs) => cs.map((c) => (c.key === key ? { ...c, keep } : c)))}
          onSave={() => void save()}
          saving={saving}
        />
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
              setBase(null);
              setClashes([]);
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

/** Each field both people changed, with the two values side by side and a choice of which to keep. */
function ConflictChoices(props: {
  clashes: Clash[];
  onChoose: (key: string, keep: 'mine' | 'theirs') => void;
  onSave: () => void;
  saving: boolean;
}) {
  return (
    <div className="conflict" data-conflict>
      {props.clashes.map((c) => (
        <fieldset key={c.key} className="conflict-field" data-conflict-field={c.key}>
          <legend>{c.label}</legend>
          <label>
            <input
              type="radio"
              name={`keep-${c.key}`}
              checked={c.keep === 'mine'}
              onChange={() => props.onChoose(c.key, 'mine')}
            />{' '}
            Keep mine: <q>{c.mine}</q>
          </label>
          <label>
            <input
              type="radio"
              name={`keep-${c.key}`}
              checked={c.keep === 'theirs'}
              onChange={() => props.onChoose(c.key, 'theirs')}
            />{' '}
            Take theirs: <q>{c.theirs}</q>
          </label>
        </fieldset>
      ))}
      <button
        type="button"
        className="button primary"
        onClick={props.onSave}
        disabled={props.saving}
        data-action="resolve-conflict"
      >
        Save with these choices
      </button>
    </div>
  );
}
