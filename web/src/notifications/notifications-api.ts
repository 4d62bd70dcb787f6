// My notifications as TanStack Query hooks: the bell's count, the inbox, marking read, and how each kind reaches me.
// The live stream's `notification` event refreshes them (see live.ts); the count is also re-read every 30 s, for
// notices marked read in another tab.
import { type QueryClient, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { Delivery } from '../../../src/domain/notice-delivery.ts';
import type { NotificationKind } from '../../../src/domain/notifications.ts';
import { get, post, put, query } from '../api/client.ts';

export type { Delivery, NotificationKind };

export interface Notice {
  id: number;
  kind: NotificationKind;
  orderId: string | null;
  orderNumber: string | null;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

interface InboxPage {
  items: Notice[];
  nextCursor: string | null;
  unreadCount: number;
}

export interface NoticePreferences {
  emailKinds: NotificationKind[];
  digestKinds: NotificationKind[];
  digestHour: number;
  delivery: Record<NotificationKind, Delivery>;
  available: NotificationKind[];
}

/** Everything under this key is refreshed when a notice arrives or is marked read. */
export const NOTIFICATIONS_KEY = ['notifications'] as const;
const UNREAD_KEY = [...NOTIFICATIONS_KEY, 'unread-count'] as const;
const PREFERENCES_KEY = ['notification-preferences'] as const;

/** What each kind of notice is about, in the words of the people who get it. */
export const KIND_NAMES: Record<NotificationKind, string> = {
  'stage-entered': 'An order reaches a stage my role owns',
  stalled: 'An order in my stage has stalled',
  escalated: 'An order is escalated (stuck twice as long as allowed)',
  'at-risk': 'An order may miss its due date',
  overdue: 'An order is past its due date',
  'due-soon': 'An order in my stage is due soon',
  'ready-to-invoice': 'An order is ready to invoice',
  'problem-reported': 'Someone on the floor reports a problem with an order in my stage',
};

export function useUnreadCount() {
  return useQuery({
    queryKey: UNREAD_KEY,
    queryFn: ({ signal }) => get<{ unreadCount: number }>('/notifications/unread-count', signal).then((r) => r.unreadCount),
    staleTime: 0,
    refetchInterval: 30_000,
  });
}

export function useInbox(unreadOnly: boolean) {
  return useInfiniteQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'inbox', unreadOnly],
    queryFn: ({ pageParam, signal }) =>
      get<InboxPage>(`/notifications${query({ unread: unreadOnly && 'true', cursor: pageParam, limit: 50 })}`, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 0,
  });
}

export async function markRead(qc: QueryClient, id: number): Promise<void> {
  await post<Notice>(`/notifications/${id}/read`);
  await qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
}

export async function markAllRead(qc: QueryClient): Promise<number> {
  const { marked } = await post<{ marked: number }>('/notifications/read-all');
  await qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
  return marked;
}

export function usePreferences() {
  return useQuery({
    queryKey: PREFERENCES_KEY,
    queryFn: ({ signal }) => get<NoticePreferences>('/notifications/preferences', signal),
  });
}

export async function savePreferences(
  qc: QueryClient,
  change: { delivery: Partial<Record<NotificationKind, Delivery>>; digestHour: number },
): Promise<NoticePreferences> {
  const saved = await put<NoticePreferences>('/notifications/preferences', change);
  qc.setQueryData(PREFERENCES_KEY, saved);
  return saved;
}
