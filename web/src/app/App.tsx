// The app: sign in first, then the page the path names, inside the shell, with live updates running.
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { useLiveUpdates } from '../api/live.ts';
import { ResetPasswordPage } from '../auth/ResetPassword.tsx';
import { SignInPage } from '../auth/SignIn.tsx';
import { SessionProvider, useSession } from '../auth/session.tsx';
import { BoardPage } from '../board/BoardPage.tsx';
import { HomePage } from '../home/HomePage.tsx';
import { InvitePage } from '../setup/InvitePage.tsx';
import { readSetup, SETUP_KEY } from '../setup/setup-api.ts';
import { StationBar } from '../tablet/StationBar.tsx';
import { StationPicker } from '../tablet/StationPicker.tsx';
import { stationDevice } from '../tablet/station-device.ts';
import { TabletLink } from '../tablet/TabletLink.tsx';
import { Notices } from '../ui/notices.tsx';
import { Link, useLocation } from './router.tsx';
import { Shell } from './Shell.tsx';

// The board is what most screens show all day; the rest loads when first opened.
const QueuePage = lazy(() => import('../queue/QueuePage.tsx').then((m) => ({ default: m.QueuePage })));
const OrderPage = lazy(() => import('../order/OrderPage.tsx').then((m) => ({ default: m.OrderPage })));
const NewOrderPage = lazy(() => import('../order/NewOrderPage.tsx').then((m) => ({ default: m.NewOrderPage })));
const AdminPage = lazy(() => import('../admin/AdminPage.tsx').then((m) => ({ default: m.AdminPage })));
const SettingsPage = lazy(() => import('../settings/SettingsPage.tsx').then((m) => ({ default: m.SettingsPage })));
const TokensPage = lazy(() => import('../admin/TokensPage.tsx').then((m) => ({ default: m.TokensPage })));
const SearchPage = lazy(() => import('../search/SearchPage.tsx').then((m) => ({ default: m.SearchPage })));
const SalesHome = lazy(() => import('../home/SalesHome.tsx').then((m) => ({ default: m.SalesHome })));
const InvoicingPage = lazy(() => import('../home/InvoicingPage.tsx').then((m) => ({ default: m.InvoicingPage })));
// The reports carry the chart library: only those who open them download it.
const ReportsPage = lazy(() => import('../reports/ReportsPage.tsx').then((m) => ({ default: m.ReportsPage })));
const SetupPage = lazy(() => import('../setup/SetupPage.tsx').then((m) => ({ default: m.SetupPage })));
const TeamSetupPage = lazy(() => import('../setup/TeamSetupPage.tsx').then((m) => ({ default: m.TeamSetupPage })));
const ImportPage = lazy(() => import('../import/ImportPage.tsx').then((m) => ({ default: m.ImportPage })));
const InboxPage = lazy(() => import('../notifications/InboxPage.tsx').then((m) => ({ default: m.InboxPage })));
const CustomersPage = lazy(() => import('../customers/CustomersPage.tsx').then((m) => ({ default: m.CustomersPage })));
const CustomerPage = lazy(() => import('../customers/CustomerPage.tsx').then((m) => ({ default: m.CustomerPage })));
const AccountPage = lazy(() => import('../account/AccountPage.tsx').then((m) => ({ default: m.AccountPage })));
const QuotePage = lazy(() => import('../reports/QuotePage.tsx').then((m) => ({ default: m.QuotePage })));
const ScanPage = lazy(() => import('../scan/ScanPage.tsx').then((m) => ({ default: m.ScanPage })));
const StationPage = lazy(() => import('../station/StationPage.tsx').then((m) => ({ default: m.StationPage })));

export function App() {
  const session = useSession();
  const me = session.data ?? null;
  const user = me?.user ?? null;
  const { path } = useLocation();
  useLiveUpdates(Boolean(user));
  const station = stationDevice();
  // An invite link is opened as what it is, whoever is signed in on this browser.
  const invite = /^\/invite\/([^/]+)$/.exec(path);
  if (invite) {
    return (
      <>
        <InvitePage token={decodeURIComponent(invite[1]!)} />
        <Notices />
      </>
    );
  }
  const reset = /^\/reset-password\/([^/]+)$/.exec(path);
  if (reset) return <ResetPasswordPage token={decodeURIComponent(reset[1]!)} />;
  // A station's link: this browser becomes a shared station tablet.
  if (path === '/tablet') return <TabletLink />;

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
      {me ? (
        <SessionProvider me={me}>
          {station && <StationBar station={station} />}
          <Shell>
            <Suspense fallback={<div className="page muted">Loading…</div>}>
              <Page />
            </Suspense>
          </Shell>
        </SessionProvider>
      ) : (
        <SignedOut />
      )}
      <Notices />
    </>
  );
}

/** Sign-in, or on a workspace nobody uses yet, its setup. */
function SignedOut() {
  const { path } = useLocation();
  const setup = useQuery({ queryKey: SETUP_KEY, queryFn: readSetup, staleTime: Number.POSITIVE_INFINITY, retry: 1 });
  // A shared station tablet asks "Who are you?" instead of an e-mail and password.
  const [, setForgotten] = useState(0);
  if (stationDevice()) return <StationPicker onNoStation={() => setForgotten((n) => n + 1)} />;
  if (setup.isPending) return <div className="splash" aria-busy="true" />;
  if (setup.data?.needed) {
    return (
      <Suspense fallback={<div className="splash" aria-busy="true" />}>
        <SetupPage state={setup.data} />
      </Suspense>
    );
  }
  return <SignInPage forgot={path === '/forgot-password'} />;
}

function Page() {
  const { path } = useLocation();
  // The front door depends on who you are; the board is always at /board.
  if (path === '/') return <HomePage />;
  if (path === '/board') return <BoardPage />;
  if (path === '/search') return <SearchPage />;
  if (path === '/scan') return <ScanPage />;
  if (path === '/sales') return <SalesHome />;
  if (path === '/invoicing') return <InvoicingPage />;
  if (path === '/reports') return <ReportsPage />;
  if (path === '/quote') return <QuotePage />;
  if (path === '/queue') return <QueuePage />;
  if (path === '/orders/new') return <NewOrderPage />;
  const order = /^\/orders\/([^/]+)$/.exec(path);
  if (order) return <OrderPage idOrNumber={decodeURIComponent(order[1]!)} />;
  const station = /^\/station\/([^/]+)$/.exec(path);
  if (station) return <StationPage number={decodeURIComponent(station[1]!)} />;
  if (path === '/admin' || path.startsWith('/admin/')) return <AdminPage section={path.split('/')[2] ?? 'users'} />;
  if (path === '/settings' || path.startsWith('/settings/')) return <SettingsPage section={path.split('/')[2] ?? 'shop'} />;
  // The tracking page's look moved into the settings.
  if (path === '/admin/tracking') return <SettingsPage section="shop" />;
  if (path === '/tokens') return <TokensPage />;
  if (path === '/account') return <AccountPage />;
  if (path === '/setup/team') return <TeamSetupPage />;
  if (path === '/import') return <ImportPage />;
  if (path === '/notifications') return <InboxPage />;
  if (path === '/customers') return <CustomersPage />;
  const customer = /^\/customers\/([^/]+)$/.exec(path);
  if (customer) return <CustomerPage key={customer[1]} id={decodeURIComponent(customer[1]!)} />;
  return (
    <main className="page" id="main">
      <h1>Page not found</h1>
      <p>
        There is nothing at <code>{path}</code>. <Link to="/board">Go to the board</Link>.
      </p>
    </main>
  );
}
