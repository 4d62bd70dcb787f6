// The inbox: my notifications newest first, each leading to its order (and marked read on the way), with
// "mark all read" and, below, how each kind of notice reaches me.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiProblem } from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { orderPath } from '../board/OrderCard.tsx';
import { ago, timestamp } from '../ui/format.ts';
import { notify } from '../ui/notices.tsx';
import { useNow } from '../ui/now.ts';
import { useTitle } from '../ui/title.ts';
import { NotificationPreferences } from './NotificationPreferences.tsx';
import { KIND_NAMES, markAllRead, markRead, type Notice, useInbox, useUnreadCount } from './notifications-api.ts';
import './notifications.css';

const failed = (err: unknown) => (err instanceof ApiProblem ? err.detail : 'Something went wrong; try again.');

export function InboxPage() {
  const qc = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const inbox = useInbox(unreadOnly);
  const unread = useUnreadCount();
  const count = unread.data ?? inbox.data?.pages[0]?.unreadCount ?? 0;
  useTitle(count ? `Notifications (${count})` : 'Notifications');
  const [busy, setBusy] = useState(false);
  const items = inbox.data?.pages.flatMap((p) => p.items) ?? [];

  const clearAll = async () => {
    setBusy(true);
    try {
      const marked = await markAllRead(qc);
      notify('success', marked === 1 ? '1 notification marked read' : `${marked} notifications marked read`);
    } catch (err) {
      notify('error', 'Could not mark them read', failed(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="page inbox-page" id="main">
      <header className="page-header">
        <div>
          <h1>Notifications</h1>
          <p className="muted" aria-live="polite" data-unread-text>
            {count === 0 ? 'Nothing unread.' : count === 1 ? '1 unread' : `${count} unread`}
          </p>
        </div>
        <div className="inbox-tools">
          <fieldset className="inbox-filter">
            <legend className="sr-only">Show</legend>
            <label>
              <input type="radio" name="inbox-filter" checked={!unreadOnly} onChange={() => setUnreadOnly(false)} /> All
            </label>
            <label>
              <input type="radio" name="inbox-filter" checked={unreadOnly} onChange={() => setUnreadOnly(true)} /> Unread
            </label>
          </fieldset>
          <button type="button" className="button" data-action="mark-all-read" disabled={busy || count === 0} onClick={clearAll}>
            Mark all read
          </button>
        </div>
      </header>
      {inbox.isPending && <p className="muted">Loading your notifications…</p>}
      {inbox.isError && (
        <p className="form-error" role="alert">
          {inbox.error.message}
        </p>
      )}
      {inbox.data && items.length === 0 && (
        <div className="empty">
          <h2>{unreadOnly ? 'All read' : 'No notifications yet'}</h2>
          <p className="muted">When an order reaches one of your stages, stalls, or risks its due date, you hear of it here.</p>
        </div>
      )}
      {items.length > 0 && (
        <ol className="inbox" data-inbox>
          {items.map((n) => (
            <InboxItem key={n.id} notice={n} />
          ))}
        </ol>
      )}
      {inbox.hasNextPage && (
        <button type="button" className="button" disabled={inbox.isFetchingNextPage} onClick={() => void inbox.fetchNextPage()}>
          {inbox.isFetchingNextPage ? 'Loading…' : 'Show older'}
        </button>
      )}
      <NotificationPreferences />
    </main>
  );
}

function InboxItem({ notice }: { notice: Notice }) {
  const qc = useQueryClient();
  const now = useNow();
  const unread = notice.readAt === null;
  // Opening the order is reading the notice: mark it on the way, without holding the page up.
  const open = () => {
    if (unread) markRead(qc, notice.id).catch((err) => notify('error', 'Could not mark it read', failed(err)));
  };
  const read = () => markRead(qc, notice.id).catch((err) => notify('error', 'Could not mark it read', failed(err)));
  return (
    <li className={`inbox-item${unread ? ' inbox-item-unread' : ''}`} data-notice={notice.id} data-read={!unread}>
      <div className="inbox-main">
        <div className="inbox-title">
          {unread && (
            <>
              <span className="inbox-dot" aria-hidden="true" />
              <span className="sr-only">Unread:</span>
            </>
          )}
          {notice.orderNumber ? (
            <Link to={orderPath(notice.orderNumber)} onClick={open} data-open-order={notice.orderNumber}>
              {notice.title}
            </Link>
          ) : (
            <span>{notice.title}</span>
          )}
        </div>
        <p className="inbox-body">{notice.body}</p>
        <p className="inbox-meta muted">
          <span>{KIND_NAMES[notice.kind] ?? notice.kind}</span>
          <time dateTime={notice.createdAt} title={timestamp(notice.createdAt)}>
            {ago(notice.createdAt, now)}
          </time>
        </p>
      </div>
      {unread && (
        <button type="button" className="button small" data-action="mark-read" onClick={read}>
          Mark read
        </button>
      )}
    </li>
  );
}
