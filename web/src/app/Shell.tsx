// The frame around every signed-in page: where you are, where you can go, who you are, and whether the screen is live.
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { useLiveStatus } from '../api/live.ts';
import { mayAdminister, mayEditOrders, mayInvoice, mayOverride, mayQuote, ROLE_NAMES } from '../auth/roles.ts';
import { BrandMark } from '../auth/SignIn.tsx';
import { ME_KEY, signOut, useUser } from '../auth/session.tsx';
import { HOME_OF } from '../home/HomePage.tsx';
import { Bell } from '../notifications/Bell.tsx';
import { useWakeLock } from '../ui/wake-lock.ts';
import { Link, navigate, useLocation } from './router.tsx';

const SCALE_KEY = 'floorboard.scale';

export function Shell({ children }: { children: ReactNode }) {
  const user = useUser();
  const qc = useQueryClient();
  const { path } = useLocation();
  const live = useLiveStatus();
  const [large, setLarge] = useState(() => localStorage.getItem(SCALE_KEY) === 'large');
  const [menuOpen, setMenuOpen] = useState(false);
  // At `/` the page is the role's home: the tab of the page it shows is the current one.
  const home = `/${HOME_OF[user.role]}`;
  // The wall screen is the board with nothing around it: every stage at once, readable across the floor.
  const wall = large && (path === '/board' || (path === '/' && home === '/board'));
  useWakeLock(wall);

  useEffect(() => {
    document.documentElement.dataset.scale = large ? 'large' : 'normal';
    localStorage.setItem(SCALE_KEY, large ? 'large' : 'normal');
  }, [large]);
  useEffect(() => {
    if (wall) document.documentElement.dataset.wall = 'true';
    else delete document.documentElement.dataset.wall;
  }, [wall]);
  // A page chosen from the phone menu closes it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the path changing is the trigger
  useEffect(() => setMenuOpen(false), [path]);

  const liveBadge = (
    <span className={`live live-${live}`} data-live={live} title="Changes by anyone appear here within a second">
      <span className="live-dot" aria-hidden="true" />
      {live === 'live' ? 'Live' : live === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
    </span>
  );
  if (wall) {
    return (
      <div className="shell shell-wall">
        <header className="topbar topbar-wall">
          <span className="brand">
            <BrandMark />
            <span>Floorboard</span>
          </span>
          <div className="topbar-end">
            {liveBadge}
            <button type="button" className="button ghost small" onClick={() => setLarge(false)}>
              Leave wall screen
            </button>
          </div>
        </header>
        {children}
      </div>
    );
  }

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
        <button
          type="button"
          className="button ghost small menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <nav aria-label="Main" id="main-nav" className={menuOpen ? 'nav nav-open' : 'nav'}>
          {nav
            .filter(([, , shown]) => shown)
            .map(([to, label]) => (
              <Link key={to} to={to} className="nav-link" aria-current={current(to) ? 'page' : undefined} data-nav={to}>
                {label}
              </Link>
            ))}
        </nav>
        <div className="topbar-end">
          {liveBadge}
          <button
            type="button"
            className="button ghost small"
            aria-pressed={large}
            onClick={() => {
              // Turning it on opens the board: the wall screen is the board, large, with nothing around it.
              if (!large && !path.startsWith('/board')) navigate('/board');
              setLarge(!large);
            }}
            title="The board large, every stage at once, for a screen on the shop floor"
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
