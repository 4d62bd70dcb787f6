// Find any order at once by its number, the customer's name or e-mail: where it really is, and what the customer
// sees on their tracking page, side by side, with the tracking link to hand. Customer service starts here.
import { useDeferredValue, useEffect, useRef, useState } from 'react';
import { useOrderSearch } from '../api/queries.ts';
import type { Order } from '../api/types.ts';
import { Link, setSearchParams, useLocation } from '../app/router.tsx';
import { orderPath } from '../board/OrderCard.tsx';
import { FlagBadges, StateBadge } from '../ui/badges.tsx';
import { calendarDate, dueText } from '../ui/format.ts';
import { notify } from '../ui/notices.tsx';
import { useNow } from '../ui/now.ts';
import { useTitle } from '../ui/title.ts';

export function SearchPage() {
  useTitle('Find an order');
  const { params } = useLocation();
  const [text, setText] = useState(params.get('q') ?? '');
  // Typing stays instant: the list follows a step behind on a slow line, never the other way round.
  const q = useDeferredValue(text.trim());
  const results = useOrderSearch(q);
  const input = useRef<HTMLInputElement>(null);
  const now = useNow();

  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    const next = new URLSearchParams(window.location.search);
    if (q) next.set('q', q);
    else next.delete('q');
    setSearchParams(next);
  }, [q]);

  const orders = q ? (results.data ?? []) : [];
  return (
    <main className="page search-page" id="main">
      <header className="page-header">
        <div>
          <h1>Find an order</h1>
          <p className="muted">By order number, customer name or e-mail: where it is, and what the customer sees.</p>
        </div>
      </header>
      <search className="search-box">
        <label htmlFor="order-search" className="sr-only">
          Order number, customer name or e-mail
        </label>
        <input
          id="order-search"
          ref={input}
          type="search"
          autoComplete="off"
          spellCheck={false}
          placeholder="ORD-1042, Harbour FC, kit@harbourfc.example"
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-control="order-search"
        />
      </search>
      {results.isError && (
        <p className="form-error" role="alert">
          {results.error.message}
        </p>
      )}
      <p className="muted small" aria-live="polite" data-search-count>
        {!q
          ? 'Start typing: results appear as you type.'
          : results.isPending
            ? 'Searching…'
            : `${orders.length === 25 ? 'The first 25' : orders.length} ${orders.length === 1 ? 'order' : 'orders'} for “${q}”`}
      </p>
      {orders.length > 0 && (
        <table className="table search-results" data-search-results>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Customer</th>
              <th scope="col">Where it is</th>
              <th scope="col">What the customer sees</th>
              <th scope="col">Due</th>
              <th scope="col">
                <span className="sr-only">Tracking link</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <ResultRow key={o.id} order={o} now={now} />
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

function ResultRow({ order: o, now }: { order: Order; now: number }) {
  const copy = async () => {
    const url = new URL(o.trackingUrl, window.location.origin).toString();
    try {
      await navigator.clipboard.writeText(url);
      notify('success', `Tracking link for ${o.number} copied`);
    } catch {
      window.prompt('Copy the tracking link', url);
    }
  };
  const open = o.state === 'active' || o.state === 'on_hold';
  return (
    <tr data-order={o.number}>
      <td>
        <Link to={orderPath(o.number)} className="queue-number">
          {o.number}
        </Link>
        <div className="small">{o.title}</div>
      </td>
      <td>
        {o.customer.name}
        {o.customer.email && <div className="muted small">{o.customer.email}</div>}
      </td>
      <td data-internal-stage={o.stage}>
        <strong>{o.stageLabel}</strong> <StateBadge state={o.state} />
        <div>
          <FlagBadges flags={o.flags.filter((f) => f !== 'on-hold')} />
        </div>
      </td>
      <td>
        <span data-customer-status>{o.customerStatus}</span>
        {o.state === 'on_hold' && <div className="muted small">with a note that the order is on hold</div>}
      </td>
      <td className={o.flags.includes('overdue') ? 'late' : undefined}>
        {!open ? '—' : o.dueDate ? dueText(o.dueDate, now, calendarDate) : 'no due date'}
      </td>
      <td>
        <button type="button" className="button small" onClick={copy} data-action="copy-tracking">
          Copy tracking link
        </button>
      </td>
    </tr>
  );
}
