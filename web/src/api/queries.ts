// The data each page reads, as TanStack Query hooks; live events keep these caches true (see live.ts).
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { get, query } from './client.ts';
import type {
  Alert,
  ApiToken,
  Board,
  LeadTimeSummary,
  Order,
  OrderEvent,
  Page,
  Quote,
  ReadyList,
  Settings,
  SignIn,
  TrackingLink,
  User,
  Workflow,
} from './types.ts';

export const keys = {
  workflows: ['workflows'] as const,
  board: (workflow: string) => ['board', workflow] as const,
  order: (idOrNumber: string) => ['order', idOrNumber] as const,
  events: (orderId: string) => ['events', orderId] as const,
  queue: ['queue'] as const,
  users: ['users'] as const,
  tokens: (userId: string) => ['tokens', userId] as const,
  search: (q: string) => ['search', q] as const,
  recent: ['recent'] as const,
  alerts: ['alerts'] as const,
  ready: ['ready-to-invoice'] as const,
  tracking: (orderId: string) => ['tracking', orderId] as const,
  settings: ['settings'] as const,
  signIns: ['sign-ins'] as const,
};

export const workflowsQuery = queryOptions({
  queryKey: keys.workflows,
  queryFn: ({ signal }) => get<{ items: Workflow[] }>('/workflows', signal).then((r) => r.items),
  staleTime: 60_000,
});

export function useWorkflows() {
  return useQuery(workflowsQuery);
}

export const boardQuery = (workflow: string) =>
  queryOptions({
    queryKey: keys.board(workflow),
    queryFn: async ({ signal }) => {
      const board = await get<Board>(`/board${query({ workflow })}`, signal);
      performance.mark('board-data');
      return board;
    },
    // Live events keep the board true; a slow refresh brings time-based flags (stalled) up to date.
    staleTime: 60_000,
    refetchInterval: 5 * 60_000,
  });

export function useBoard(workflow: string | undefined) {
  return useQuery({ ...boardQuery(workflow ?? ''), enabled: Boolean(workflow) });
}

export function useOrder(idOrNumber: string) {
  return useQuery({
    queryKey: keys.order(idOrNumber),
    queryFn: ({ signal }) => get<Order>(`/orders/${encodeURIComponent(idOrNumber)}`, signal),
    retry: (count, err) => count < 2 && (err as { status?: number }).status !== 404,
  });
}

export function useOrderEvents(orderId: string | undefined) {
  return useQuery({
    queryKey: keys.events(orderId ?? ''),
    queryFn: ({ signal }) => get<Page<OrderEvent>>(`/orders/${orderId}/events?limit=500`, signal).then((r) => r.items),
    enabled: Boolean(orderId),
  });
}

/** Orders whose current stage my role owns: every page of them (a queue is short, but never cut). */
export function useQueue() {
  return useQuery({
    queryKey: keys.queue,
    queryFn: async ({ signal }) => {
      const all: Order[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<Order> = await get<Page<Order>>(`/orders${query({ owner: 'me', limit: 500, cursor })}`, signal);
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && all.length < 5000);
      return all;
    },
    refetchInterval: 5 * 60_000,
  });
}

export function useUsers(enabled = true) {
  return useQuery({
    queryKey: keys.users,
    queryFn: ({ signal }) => get<{ items: User[] }>('/users', signal).then((r) => r.items),
    enabled,
  });
}

export function useTokens(userId: string) {
  return useQuery({
    queryKey: keys.tokens(userId),
    queryFn: ({ signal }) => get<{ items: ApiToken[] }>(`/tokens${query({ userId })}`, signal).then((r) => r.items),
  });
}

/** Orders whose number, title, customer name or e-mail contain `q`; the last answer stays while the next is on its way. */
export function useOrderSearch(q: string) {
  return useQuery<Order[]>({
    queryKey: keys.search(q),
    queryFn: ({ signal }) => get<Page<Order>>(`/orders${query({ q, limit: 25 })}`, signal).then((r) => r.items),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}

/** The newest orders, newest first. */
export function useRecentOrders(limit = 15) {
  return useQuery({
    queryKey: keys.recent,
    queryFn: ({ signal }) => get<Page<Order>>(`/orders${query({ limit })}`, signal).then((r) => r.items),
  });
}

/** Open alerts, oldest first. */
export function useAlerts() {
  return useQuery({
    queryKey: keys.alerts,
    queryFn: ({ signal }) => get<Page<Alert>>('/alerts?limit=200', signal),
    refetchInterval: 60_000,
  });
}

export function useReadyToInvoice(enabled = true) {
  return useQuery({
    queryKey: keys.ready,
    queryFn: ({ signal }) => get<ReadyList>('/finance/ready-to-invoice?limit=200', signal),
    enabled,
  });
}

export function useQuote(workflow: string) {
  return useQuery({
    queryKey: ['quote', workflow],
    queryFn: ({ signal }) => get<Quote>(`/forecast/quote${query({ workflow })}`, signal),
    staleTime: 5 * 60_000,
  });
}

export function useLeadTime(workflow: string) {
  return useQuery({
    queryKey: ['lead-time', workflow],
    queryFn: ({ signal }) => get<LeadTimeSummary>(`/reports/lead-time${query({ workflow })}`, signal),
    staleTime: 5 * 60_000,
  });
}

export function useTrackingLink(orderId: string) {
  return useQuery({
    queryKey: keys.tracking(orderId),
    queryFn: ({ signal }) => get<TrackingLink>(`/orders/${orderId}/tracking`, signal),
  });
}

export function useSettings() {
  return useQuery({ queryKey: keys.settings, queryFn: ({ signal }) => get<Settings>('/settings', signal) });
}

export function useSignIns() {
  return useQuery({
    queryKey: keys.signIns,
    queryFn: ({ signal }) => get<Page<SignIn>>('/audit/sign-ins?limit=100', signal).then((r) => r.items),
  });
}
