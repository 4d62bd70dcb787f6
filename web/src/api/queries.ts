// The data each page reads, as TanStack Query hooks; live events keep these caches true (see live.ts).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { get, query } from './client.ts';
import type { ApiToken, Board, Order, OrderEvent, Page, User, Workflow } from './types.ts';

export const keys = {
  workflows: ['workflows'] as const,
  board: (workflow: string) => ['board', workflow] as const,
  order: (idOrNumber: string) => ['order', idOrNumber] as const,
  events: (orderId: string) => ['events', orderId] as const,
  queue: ['queue'] as const,
  users: ['users'] as const,
  tokens: (userId: string) => ['tokens', userId] as const,
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
