// The order's items (SKU, description, quantity): a table, editable by those allowed.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, patch } from '../api/client.ts';
import { keys } from '../api/queries.ts';
import type { Order, OrderItem } from '../api/types.ts';
import { mayEditOrders } from '../auth/roles.ts';
import { useUser } from '../auth/session.tsx';
import { notify } from '../ui/notices.tsx';

export interface Row {
  sku: string;
  description: string;
  quantity: string;
}

const toRows = (items: OrderItem[]): Row[] =>
  items.map((i) => ({ sku: i.sku ?? '', description: i.description, quantity: String(i.quantity) }));

/** Checks rows as the API will, returning a message per `items.<i>.<field>` path. */
export function checkItems(rows: Row[]): Record<string, string> {
  const errors: Record<string, string> = {};
  rows.forEach((r, i) => {
    if (!r.description.trim()) errors[`items.${i}.description`] = 'Describe the item';
    const q = Number(r.quantity);
    if (!Number.isInteger(q) || q < 1) errors[`items.${i}.quantity`] = 'A whole number, at least 1';
  });
  return errors;
}

export const rowsToItems = (rows: Row[]) =>
  rows.map((r) => ({ sku: r.sku.trim() || null, description: r.description.trim(), quantity: Number(r.quantity) }));

export function ItemRows({
  rows,
  setRows,
  errors,
  readOnly,
}: {
  rows: Row[];
  setRows: (rows: Row[]) => void;
  errors: Record<string, string>;
  readOnly?: boolean;
}) {
  const update = (i: number, change: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  if (rows.length === 0 && readOnly) return <p className="muted">No items listed.</p>;
  return (
    <table className="items">
      <thead>
        <tr>
          <th scope="col">SKU</th>
          <th scope="col">Description</th>
          <th scope="col" className="num">
            Quantity
          </th>
          {!readOnly && (
            <th scope="col">
              <span className="sr-only">Remove</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) =>
          readOnly ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: items have no identity of their own
            <tr key={i}>
              <td className="mono">{r.sku || '—'}</td>
              <td>{r.description}</td>
              <td className="num">{r.quantity}</td>
            </tr>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: items have no identity of their own
            <tr key={i}>
              <td>
                <input aria-label={`SKU of item ${i + 1}`} value={r.sku} onChange={(e) => update(i, { sku: e.target.value })} />
              </td>
              <td>
                <input
                  aria-label={`Description of item ${i + 1}`}
                  aria-invalid={Boolean(errors[`items.${i}.description`])}
                  value={r.description}
                  onChange={(e) => update(i, { description: e.target.value })}
                />
                {errors[`items.${i}.description`] && <p className="field-error">{errors[`items.${i}.description`]}</p>}
              </td>
              <td className="num">
                <input
                  aria-label={`Quantity of item ${i + 1}`}
                  aria-invalid={Boolean(errors[`items.${i}.quantity`])}
                  type="number"
                  min={1}
                  value={r.quantity}
                  onChange={(e) => update(i, { quantity: e.target.value })}
                />
                {errors[`items.${i}.quantity`] && <p className="field-error">{errors[`items.${i}.quantity`]}</p>}
              </td>
              <td>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove item ${i + 1}`}
                  onClick={() => setRows(rows.filter((_, j) => j !== i))}
                >
                  ×
                </button>
              </td>
            </tr>
          ),
        )}
      </tbody>
      {!readOnly && (
        <tfoot>
          <tr>
            <td colSpan={4}>
              <button
                type="button"
                className="button small"
                onClick={() => setRows([...rows, { sku: '', description: '', quantity: '1' }])}
              >
                Add item
              </button>
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}

export function ItemsEditor({ order }: { order: Order }) {
  const user = useUser();
  const qc = useQueryClient();
  const [rows, setRows] = useState<Row[] | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const editable = mayEditOrders(user.role) && (order.state === 'active' || order.state === 'on_hold');
  const shown = rows ?? toRows(order.items);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!rows) return;
    const found = checkItems(rows);
    setErrors(found);
    if (Object.keys(found).length) return;
    setSaving(true);
    try {
      const saved = await patch<Order>(`/orders/${order.id}`, { items: rowsToItems(rows), expectedVersion: order.version });
      qc.setQueryData(keys.order(order.number), saved);
      void qc.invalidateQueries({ queryKey: keys.events(order.id) });
      setRows(null);
      notify('success', `Items of ${order.number} saved`);
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      setErrors(Object.fromEntries(err.errors.map((x) => [x.path, x.message])));
      notify('error', 'Items not saved', err.detail);
      if (err.type === 'version-conflict') void qc.invalidateQueries({ queryKey: ['order'] });
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="panel" aria-labelledby="items-title" onSubmit={save}>
      <div className="panel-header">
        <h2 id="items-title">Items</h2>
        {rows && <span className="unsaved">Unsaved changes</span>}
      </div>
      <ItemRows rows={shown} setRows={setRows} errors={errors} readOnly={!editable} />
      {rows && (
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save items'}
          </button>
          <button type="button" className="button" onClick={() => setRows(null)}>
            Discard
          </button>
        </div>
      )}
    </form>
  );
}
