// In-app notifications, each user's e-mail choices, and the people a notice goes to.
import type { Kysely, Selectable } from 'kysely';
import type { NotificationKind } from '../domain/notifications.ts';
import type { Role } from '../domain/roles.ts';
import type { Database, NotificationTable } from './schema.ts';

export interface Notification {
  id: number;
  kind: NotificationKind;
  orderId: string | null;
  orderNumber: string | null;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

function fromRow(r: Selectable<NotificationTable>): Notification {
  return {
    id: r.id,
    kind: r.kind as NotificationKind,
    orderId: r.order_id,
    orderNumber: r.order_number,
    title: r.title,
    body: r.body,
    createdAt: r.created_at,
    readAt: r.read_at,
  };
}

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  orderId: string | null;
  orderNumber: string | null;
  eventSeq: number;
  title: string;
  body: string;
  createdAt: string;
}

export async function insertNotifications(db: Kysely<Database>, list: NewNotification[]): Promise<void> {
  if (list.length === 0) return;
  await db
    .insertInto('notifications')
    .values(
      list.map((n) => ({
        user_id: n.userId,
        kind: n.kind,
        order_id: n.orderId,
        order_number: n.orderNumber,
        event_seq: n.eventSeq,
        title: n.title,
        body: n.body,
        created_at: n.createdAt,
        read_at: null,
      })),
    )
    .execute();
}

/** A user's notifications, newest first; `before` is the id to continue below. */
export async function userNotifications(
  db: Kysely<Database>,
  userId: string,
  page: { limit: number; before?: number | undefined; unreadOnly?: boolean | undefined },
): Promise<Notification[]> {
  let q = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
  if (page.before !== undefined) q = q.where('id', '<', page.before);
  if (page.unreadOnly) q = q.where('read_at', 'is', null);
  const rows = await q.orderBy('id', 'desc').limit(page.limit).execute();
  return rows.map(fromRow);
}

export async function unreadCount(db: Kysely<Database>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findNotification(db: Kysely<Database>, userId: string, id: number): Promise<Notification | undefined> {
  const row = await db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** Marks a user's notifications read: the given ones, or all of them; returns how many changed. */
export async function markRead(db: Kysely<Database>, userId: string, at: string, ids?: number[]): Promise<number> {
  let q = db.updateTable('notifications').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids) {
    if (ids.length === 0) return 0;
    q = q.where('id', 'in', ids);
  }
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function emailKindsOf(db: Kysely<Database>, userIds: string[]): Promise<Map<string, NotificationKind[]>> {
  const out = new Map<string, NotificationKind[]>();
  if (userIds.length === 0) return out;
  const rows = await db.selectFrom('notification_preferences').selectAll().where('user_id', 'in', userIds).execute();
  for (const r of rows) out.set(r.user_id, JSON.parse(r.email_kinds) as NotificationKind[]);
  return out;
}

export async function saveEmailKinds(db: Kysely<Database>, userId: string, kinds: NotificationKind[], at: string): Promise<void> {
  const email_kinds = JSON.stringify(kinds);
  await db
    .insertInto('notification_preferences')
    .values({ user_id: userId, email_kinds, updated_at: at })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ email_kinds, updated_at: at }))
    .execute();
}

export interface Recipient {
  id: string;
  email: string;
  role: Role;
}

/** Users who may be told: holding one of the roles and not disabled. */
export async function activeUsersWithRoles(db: Kysely<Database>, roles: Role[]): Promise<Recipient[]> {
  if (roles.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email', 'role'])
    .where('role', 'in', roles)
    .where('disabled_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, email: r.email, role: r.role as Role }));
}

/** The user behind an API token (to leave whoever caused an event out of its notices). */
export async function tokenOwner(db: Kysely<Database>, tokenId: string): Promise<string | null> {
  const row = await db.selectFrom('api_tokens').select('user_id').where('id', '=', tokenId).executeTakeFirst();
  return row?.user_id ?? null;
}

/** Whether the customer of an order is e-mailed; orders without a row are. */
export async function customerEmailsOn(db: Kysely<Database>, orderId: string): Promise<boolean> {
  const row = await db.selectFrom('order_customer_updates').select('email').where('order_id', '=', orderId).executeTakeFirst();
  return row ? row.email === 1 : true;
}

export async function setCustomerEmails(db: Kysely<Database>, orderId: string, email: boolean, at: string): Promise<void> {
  const value = email ? 1 : 0;
  await db
    .insertInto('order_customer_updates')
    .values({ order_id: orderId, email: value, changed_at: at })
    .onConflict((oc) => oc.column('order_id').doUpdateSet({ email: value, changed_at: at }))
    .execute();
}
