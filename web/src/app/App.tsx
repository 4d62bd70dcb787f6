// The app: sign in first, then the page the path names, inside the shell, with live updates running.
import { lazy, Suspense } from 'react';
import { useLiveUpdates } from '../api/live.ts';
import { SignInPage } from '../auth/SignIn.tsx';
import { SessionProvider, useSession } from '../auth/session.tsx';
import { BoardPage } from '../board/BoardPage.tsx';
import { HomePage } from '../home/HomePage.tsx';
import { Notices } from '../ui/notices.tsx';
import { Link, useLocation } from './router.tsx';
import { Shell } from './Shell.tsx';

// The board is what most screens show all day; the rest loads when first opened.
const QueuePage = lazy(() => import('../queue/QueuePage.tsx').then((m) => ({ default: m.QueuePage })));
const OrderPage = lazy(() => import('../order/OrderPage.tsx').then((m) => ({ default: m.OrderPage })));
const NewOrderPage = lazy(() => import('../order/NewOrderPage.tsx').then((m) => ({ default: m.NewOrderPage })));
const AdminPage = lazy(() => import('../admin/AdminPage.tsx').then((m) => ({ default: m.AdminPage })));
const TokensPage = lazy(() => import('../admin/TokensPage.tsx').then((m) => ({ default: m.TokensPage })));
const SearchPage = lazy(() => import('../search/SearchPage.tsx').then((m) => ({ default: m.SearchPage })));
const SalesHome = lazy(() => import('../home/SalesHome.tsx').then((m) => ({ default: m.SalesHome })));
const InvoicingPage = lazy(() => import('../home/InvoicingPage.tsx').then((m) => ({ default: m.InvoicingPage })));
// The reports carry the chart library: only those who open them download it.
const ReportsPage = lazy(() => import('../reports/ReportsPage.tsx').then((m) => ({ default: m.ReportsPage })));
const QuotePage = lazy(() => import('../reports/QuotePage.tsx').then((m) => ({ default: m.QuotePage })));

export function App() {
  const session = useSession();
  const user = session.data?.user ?? null;
  useLiveUpdates(Boolean(user));

  if (session.isPending) return <div className="splash" aria-busy="true" />;
  if (session.isError) {
    return (
      <main className="page">
        <p className="form-error" role="alert">
          Floorboard is not answering: {session.error.message}
        </p>
      </main>
    );
  }
  return (
    <>
      {user ? (
        <SessionProvider user={user}>
          <Shell>
            <Suspense fallback={<div className="page muted">Loading…</div>}>
              <Page />
            </Suspense>
          </Shell>
        </SessionProvider>
      ) : (
        <SignInPage />
      )}
      <Notices />
    </>
  );
}

function Page() {
  const { path } = useLocation();
  // The front door depends on who you are; the board is always at /board.
  if (path === '/') return <HomePage />;
  if (path === '/board') return <BoardPage />;
  if (path === '/search') return <SearchPage />;
  if (path === '/sales') return <SalesHome />;
  if (path === '/invoicing') return <InvoicingPage />;
  if (path === '/reports') return <ReportsPage />;
  if (path === '/quote') return <QuotePage />;
  if (path === '/queue') return <QueuePage />;
  if (path === '/orders/new') return <NewOrderPage />;
  const order = /^\/orders\/([^/]+)$/.exec(path);
  if (order) return <OrderPage idOrNumber={decodeURIComponent(order[1]!)} />;
  if (path === '/admin' || path.startsWith('/admin/')) return <AdminPage section={path.split('/')[2] ?? 'users'} />;
  if (path === '/tokens') return <TokensPage />;
  return (
    <main className="page" id="main">
      <h1>Page not found</h1>
      <p>
        There is nothing at <code>{path}</code>. <Link to="/board">Go to the board</Link>.
      </p>
    </main>
  );
}
