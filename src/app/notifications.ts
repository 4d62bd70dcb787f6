// A user's in-app inbox (read, mark read) and their choice of how each kind of notice reaches them.
import {
  changeDelivery,
  type Delivery,
  type DeliveryChange,
  type DeliveryChoice,
  deliveryByKind,
} from '../domain/notice-delivery.ts';
import { NOTIFICATION_KINDS, type NotificationKind } from '../domain/notifications.ts';
import {
  deliveryChoiceOf,
  findNotification,
  markRead,
  type Notification,
  saveDeliveryChoice,
  unreadCount,
  userNotifications,
} from '../store/notifications.ts';
import type { Actor, AppContext } from './context.ts';
import { forbidden, notFound, validationFailed } from './problem.ts';

export interface Inbox {
  items: Notification[];
  nextCursor: string | null;
  unreadCount: number;
}

function userOf(actor: Actor): string {
  if (!actor.userId) throw forbidden('Only a signed-in user has notifications');
  return actor.userId;
}

function beforeOf(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  if (!/^\d{1,12}$/.test(cursor)) {
    throw validationFailed('cursor is not one this server gave out', [{ path: 'querystring.cursor', message: 'is not valid' }]);
  }
  return Number(cursor);
}

/** My notifications, newest first, with how many are unread (the bell's number). */
export async function inbox(
  app: AppContext,
  actor: Actor,
  query: { limit: number; cursor?: string | undefined; unread?: boolean | undefined },
): Promise<Inbox> {
  const userId = userOf(actor);
  const db = app.db.kysely;
  const rows = await userNotifications(db, userId, {
    limit: query.limit + 1,
    before: beforeOf(query.cursor),
    unreadOnly: query.unread,
  });
  const items = rows.slice(0, query.limit);
  return {
    items,
    nextCursor: rows.length > query.limit ? String(items[items.length - 1]!.id) : null,
    unreadCount: await unreadCount(db, userId),
  };
}

export async function unreadNotifications(app: AppContext, actor: Actor): Promise<{ unreadCount: number }> {
  return { unreadCount: await unreadCount(app.db.kysely, userOf(actor)) };
}

export async function markNotificationRead(app: AppContext, actor: Actor, id: number): Promise<Notification> {
  const userId = userOf(actor);
  const db = app.db.kysely;
  // Someone else's notification is "not found", not "forbidden": its existence is not mine to know.
  if (!(await findNotification(db, userId, id))) throw notFound(`Notification ${id}`);
  await markRead(db, userId, app.clock.now().toISOString(), [id]);
  return (await findNotification(db, userId, id))!;
}

export async function markAllNotificationsRead(app: AppContext, actor: Actor): Promise<{ marked: number; unreadCount: number }> {
  const userId = userOf(actor);
  const marked = await markRead(app.db.kysely, userId, app.clock.now().toISOString());
  return { marked, unreadCount: await unreadCount(app.db.kysely, userId) };
}

export interface NotificationPreferences extends DeliveryChoice {
  /** How each kind of notice reaches me: in the app only, also by e-mail at once, or in the daily digest. */
  delivery: Record<NotificationKind, Delivery>;
  /** Every kind there is. */
  available: NotificationKind[];
}

function present(choice: DeliveryChoice): NotificationPreferences {
  return { ...choice, delivery: deliveryByKind(choice), available: [...NOTIFICATION_KINDS] };
}

export async function notificationPreferences(app: AppContext, actor: Actor): Promise<NotificationPreferences> {
  return present(await deliveryChoiceOf(app.db.kysely, userOf(actor)));
}

export async function setNotificationPreferences(
  app: AppContext,
  actor: Actor,
  change: DeliveryChange,
): Promise<NotificationPreferences> {
  const userId = userOf(actor);
  const db = app.db.kysely;
  const next = changeDelivery(await deliveryChoiceOf(db, userId), change);
  if ('code' in next) {
    if (next.code === 'kind-in-both') {
      throw validationFailed(`A kind of notice comes either at once or in the digest: ${next.kinds.join(', ')}`, [
        { path: 'body.digestKinds', message: `also in emailKinds: ${next.kinds.join(', ')}` },
      ]);
    }
    if (next.code === 'two-ways') throw validationFailed(next.detail, [{ path: 'body.delivery', message: next.detail }]);
    throw validationFailed('Send emailKinds, digestKinds, delivery or digestHour', [
      { path: 'body', message: 'names nothing to change' },
    ]);
  }
  await saveDeliveryChoice(db, userId, next, app.clock.now().toISOString());
  return present(next);
}
