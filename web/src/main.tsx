// Starts the web app: one query cache for the whole session, kept true by the live stream.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { boardQuery, workflowsQuery } from './api/queries.ts';
import { App } from './app/App.tsx';
import { ME_KEY, probablySignedIn, readMe } from './auth/session.tsx';
import { WORKFLOW_KEY } from './board/BoardPage.tsx';
import './styles/base.css';
import './styles/board.css';
import './styles/pages.css';
import './styles/homes.css';
import './styles/setup.css';
import './styles/files.css';
import './styles/customers.css';
import './styles/print.css';
import './styles/station.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Live events refresh what changed; focus alone is no reason to reload.
      refetchOnWindowFocus: false,
      staleTime: 30_000,
      retry: (count, err) => count < 2 && ((err as { status?: number }).status ?? 500) >= 500,
    },
  },
});

// Ask for the session, the workflows and the board all at once: on a shop-floor screen the board is the page,
// and waiting for each answer in turn (or for React to render before asking) would cost a round trip apiece.
const me = queryClient.fetchQuery({ queryKey: ME_KEY, queryFn: readMe, staleTime: Number.POSITIVE_INFINITY });
me.catch(() => undefined);
if (window.location.pathname === '/' || window.location.pathname === '/board') {
  // Only when this browser was signed in last time: the sign-in page must not log refused requests. A browser
  // that does not know (a cold screen) asks as soon as the session says someone is signed in, not after rendering.
  if (probablySignedIn()) startBoard();
  else
    void me.then(
      (user) => user && startBoard(),
      () => undefined,
    );
}

/** The board the page will show: the one asked for (or used last) at once, else the first workflow's. */
function startBoard(): void {
  const wanted = new URLSearchParams(window.location.search).get('workflow') ?? localStorage.getItem(WORKFLOW_KEY);
  if (wanted) void queryClient.prefetchQuery(boardQuery(wanted));
  queryClient.fetchQuery(workflowsQuery).then(
    (workflows) => {
      const key = workflows.find((w) => w.key === wanted)?.key ?? workflows[0]?.key;
      if (key && key !== wanted) void queryClient.prefetchQuery(boardQuery(key));
    },
    () => undefined,
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
