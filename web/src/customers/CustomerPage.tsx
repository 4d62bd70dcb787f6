// One customer: their orders open and done, how reliably and how fast the shop delivers to them, who to contact,
// and, for those who take orders, editing the record and merging another record of the same customer into it.
import { useQueryClient } from '@tanstack/react-query';
import { ApiProblem } from '../api/client.ts';
import type { Order } from '../api/types.ts';
import { Link, navigate } from '../app/router.tsx';
import { mayEditOrders } from '../auth/roles.ts';
import { useUser } from '../auth/session.tsx';
import { orderPath } from '../board/OrderCard.tsx';
import { StateBadge } from '../ui/badges.tsx';
import { calendarDate } from '../ui/format.ts';
import { useTitle } from '../ui/title.ts';
import { CustomerEditor } from './CustomerEditor.tsx';
import { customerPath, useCustomer, useCustomerOrders } from './customer-api.ts';
import { MergePanel } from './MergePanel.tsx';

export function CustomerPage({ id }: { id: string }) {
  const user = useUser();
  const customer = useCustomer(id);
  useTitle(customer.data?.name ?? 'Customer');
  const qc = useQueryClient();

  if (customer.isError) {
    const err = customer.error;
    const mergedInto = err instanceof ApiProblem && typeof err.body.mergedInto === 'string' ? err.body.mergedInto : null;
    return (
      <main className="page" id="main">
        <h1>Customer not found</h1>
        {mergedInto ? (
          <p>
            This record was merged into another. <Link to={customerPath(mergedInto)}>Open the customer</Link>.
          </p>
        ) : (
          <p>{err.message}</p>
        )}
      </main>
    );
  }
  if (!customer.data) return <div className="page muted">Loading…</div>;
  const c = customer.data;
  const r = c.record;
  const editor = mayEditOrders(user.role);
  return (
    <main className="page" id="main" data-customer-page={c.name}>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to="/customers">Customers</Link>
        <span aria-hidden="true"> / </span>
        <span>{c.name}</span>
      </nav>
      <h1>{c.name}</h1>
      {c.email && <p className="muted">Updates go to {c.email} when an order has no e-mail of its own.</p>}
      <dl className="stats" data-delivery-record>
        <div>
          <dt>Open orders</dt>
          <dd data-stat="open">{r.open}</dd>
        </div>
        <div>
          <dt>Completed</dt>
          <dd data-stat="completed">{r.completed}</dd>
        </div>
        <div>
          <dt>On time</dt>
          <dd data-stat="on-time">
            {r.onTimeRate === null ? '–' : `${Math.round(r.onTimeRate * 100)}%`}
            {r.withDueDate > 0 && (
              <span className="muted small">
                {' '}
                ({r.onTime} of {r.withDueDate})
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Average lead time</dt>
          <dd data-stat="lead-time">{r.averageLeadDays === null ? '–' : `${r.averageLeadDays} days`}</dd>
        </div>
      </dl>
      <section className="panel">
        <h2>Contacts</h2>
        {c.contacts.length === 0 ? (
          <p className="muted">No contacts yet.</p>
        ) : (
          <ul className="contacts" data-contacts>
            {c.contacts.map((p) => (
              <li key={`${p.name}|${p.email}|${p.phone}|${p.role}`}>
                <strong>{p.name}</strong>
                {p.role && <span className="muted"> · {p.role}</span>}
                {p.email && (
                  <>
                    {' · '}
                    <a href={`mailto:${p.email}`}>{p.email}</a>
                  </>
                )}
                {p.phone && (
                  <>
                    {' · '}
                    <a href={`tel:${p.phone.replace(/\s/g, '')}`}>{p.phone}</a>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
        {c.addresses.length > 0 && (
          <>
            <h3>Addresses</h3>
            {c.addresses.map((a) => (
              <address key={a} className="address">
                {a}
              </address>
            ))}
          </>
        )}
        {c.notes && (
          <>
            <h3>Notes</h3>
            <p className="notes">{c.notes}</p>
          </>
        )}
      </section>
      <OrderList id={c.id} status="open" title="Open orders" />
      <OrderList id={c.id} status="done" title="Done" />
      {editor && (
        <>
          <CustomerEditor customer={c} />
          <MergePanel
            into={c}
            onMerged={() => {
              qc.invalidateQueries({ queryKey: ['customers'] });
              navigate(customerPath(c.id), { replace: true });
            }}
          />
        </>
      )}
    </main>
  );
}

function OrderList({ id, status, title }: { id: string; status: 'open' | 'done'; title: string }) {
  const orders = useCustomerOrders(id, status);
  const items: Order[] = orders.data ?? [];
  return (
    <section className="panel" data-orders={status}>
      <h2>
        {title} <span className="muted">({items.length})</span>
      </h2>
      {orders.isPending ? (
        <p className="muted">Loading…</p>
      ) : items.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Stage</th>
              <th scope="col">Due</th>
            </tr>
          </thead>
          <tbody>
            {items.map((o) => (
              <tr key={o.id} data-order={o.number}>
                <td>
                  <Link to={orderPath(o.number)}>{o.number}</Link>
                  <div className="small">{o.title}</div>
                </td>
                <td>
                  {o.stageLabel} <StateBadge state={o.state} />
                </td>
                <td>{o.dueDate ? calendarDate(o.dueDate) : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
