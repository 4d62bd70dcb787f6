// My queue: the orders whose current stage my role owns, longest waiting first, each with its next action
// and one button to move it on.
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { ApiProblem, post } from '../api/client.ts';
import { keys, useQueue, useWorkflows } from '../api/queries.ts';
import type { Order, Workflow } from '../api/types.ts';
import { Link } from '../app/router.tsx';
import { ROLE_NAMES } from '../auth/roles.ts';
import { useUser } from '../auth/session.tsx';
import { nextStage } from '../board/moves.tsx';
import { orderPath } from '../board/OrderCard.tsx';
import { FlagBadges, PriorityBadge } from '../ui/badges.tsx';
import { calendarDate, daysUntil, dueText, duration } from '../ui/format.ts';
import { notify } from '../ui/notices.tsx';
import { useNow } from '../ui/now.ts';
import { useTitle } from '../ui/title.ts';

export function QueuePage() {
  const user = useUser();
  const queue = useQueue();
  useTitle(queue.data ? `My queue (${queue.data.length})` : 'My queue');
  const workflows = useWorkflows();
  const now = useNow();
  const orders = useMemo(
    () => [...(queue.data ?? [])].sort((a, b) => a.stageEnteredAt.localeCompare(b.stageEnteredAt)),
    [queue.data],
  );
  const byKey = new Map((workflows.data ?? []).map((w) => [w.key, w]));
  const owned = (workflows.data ?? []).some((w) => w.stages.some((s) => s.ownerRole === user.role));

  return (
    <main className="page queue-page" id="main">
      <header className="page-header">
        <div>
          <h1>My queue</h1>
          <p className="muted">Orders in stages that {ROLE_NAMES[user.role].toLowerCase()} owns, longest waiting first.</p>
        </div>
        <span className="queue-total" aria-live="polite">
          {queue.data ? `${orders.length} ${orders.length === 1 ? 'order' : 'orders'}` : ''}
        </span>
      </header>
      {queue.isPending && <p className="muted">Loading your queue…</p>}
      {queue.isError && (
        <p className="form-error" role="alert">
          {queue.error.message}
        </p>
      )}
      {queue.data && orders.length === 0 && (
        <div className="empty">
          <h2>{owned ? 'Nothing waiting for you' : `No stage is owned by ${ROLE_NAMES[user.role].toLowerCase()}`}</h2>
          <p className="muted">
            {owned ? 'New work appears here the moment it reaches one of your stages.' : 'The board shows the whole pipeline.'}{' '}
            <Link to="/board">Open the board</Link>
          </p>
        </div>
      )}
      {orders.length > 0 && (
        <ol className="queue" data-queue>
          {orders.map((order) => (
            <QueueRow key={order.id} order={order} wf={byKey.get(order.workflow)} now={now} />
          ))}
        </ol>
      )}
    </main>
  );
}

function QueueRow({ order, wf, now }: { order: Order; wf: Workflow | undefined; now: number }) {
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const next = wf ? nextStage(wf, order.stage) : undefined;
  const held = order.state === 'on_hold';
  const late = order.dueDate !== null && daysUntil(order.dueDate, now) < 0;

  const act = async (path: string, body: unknown, done: (o: Order) => string) => {
    setBusy(true);
    setRefusal(null);
    try {
      const result = await post<Order>(`/orders/${order.id}/${path}`, body);
      notify('success', done(result));
      await qc.invalidateQueries({ queryKey: keys.queue });
    } catch (err) {
      setRefusal(err instanceof ApiProblem ? err.detail : 'Something went wrong; try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className={`queue-row${held ? ' queue-row-held' : ''}`} data-order={order.number}>
      <div className="queue-main">
        <div className="queue-line">
          <Link to={orderPath(order.number)} className="queue-number">
            {order.number}
          </Link>
          <PriorityBadge priority={order.priority} quiet />
          <FlagBadges flags={order.flags} />
        </div>
        <div className="queue-title">{order.title}</div>
        <div className="queue-meta">
          <span>{order.customer.name}</span>
          <span>
            In <strong>{order.stageLabel}</strong> for {duration(now - new Date(order.stageEnteredAt).getTime())}
          </span>
          {order.dueDate && <span className={late ? 'late' : undefined}>{dueText(order.dueDate, now, calendarDate)}</span>}
        </div>
      </div>
      <div className="queue-next">
        {held ? (
          <p className="queue-action">
            <span className="queue-action-label">On hold</span> {order.holdReason}
          </p>
        ) : (
          <p className="queue-action">
            <span className="queue-action-label">Next</span> {order.nextAction}
          </p>
        )}
        {refusal && (
          <p className="field-error" role="alert">
            {refusal}{' '}
            <Link to={orderPath(order.number)} className="inline-link">
              Open the order
            </Link>
          </p>
        )}
      </div>
      <div className="queue-button">
        {held ? (
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => act('resume', { expectedVersion: order.version }, (o) => `${o.number} resumed`)}
          >
            Resume
          </button>
        ) : next ? (
          <button
            type="button"
            className="button primary"
            disabled={busy}
            data-action="move-next"
            onClick={() =>
              act('transitions', { to: next.key, expectedVersion: order.version }, (o) => `${o.number} moved to ${o.stageLabel}`)
            }
          >
            {busy ? 'Moving…' : `Move to ${next.label}`}
          </button>
        ) : null}
      </div>
    </li>
  );
}
