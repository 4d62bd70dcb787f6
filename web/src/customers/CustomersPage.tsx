// Every customer the shop has taken orders for, found by name or e-mail as you type.
import { useDeferredValue, useState } from 'react';
import { Link } from '../app/router.tsx';
import { useTitle } from '../ui/title.ts';
import { customerPath, useCustomerSearch } from './customer-api.ts';

export function CustomersPage() {
  useTitle('Customers');
  const [text, setText] = useState('');
  const q = useDeferredValue(text.trim());
  const list = useCustomerSearch(q, { limit: 200 });
  const items = list.data ?? [];
  return (
    <main className="page" id="main">
      <header className="page-header">
        <div>
          <h1>Customers</h1>
          <p className="muted">Everyone the shop makes orders for: their orders, contacts and on-time record.</p>
        </div>
      </header>
      <search className="search-box">
        <label htmlFor="customer-search" className="sr-only">
          Customer name or e-mail
        </label>
        <input
          id="customer-search"
          type="search"
          autoComplete="off"
          placeholder="Harbour FC, kit@harbourfc.example"
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-control="customer-search"
        />
      </search>
      {list.isError && (
        <p className="form-error" role="alert">
          {list.error.message}
        </p>
      )}
      {list.isPending ? (
        <p className="muted">Loading customers…</p>
      ) : items.length === 0 ? (
        <p className="muted">{q ? `No customer matches “${q}”.` : 'No customers yet: they appear with their first order.'}</p>
      ) : (
        <table className="table" data-customers>
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col">E-mail</th>
              <th scope="col">Open orders</th>
              <th scope="col">All orders</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id} data-customer={c.name}>
                <td>
                  <Link to={customerPath(c.id)}>{c.name}</Link>
                </td>
                <td>{c.email ?? <span className="muted">none</span>}</td>
                <td>{c.openOrders}</td>
                <td>{c.orders}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
