// Where each person lands: the view their job needs first. Shop-floor roles get their queue, sales new orders and
// lead times, customer service the search, finance what is ready to invoice, managers the board with its alerts.
import { lazy } from 'react';
import type { Role } from '../api/types.ts';
import { useUser } from '../auth/session.tsx';
import { BoardPage } from '../board/BoardPage.tsx';

const QueuePage = lazy(() => import('../queue/QueuePage.tsx').then((m) => ({ default: m.QueuePage })));
const SalesHome = lazy(() => import('./SalesHome.tsx').then((m) => ({ default: m.SalesHome })));
const SearchPage = lazy(() => import('../search/SearchPage.tsx').then((m) => ({ default: m.SearchPage })));
const InvoicingPage = lazy(() => import('./InvoicingPage.tsx').then((m) => ({ default: m.InvoicingPage })));

/** The page `/` shows for each role. */
export const HOME_OF: Record<Role, 'queue' | 'sales' | 'search' | 'invoicing' | 'board'> = {
  production: 'queue',
  fulfillment: 'queue',
  procurement: 'queue',
  sales: 'sales',
  service: 'search',
  finance: 'invoicing',
  manager: 'board',
  admin: 'board',
  viewer: 'board',
};

export function HomePage() {
  const user = useUser();
  switch (HOME_OF[user.role]) {
    case 'queue':
      return <QueuePage />;
    case 'sales':
      return <SalesHome />;
    case 'search':
      return <SearchPage />;
    case 'invoicing':
      return <InvoicingPage />;
    default:
      return <BoardPage />;
  }
}
