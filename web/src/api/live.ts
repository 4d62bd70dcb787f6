// Live updates: follows /api/v1/stream and brings every cached board, queue and order page up to date
// within a second of anyone's change. A board changes card by card; a burst of changes reloads it whole.
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { ORDER_EVENT_TYPES, SYSTEM_EVENT_TYPES } from '../../../src/domain/events.ts';
import { cardFromOrder, findCard, placeCard } from '../board/board-cache.ts';
import { NOTIFICATIONS_KEY } from '../notifications/notifications-api.ts';
import { ApiProblem, get } from './client.ts';
import { keys } from './queries.ts';
import type { Board, LiveChange, Order } from './types.ts';

/** Beyond this many changed orders in one batch, reloading the board is cheaper than fetching each. */
const BURST = 25;

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

let status: LiveStatus = 'connecting';
const statusListeners = new Set<() => void>();
function setStatus(next: LiveStatus) {
  status = next;
  for (const l of statusListeners) l();
}

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(
    (l) => {
      statusListeners.add(l);
      return () => statusListeners.delete(l);
    },
    () => status,
  );
}

/** Events that change what a card shows (its flags) without a new order version. */
const FLAG_EVENTS = new Set(['order.stalled', 'order.escalated', 'order.at_risk', 'order.overdue']);

/** Orders that changed, with the newest version heard of, waiting for the next flush. */
class ChangeBatch {
  /** Order id → newest version heard of; null when the card must be read again whatever its version. */
  orders = new Map<string, number | null>();
  other = new Set<string>();

  add(change: LiveChange) {
    if (!change.orderId) {
      this.other.add(change.type);
      return;
    }
    const seen = this.orders.get(change.orderId);
    if (seen === null || FLAG_EVENTS.has(change.type) || change.version === null) this.orders.set(change.orderId, null);
    else this.orders.set(change.orderId, Math.max(seen ?? 0, change.version));
  }
}

async function fetchOrder(id: string): Promise<Order | null> {
  try {
    return await get<Order>(`/orders/${id}`);
  } catch (err) {
    if (err instanceof ApiProblem && err.status === 404) return null;
    throw err;
  }
}

/** Applies one batch of changes to every cache that shows those orders. */
export async function applyChanges(qc: QueryClient, batch: ChangeBatch): Promise<void> {
  if (batch.other.size) {
    if ([...batch.other].some((t) => t.startsWith('workflow.'))) {
      await qc.invalidateQueries({ queryKey: keys.workflows });
      await qc.invalidateQueries({ queryKey: ['board'] });
    }
    if ([...batch.other].some((t) => t.startsWith('user.'))) await qc.invalidateQueries({ queryKey: keys.users });
    if ([...batch.other].some((t) => t.startsWith('token.'))) await qc.invalidateQueries({ queryKey: ['tokens'] });
    // Another admin's settings change moves flags and etas (a new calendar): read what shows them again.
    if (batch.other.has('settings.changed')) {
      for (const key of [keys.settings, ['board'], ['order'], keys.queue, keys.alerts])
        void qc.invalidateQueries({ queryKey: key });
    }
    if ([...batch.other].some((t) => t.startsWith('webhook.'))) await qc.invalidateQueries({ queryKey: ['webhooks'] });
  }
  if (batch.orders.size === 0) return;
  const ids = [...batch.orders.keys()];

  // Order pages and histories: refetch those that are showing one of these orders.
  void qc.invalidateQueries({
    predicate: (q) =>
      (q.queryKey[0] === 'order' && ids.includes((q.state.data as Order | undefined)?.id ?? '')) ||
      (q.queryKey[0] === 'events' && ids.includes(String(q.queryKey[1]))) ||
      (q.queryKey[0] === 'files' && ids.includes(String(q.queryKey[1]))),
  });
  void qc.invalidateQueries({ queryKey: keys.queue });
  // Lists that show these orders among others: search results, the newest orders, alerts, invoicing, tracking links.
  for (const key of [['search'], keys.recent, keys.alerts, keys.ready, ['tracking']])
    void qc.invalidateQueries({ queryKey: key });

  const boards = qc.getQueriesData<Board>({ queryKey: ['board'] }).filter(([, b]) => b);
  if (boards.length === 0) return;
  const stale = ids.filter((id) => {
    const version = batch.orders.get(id);
    return boards.some(([, board]) => {
      const card = findCard(board!, id);
      return !card || version === null || version === undefined || card.version < version;
    });
  });
  if (stale.length === 0) return;
  if (stale.length > BURST) {
    await qc.invalidateQueries({ queryKey: ['board'] });
    return;
  }
  const orders = await Promise.all(stale.map(async (id) => [id, await fetchOrder(id)] as const));
  for (const [key] of boards) {
    qc.setQueryData<Board>(key, (board) => {
      if (!board) return board;
      let next = board;
      for (const [id, order] of orders) {
        if (order && order.workflow !== board.workflow.key) continue;
        if (!order && !findCard(next, id)) continue;
        next = placeCard(next, id, order ? cardFromOrder(order) : null);
      }
      return next;
    });
  }
}

/** Keeps one stream open while the app is signed in. */
export function useLiveUpdates(enabled: boolean): void {
  const qc = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | null = null;
    let batch = new ChangeBatch();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let lostContact = false;
    let closed = false;

    const flush = () => {
      timer = undefined;
      const current = batch;
      batch = new ChangeBatch();
      applyChanges(qc, current).catch(() => qc.invalidateQueries({ queryKey: ['board'] }));
    };
    const onEvent = (e: MessageEvent<string>) => {
      try {
        batch.add(JSON.parse(e.data) as LiveChange);
      } catch {
        return;
      }
      // Collect for a moment: twenty people moving at once become one update, not twenty.
      timer ??= setTimeout(flush, 80);
    };

    const open = () => {
      source = new EventSource('/api/v1/stream');
      for (const type of [...ORDER_EVENT_TYPES, ...SYSTEM_EVENT_TYPES]) source.addEventListener(type, onEvent);
      // A notice of my own: the bell and the inbox read theirs again.
      source.addEventListener('notification', () => void qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }));
      source.onopen = () => {
        setStatus('live');
        // The stream replays what we missed (Last-Event-ID); a fresh read covers a new connection too.
        if (lostContact) void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
        lostContact = false;
      };
      source.onerror = () => {
        lostContact = true;
        setStatus('reconnecting');
        if (source?.readyState === EventSource.CLOSED && !closed) {
          // The browser gave up (e.g. the session ended or the server restarted): try again shortly.
          source.close();
          void qc.invalidateQueries({ queryKey: ['me'] });
          retry = setTimeout(open, 3000);
        }
      };
    };
    setStatus('connecting');
    open();
    return () => {
      closed = true;
      clearTimeout(timer);
      clearTimeout(retry);
      source?.close();
    };
  }, [enabled, qc]);
}
