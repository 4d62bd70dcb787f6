// In-app notifications, each user's e-mail choices, and the people a notice goes to.
import { type Kysely, type Selectable, sql } from 'kysely';
import { DEFAULT_DELIVERY, type DeliveryChoice } from '../domain/notice-delivery.ts';
import type { NotificationKind } from '../domain/notifications.ts';
import type { Role } from '../domain/roles.ts';
import type { Dialect } from './db.ts';
import type { Database, NotificationTable } from './schema.ts';

/** Advisory lock class that makes notifications commit in id order on PostgreSQL; the second key is the schema. */
const NOTICE_ORDER_LOCK = 7_410_043;

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

/**
 * Inserts notifications; call in the transaction that makes them. On PostgreSQL two servers' dispatchers insert at
 * once, and a lower id could commit after a higher one that the live feed had already read past: a transaction-long
 * advisory lock taken before the ids are drawn makes them commit in order (SQLite has one writer anyway). Readers
 * of "notifications after id N" (the live feed, the digest) then never miss one.
 */
export async function insertNotifications(
  db: Kysely<Database>,
  list: NewNotification[],
  dialect: Dialect = 'sqlite',
): Promise<void> {
  if (list.length === 0) return;
  if (dialect === 'postgres') {
    await sql`select pg_advisory_xact_lock(${NOTICE_ORDER_LOCK}, hashtext(current_schema()))`.execute(db);
  }
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

/** A user's choice of how notices reach them; the default until they choose. */
export async function deliveryChoiceOf(db: Kysely<Database>, userId: string): Promise<DeliveryChoice> {
  const row = await db.selectFrom('notification_preferences').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!row) return { ...DEFAULT_DELIVERY };
  return {
    emailKinds: JSON.parse(row.email_kinds) as NotificationKind[],
    digestKinds: JSON.parse(row.digest_kinds) as NotificationKind[],
    digestHour: row.digest_hour,
  };
}

export async function saveDeliveryChoice(
  db: Kysely<Database>,
  userId: string,
  choice: DeliveryChoice,
  at: string,
): Promise<void> {
  const values = {
    email_kinds: JSON.stringify(choice.emailKinds),
    digest_kinds: JSON.stringify(choice.digestKinds),
    digest_hour: choice.digestHour,
    updated_at: at,
  };
  await db
    .insertInto('notification_preferences')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute();
}

/** A notification as the live feed hands it to its reader's screens. */
export interface FeedNotice {
  id: number;
  userId: string;
  kind: NotificationKind;
  orderId: string | null;
  orderNumber: string | null;
  title: string;
  createdAt: string;
}

/** Everyone's notifications after `id`, oldest first (the live feed's read). */
export async function noticesAfter(db: Kysely<Database>, id: number, limit = 1000): Promise<FeedNotice[]> {
  const rows = await db
    .selectFrom('notifications')
    .select(['id', 'user_id', 'kind', 'order_id', 'order_number', 'title', 'created_at'])
    .where('id', '>', id)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    kind: r.kind as NotificationKind,
    orderId: r.order_id,
    orderNumber: r.order_number,
    title: r.title,
    createdAt: r.created_at,
  }));
}

/** The newest notification's id (0 when there is none); with `userId`, the newest of that user's. */
export async function newestNotificationId(db: Kysely<Database>, userId?: string): Promise<number> {
  let q = db.selectFrom('notifications').select((eb) => eb.fn.max('id').as('id'));
  if (userId !== undefined) q = q.where('user_id', '=', userId);
  const row = await q.executeTakeFirst();
  return Number(row?.id ?? 0);
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
