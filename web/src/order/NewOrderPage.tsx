// A new order, on a form built from the workflow's own field definitions (types, options, required).
import { type FormEvent, useMemo, useRef, useState } from 'react';
import { ApiProblem, post } from '../api/client.ts';
import { useWorkflows } from '../api/queries.ts';
import { type FieldValue, type Order, PRIORITIES, type Priority } from '../api/types.ts';
import { Link, navigate } from '../app/router.tsx';
import { mayEditOrders } from '../auth/roles.ts';
import { useUser } from '../auth/session.tsx';
import { orderPath } from '../board/OrderCard.tsx';
import { CustomerPicker, type PickedCustomer } from '../customers/CustomerPicker.tsx';
import { PRIORITY_NAMES } from '../ui/badges.tsx';
import { Field, FormError } from '../ui/Field.tsx';
import { notify } from '../ui/notices.tsx';
import { useTitle } from '../ui/title.ts';
import { checkField, FieldInput, maySeeField, settableFields } from './FieldInput.tsx';
import { checkItems, ItemRows, type Row, rowsToItems } from './ItemsEditor.tsx';

export function NewOrderPage() {
  const user = useUser();
  useTitle('New order');
  const workflows = useWorkflows();
  const [workflowKey, setWorkflowKey] = useState<string | null>(null);
  const wf = workflows.data?.find((w) => w.key === workflowKey) ?? workflows.data?.[0];
  const [title, setTitle] = useState('');
  const [customer, setCustomer] = useState<PickedCustomer>({ name: '', record: null });
  const [email, setEmail] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [priority, setPriority] = useState<Priority>('normal');
  const [fields, setFields] = useState<Record<string, FieldValue>>({});
  const [rows, setRows] = useState<Row[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per form: a double click or a retry after a lost answer creates one order, not two.
  const idempotencyKey = useRef(newKey());
  const defs = useMemo(() => settableFields(wf?.fields ?? [], user.role), [wf, user.role]);

  if (!mayEditOrders(user.role)) {
    return (
      <main className="page" id="main">
        <h1>New order</h1>
        <p>Your role may read orders but not create them.</p>
      </main>
    );
  }

  const clear = (key: string) => setErrors(({ [key]: _, ...rest }) => rest);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!wf) return;
    const found: Record<string, string> = {};
    if (!title.trim()) found.title = 'Title must not be empty';
    if (!customer.name.trim()) found['customer.name'] = 'Customer name must not be empty';
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
      found['customer.email'] = 'Customer e-mail must look like name@example.com';
    for (const def of defs) {
      const why = checkField(def, fields[def.key], Boolean(def.required));
      if (why) found[`fields.${def.key}`] = why;
    }
    Object.assign(found, checkItems(rows));
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length) {
      setFormError('Some fields need attention.');
      return;
    }
    setBusy(true);
    try {
      const values = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== ''));
      const order = await post<Order>(
        '/orders',
        {
          workflow: wf.key,
          title: title.trim(),
          customer: { name: customer.name.trim(), email: email.trim() || null },
          // A customer picked from the records: the order joins that record whatever its name says.
          ...(customer.record ? { customerId: customer.record.id } : {}),
          dueDate: dueDate || null,
          priority,
          fields: values,
          items: rowsToItems(rows),
        },
        { idempotencyKey: idempotencyKey.current },
      );
      notify('success', `${order.number} created`, `It is in ${order.stageLabel}.`);
      navigate(orderPath(order.number));
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      setErrors(Object.fromEntries(err.errors.map((x) => [x.path, x.message])));
      setFormError(err.errors.length ? 'Some fields need attention.' : err.detail);
      setBusy(false);
    }
  };

  return (
    <main className="page narrow" id="main">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to="/board">Board</Link>
        <span aria-hidden="true"> / </span>
        <span>New order</span>
      </nav>
      <h1>New order</h1>
      <form className="panel" onSubmit={submit} noValidate data-form="new-order">
        <div className="form-grid">
          {(workflows.data?.length ?? 0) > 1 && (
            <Field label="Workflow" className="span-2">
              {(p) => (
                <select
                  {...p}
                  value={wf?.key ?? ''}
                  onChange={(e) => {
                    setWorkflowKey(e.target.value);
                    setFields({});
                  }}
                >
                  {workflows.data?.map((w) => (
                    <option key={w.key} value={w.key}>
                      {w.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <Field label="Title" error={errors.title} required className="span-2">
            {(p) => (
              <input
                {...p}
                name="title"
                placeholder="e.g. Team hoodies"
                value={title}
                onChange={(e) => {
                  setTitle(e.target.value);
                  clear('title');
                }}
              />
            )}
          </Field>
          <Field label="Customer" error={errors['customer.name']} required>
            {(p) => (
              <CustomerPicker
                inputProps={p}
                value={customer}
                onChange={(next) => {
                  setCustomer(next);
                  clear('customer.name');
                }}
              />
            )}
          </Field>
          <Field label="Customer e-mail" error={errors['customer.email']} hint="For tracking updates">
            {(p) => (
              <input
                {...p}
                type="email"
                name="customerEmail"
                value={email}
                onChange={(e) => {
                  setEmail(e.target.value);
                  clear('customer.email');
                }}
              />
            )}
          </Field>
          <Field label="Due date" error={errors.dueDate}>
            {(p) => <input {...p} type="date" name="dueDate" value={dueDate} onChange={(e) => setDueDate(e.target.value)} />}
          </Field>
          <Field label="Priority" error={errors.priority}>
            {(p) => (
              <select {...p} name="priority" value={priority} onChange={(e) => setPriority(e.target.value as Priority)}>
                {PRIORITIES.map((x) => (
                  <option key={x} value={x}>
                    {PRIORITY_NAMES[x]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        {defs.length > 0 && (
          <>
            <h2 className="form-section">{wf?.name} details</h2>
            <div className="form-grid">
              {defs.map((def) => (
                <FieldInput
                  key={def.key}
                  def={def}
                  value={fields[def.key]}
                  required={Boolean(def.required)}
                  hidden={!maySeeField(def, user.role)}
                  error={errors[`fields.${def.key}`]}
                  onChange={(v) => {
                    setFields((f) => ({ ...f, [def.key]: v }));
                    clear(`fields.${def.key}`);
                  }}
                />
              ))}
            </div>
          </>
        )}
        <h2 className="form-section">Items</h2>
        <ItemRows rows={rows} setRows={setRows} errors={errors} />
        <FormError message={formError} />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy || !wf} data-action="create-order">
            {busy ? 'Creating…' : 'Create order'}
          </button>
          <Link to="/board" className="button">
            Cancel
          </Link>
        </div>
      </form>
    </main>
  );
}

/** A random key; crypto.randomUUID exists only on HTTPS and localhost, and shop-floor screens may use plain HTTP. */
function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
