// The order page: everything about one order, its details and fields, items, stage timeline, history,
// comments, the moves and holds its people may make, and the customer's tracking link.
import { ApiProblem } from '../api/client.ts';
import { useOrder, useOrderEvents, useWorkflows } from '../api/queries.ts';
import { Link } from '../app/router.tsx';
import { ROLE_NAMES } from '../auth/roles.ts';
import { PrintTraveller } from '../print/PrintTraveller.tsx';
import { FlagBadges, PriorityBadge, StateBadge } from '../ui/badges.tsx';
import { calendarDate, dueText, duration, timestamp } from '../ui/format.ts';
import { useNow } from '../ui/now.ts';
import { useTitle } from '../ui/title.ts';
import { Comments } from './Comments.tsx';
import { DetailsForm } from './DetailsForm.tsx';
import { FilesPanel } from './FilesPanel.tsx';
import { History } from './History.tsx';
import { ItemsEditor } from './ItemsEditor.tsx';
import { OrderActions } from './OrderActions.tsx';
import { Timeline } from './Timeline.tsx';
import { TrackingPanel } from './TrackingPanel.tsx';

export function OrderPage({ idOrNumber }: { idOrNumber: string }) {
  const order = useOrder(idOrNumber);
  const workflows = useWorkflows();
  const events = useOrderEvents(order.data?.id);
  const now = useNow();
  useTitle(order.data ? `${order.data.number} ${order.data.title}` : idOrNumber);

  if (order.isPending) return <main className="page muted">Loading {idOrNumber}…</main>;
  if (order.isError) {
    const missing = order.error instanceof ApiProblem && order.error.status === 404;
    return (
      <main className="page" id="main">
        <h1>{missing ? `No order ${idOrNumber}` : 'The order could not be loaded'}</h1>
        <p className="muted">{order.error.message}</p>
        <Link to="/board">Back to the board</Link>
      </main>
    );
  }
  const o = order.data;
  const wf = workflows.data?.find((w) => w.key === o.workflow);
  const open = o.state === 'active' || o.state === 'on_hold';

  return (
    <main className="page order-page" id="main" data-order-page={o.number} data-version={o.version}>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to={`/board?workflow=${encodeURIComponent(o.workflow)}`}>{wf?.name ?? 'Board'}</Link>
        <span aria-hidden="true"> / </span>
        <span>{o.number}</span>
      </nav>
      <header className="order-header">
        <div className="order-heading">
          <div className="order-badges">
            <span className="order-number">{o.number}</span>
            <StateBadge state={o.state} />
            <PriorityBadge priority={o.priority} />
            {/* The state badge already says "On hold": the flag would say it twice. */}
            <FlagBadges flags={o.flags.filter((f) => f !== 'on-hold')} />
          </div>
          <h1>{o.title}</h1>
          <p className="order-sub">
            {o.customerId ? (
              <Link to={`/customers/${encodeURIComponent(o.customerId)}`} data-customer-link>
                {o.customer.name}
              </Link>
            ) : (
              o.customer.name
            )}
            {o.dueDate && (
              <>
                {' · '}
                <span className={o.flags.includes('overdue') ? 'late' : undefined}>{dueText(o.dueDate, now, calendarDate)}</span>
              </>
            )}
          </p>
          {o.eta && (
            <p className="order-eta" data-eta={o.eta.p50}>
              Expected done: <time dateTime={o.eta.p50}>{calendarDate(o.eta.p50, now)}</time>{' '}
              <span className="muted">
                (85% sure by <time dateTime={o.eta.p85}>{calendarDate(o.eta.p85, now)}</time>)
              </span>
            </p>
          )}
          <PrintTraveller number={o.number} />
        </div>
      </header>

      <section className={`stage-now stage-now-${o.state}`} aria-label="Where the order is">
        <div>
          <p className="stage-now-label">{open ? 'Now in' : o.state === 'completed' ? 'Completed in' : 'Cancelled in'}</p>
          <p className="stage-now-stage" data-current-stage={o.stage}>
            {o.stageLabel}
          </p>
          <p className="stage-now-customer small">
            Customer sees: <strong>{o.customerStatus}</strong>
          </p>
          <p className="muted">
            {o.ownerRole && <>Owned by {ROLE_NAMES[o.ownerRole]} · </>}
            {open ? `${duration(now - new Date(o.stageEnteredAt).getTime())} in this stage` : timestamp(o.updatedAt)}
          </p>
        </div>
        <div className="stage-now-next">
          {o.state === 'on_hold' ? (
            <p>
              <span className="queue-action-label">Held because</span> {o.holdReason}
            </p>
          ) : (
            o.nextAction && (
              <p>
                <span className="queue-action-label">Next</span> {o.nextAction}
              </p>
            )
          )}
          <OrderActions order={o} wf={wf} />
        </div>
      </section>

      <div className="order-grid">
        <div className="order-main">
          <DetailsForm key={o.id} order={o} wf={wf} />
          <ItemsEditor key={`items-${o.id}`} order={o} />
          <FilesPanel
            key={`files-${o.id}`}
            order={o}
            approvalStage={Boolean(wf?.stages.find((s) => s.key === o.stage)?.customerApproval)}
          />
          <section className="panel" aria-labelledby="history-title">
            <h2 id="history-title">History</h2>
            <History events={events.data} wf={wf} />
          </section>
        </div>
        <aside className="order-aside">
          <section className="panel" aria-labelledby="timeline-title">
            <h2 id="timeline-title">Stages</h2>
            <Timeline order={o} wf={wf} now={now} />
          </section>
          <TrackingPanel order={o} />
          <Comments order={o} events={events.data} />
        </aside>
      </div>
    </main>
  );
}
