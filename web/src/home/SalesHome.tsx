// Sales' home: the newest orders with where each stands, and what to promise the next customer (lead times and the
// date an order started today would be done).
import { useLeadTime, useQuote, useRecentOrders, useWorkflows } from '../api/queries.ts';
import type { Workflow } from '../api/types.ts';
import { Link } from '../app/router.tsx';
import { orderPath } from '../board/OrderCard.tsx';
import { FlagBadges, StateBadge } from '../ui/badges.tsx';
import { ago, calendarDate } from '../ui/format.ts';
import { useNow } from '../ui/now.ts';
import { useTitle } from '../ui/title.ts';

export function SalesHome() {
  useTitle('Sales');
  const recent = useRecentOrders(15);
  const workflows = useWorkflows();
  const now = useNow();
  return (
    <main className="page sales-home" id="main" data-home="sales">
      <header className="page-header">
        <div>
          <h1>Sales</h1>
          <p className="muted">New orders as they come in, and the dates you can promise.</p>
        </div>
        <Link to="/orders/new" className="button primary">
          New order
        </Link>
      </header>
      <div className="home-grid">
        <section className="panel" aria-labelledby="lead-title">
          <h2 id="lead-title">What to promise</h2>
          {workflows.data?.map((wf) => (
            <PromiseFor key={wf.key} wf={wf} now={now} />
          ))}
          <p className="promise-more">
            <Link to="/quote" className="button" data-action="open-quote">
              Quote a date…
            </Link>{' '}
            <Link to="/reports">Lead times and more on Reports</Link>
          </p>
        </section>
        <section className="panel" aria-labelledby="new-title">
          <h2 id="new-title">New orders</h2>
          {recent.isPending && <p className="muted">Loading…</p>}
          {recent.data?.length === 0 && <p className="muted">No orders yet.</p>}
          <ul className="home-list" data-recent-orders>
            {recent.data?.map((o) => (
              <li key={o.id} data-order={o.number}>
                <div>
                  <Link to={orderPath(o.number)} className="queue-number">
                    {o.number}
                  </Link>{' '}
                  {o.title} <span className="muted">· {o.customer.name}</span>
                </div>
                <div className="small muted">
                  {o.stageLabel} <StateBadge state={o.state} /> <FlagBadges flags={o.flags.filter((f) => f !== 'on-hold')} /> ·
                  created {ago(o.createdAt, now)}
                </div>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </main>
  );
}

function PromiseFor({ wf, now }: { wf: Workflow; now: number }) {
  const quote = useQuote(wf.key);
  const lead = useLeadTime(wf.key);
  const days = lead.data?.leadTime.days;
  return (
    <div className="promise" data-promise={wf.key}>
      <h3>{wf.name}</h3>
      {quote.data?.enoughHistory && quote.data.p50 ? (
        <p className="promise-date">
          Started today, done by <strong>{calendarDate(quote.data.p50, now)}</strong>
          {quote.data.p85 && quote.data.p85 !== quote.data.p50 && (
            <>
              {' '}
              (to be safe: <strong>{calendarDate(quote.data.p85, now)}</strong>)
            </>
          )}
        </p>
      ) : (
        <p className="muted">{quote.data?.message ?? (quote.isError ? 'No forecast available.' : 'Working it out…')}</p>
      )}
      {days && (
        <p className="small muted">
          Lead time of the {lead.data?.completed} orders finished lately: half within {Math.round(days.p50)} days, most (85%)
          within {Math.round(days.p85)} days.
        </p>
      )}
    </div>
  );
}
