// The bell in the top bar: how many of my notifications are unread, kept live by the stream; opens the inbox.
import { Link, useLocation } from '../app/router.tsx';
import { useUnreadCount } from './notifications-api.ts';
import './notifications.css';

export function Bell() {
  const unread = useUnreadCount();
  const { path } = useLocation();
  const count = unread.data ?? 0;
  return (
    <Link
      to="/notifications"
      className="bell"
      data-bell
      data-unread={count}
      aria-current={path === '/notifications' ? 'page' : undefined}
      aria-label={count ? `Notifications: ${count} unread` : 'Notifications: none unread'}
      title="Notifications"
    >
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
        />
      </svg>
      {count > 0 && (
        <span className="bell-count" aria-hidden="true">
          {count > 99 ? '99+' : count}
        </span>
      )}
    </Link>
  );
}
