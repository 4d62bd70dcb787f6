// The frame around every signed-in page: where you are, where you can go, who you are, and whether the screen is live.
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { useLiveStatus } from '../api/live.ts';
import { mayAdminister, mayEditOrders, mayInvoice, mayOverride, mayQuote, ROLE_NAMES } from '../auth/roles.ts';
import { BrandMark } from '../auth/SignIn.tsx';
import { ME_KEY, signOut, useUser } from '../auth/session.tsx';
import { HOME_OF } from '../home/HomePage.tsx';
import { Bell } from '../notifications/Bell.tsx';
import { Link, navigate, useLocation } from './router.tsx';

const SCALE_KEY = 'floorboard.scale';

export function Shell({ children }: { children: ReactNode }) {
  const user = useUser();
  const qc = useQueryClient();
  const { path } = useLocation();
  const live = useLiveStatus();
  const [large, setLarge] = useState(() => localStorage.getItem(SCALE_KEY) === 'large');

  useEffect(() => {
    document.documentElement.dataset.scale = large ? 'large' : 'normal';
    localStorage.setItem(SCALE_KEY, large ? 'large' : 'normal');
  }, [large]);

  const nav: Array<[string, string, boolean]> = [
    ['/board', 'Board', true],
    ['/queue', 'My queue', true],
    ['/search', 'Find order', true],
    ['/customers', 'Customers', true],
    ['/scan', 'Scan', true],
    ['/sales', 'Sales', mayQuote(user.role)],
    ['/reports', 'Reports', true],
    ['/quote', 'Quote', mayQuote(user.role)],
    ['/invoicing', 'Invoicing', mayInvoice(user.role)],
    ['/orders/new', 'New order', mayEditOrders(user.role)],
    ['/import', 'Import', mayOverride(user.role)],
    ['/admin', 'Admin', mayAdminister(user.role)],
    ['/settings', 'Settings', mayAdminister(user.role)],
  ];
  // At `/` the page is the role's home: the tab of the page it shows is the current one.
  const home = `/${HOME_OF[user.role]}`;
  const current = (to: string) => (path === '/' ? to === home : path.startsWith(to));

  const leave = async () => {
    await signOut().catch(() => undefined);
    qc.setQueryData(ME_KEY, null);
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
    navigate('/board', { replace: true });
  };

  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="Floorboard: home">
          <BrandMark />
          <span>Floorboard</span>
        </Link>
        <nav aria-label="Main" className="nav">
          {nav
            .filter(([, , shown]) => shown)
            .map(([to, label]) => (
              <Link key={to} to={to} className="nav-link" aria-current={current(to) ? 'page' : undefined} data-nav={to}>
                {label}
              </Link>
            ))}
        </nav>
        <div className="topbar-end">
          <span className={`live live-${live}`} data-live={live} title="Changes by anyone appear here within a second">
            <span className="live-dot" aria-hidden="true" />
            {live === 'live' ? 'Live' : live === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
          </span>
          <button
            type="button"
            className="button ghost small"
            aria-pressed={large}
            onClick={() => setLarge(!large)}
            title="Larger text for a shop-floor screen"
          >
            Wall screen
          </button>
          <Bell />
          <Link to="/account" className="whoami" title="My account: name, password, two-factor sign-in" data-nav="/account">
            <span className="whoami-name">{user.name}</span>
            <span className="whoami-role">{ROLE_NAMES[user.role]}</span>
          </Link>
          <Link to="/tokens" className="button ghost small">
            API tokens
          </Link>
          <button type="button" className="button ghost small" onClick={leave} data-action="sign-out">
            Sign out
          </button>
        </div>
      </header>
      {children}
    </div>
  );
}
