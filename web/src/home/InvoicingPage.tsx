// Finance's home: the orders that shipped and are ready to invoice, with their amounts; mark each invoiced.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiProblem, post } from '../api/client.ts';
import { keys, useReadyToInvoice } from '../api/queries.ts';
import type { ReadyToInvoice } from '../api/types.ts';
import { Link } from '../app/router.tsx';
import { useUser } from '../auth/session.tsx';
import { orderPath } from '../board/OrderCard.tsx';
import { timestamp } from '../ui/format.ts';
import { notify } from '../ui/notices.tsx';
import { useTitle } from '../ui/title.ts';

const FINANCE = ['finance', 'manager', 'admin'];

/** "29792.80" in the workspace's currency, with the reader's separators: "$29,792.80". Exact decimals stay as sent. */
export function money(amount: string, currency: string): string {
  const [whole, fraction = ''] = amount.split('.');
  const digits = Math.max(2, fraction.replace(/0+$/, '').length);
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      minimumFractionDigits: Math.min(digits, 4),
      maximumFractionDigits: 4,
    }).format(`${whole}.${fraction || '0'}` as unknown as number);
  } catch {
    return `${amount} ${currency}`;
  }
}

export function InvoicingPage() {
  useTitle('Ready to invoice');
  const user = useUser();
  const allowed = FINANCE.includes(user.role);
  const ready = useReadyToInvoice(allowed);
  const qc = useQueryClient();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const items = ready.data?.items ?? [];
  const chosen = items.filter((r) => selected.has(r.orderId));
  const toggle = (id: string) =>
    setSelected((now) => {
      const next = new Set(now);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  // One call for the lot: every order gets its own event, or none does and the answer says which one stopped it.
  const markChosen = async () => {
    const reference = window.prompt(`Invoice reference for these ${chosen.length} orders (optional)`) ?? undefined;
    if (reference === undefined) return;
    setBusy(true);
    try {
      await post('/finance/invoiced', { orders: chosen.map((r) => r.orderId), reference: reference.trim() || null });
      notify('success', `${chosen.length} ${chosen.length === 1 ? 'order' : 'orders'} marked invoiced`);
      setSelected(new Set());
      await qc.invalidateQueries({ queryKey: keys.ready });
    } catch (err) {
      notify('error', err instanceof ApiProblem ? err.detail : 'Could not mark them invoiced; try again.');
    } finally {
      setBusy(false);
    }
  };
  if (!allowed) {
    return (
      <main className="page" id="main">
        <h1>Ready to invoice</h1>
        <p>Only finance, a manager or an admin may see invoicing.</p>
      </main>
    );
  }
  return (
    <main className="page invoicing-page" id="main" data-home="invoicing">
      <header className="page-header">
        <div>
          <h1>Ready to invoice</h1>
          <p className="muted">Orders that reached the invoice stage and are not marked invoiced yet, oldest first.</p>
        </div>
        <a className="button" href="/api/v1/finance/ready-to-invoice.csv" download>
          Download CSV
        </a>
      </header>
      {ready.isPending && <p className="muted">Loading…</p>}
      {ready.isError && (
        <p className="form-error" role="alert">
          {ready.error.message}
        </p>
      )}
      {ready.data && (
        <>
          <p className="invoice-totals" data-invoice-totals>
            <strong>{ready.data.totals.orders}</strong> {ready.data.totals.orders === 1 ? 'order' : 'orders'} ·{' '}
            <strong>{money(ready.data.totals.amount, ready.data.currency)}</strong> in total
            {ready.data.totals.withoutAmount > 0 && (
              <span className="muted"> ({ready.data.totals.withoutAmount} without an amount)</span>
            )}
          </p>
          {ready.data.items.length === 0 ? (
            <div className="empty">
              <h2>Nothing to invoice</h2>
              <p className="muted">Orders appear here the moment they reach the invoice stage.</p>
            </div>
          ) : (
            <>
              <p className="invoice-bulk">
                <button
                  type="button"
                  className="button primary"
                  disabled={busy || chosen.length === 0}
                  onClick={markChosen}
                  data-action="mark-selected-invoiced"
                >
                  Mark {chosen.length || ''} selected invoiced
                </button>
              </p>
              <table className="table" data-ready-to-invoice>
                <thead>
                  <tr>
                    <th scope="col">
                      <input
                        type="checkbox"
                        aria-label="Select all"
                        checked={items.length > 0 && chosen.length === items.length}
                        onChange={(e) => setSelected(e.target.checked ? new Set(items.map((r) => r.orderId)) : new Set())}
                      />
                    </th>
                    <th scope="col">Order</th>
                    <th scope="col">Customer</th>
                    <th scope="col">Ready since</th>
                    <th scope="col" className="amount">
                      Amount
                    </th>
                    <th scope="col">
                      <span className="sr-only">Invoice</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {ready.data.items.map((r) => (
                    <ReadyRow
                      key={r.orderId}
                      row={r}
                      currency={ready.data.currency}
                      selected={selected.has(r.orderId)}
                      onToggle={() => toggle(r.orderId)}
                    />
                  ))}
                </tbody>
              </table>
            </>
          )}
        </>
      )}
    </main>
  );
}

function ReadyRow({
  row,
  currency,
  selected,
  onToggle,
}: {
  row: ReadyToInvoice;
  currency: string;
  selected: boolean;
  onToggle: () => void;
}) {
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const mark = async () => {
    const reference = window.prompt(`Invoice number for ${row.number} (optional)`) ?? undefined;
    if (reference === undefined) return;
    setBusy(true);
    try {
      await post(`/orders/${row.orderId}/invoiced`, { reference: reference.trim() || null });
      notify('success', `${row.number} marked invoiced`);
      await qc.invalidateQueries({ queryKey: keys.ready });
    } catch (err) {
      notify('error', err instanceof ApiProblem ? err.detail : 'Could not mark it invoiced; try again.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr data-order={row.number}>
      <td>
        <input type="checkbox" aria-label={`Select ${row.number}`} checked={selected} onChange={onToggle} data-select />
      </td>
      <td>
        <Link to={orderPath(row.number)} className="queue-number">
          {row.number}
        </Link>
        <div className="small">{row.title}</div>
      </td>
      <td>
        {row.customer.name}
        {row.customer.email && <div className="muted small">{row.customer.email}</div>}
      </td>
      <td>{timestamp(row.readySince)}</td>
      <td className="amount" data-amount>
        {row.amount === null ? '—' : money(row.amount, currency)}
      </td>
      <td>
        <button type="button" className="button small" disabled={busy} onClick={mark} data-action="mark-invoiced">
          Mark invoiced
        </button>
      </td>
    </tr>
  );
}
