// The daily digest's bookkeeping: who wants one, which days have had theirs, and the unread notices it lists.
import type { Kysely } from 'kysely';
import type { NotificationKind } from '../domain/notifications.ts';
import type { Notification } from './notifications.ts';
import type { Database } from './schema.ts';

export interface DigestReader {
  userId: string;
  email: string;
  digestKinds: NotificationKind[];
  digestHour: number;
}

/** Active users who chose at least one kind of notice for the digest. */
export async function digestReaders(db: Kysely<Database>): Promise<DigestReader[]> {
  const rows = await db
    .selectFrom('notification_preferences as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['u.id', 'u.email', 'p.digest_kinds', 'p.digest_hour'])
    .where('p.digest_kinds', '<>', '[]')
    .where('u.disabled_at', 'is', null)
    .orderBy('u.id')
    .execute();
  return rows.map((r) => ({
    userId: r.id,
    email: r.email,
    digestKinds: JSON.parse(r.digest_kinds) as NotificationKind[],
    digestHour: r.digest_hour,
  }));
}

/** The users among `userIds` whose digest for `localDate` is made already. */
export async function digestsMadeOn(db: Kysely<Database>, userIds: string[], localDate: string): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('notification_digests')
    .select('user_id')
    .where('local_date', '=', localDate)
    .where('user_id', 'in', userIds)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

/**
 * Claims a user's digest for a day: true for the one transaction that gets it. On PostgreSQL a second server
 * inserting the same key waits for the first to commit and then inserts nothing; if the first rolls back, it gets it.
 */
export async function claimDigest(
  tx: Kysely<Database>,
  userId: string,
  localDate: string,
  throughId: number,
  at: string,
): Promise<boolean> {
  const result = await tx
    .insertInto('notification_digests')
    .values({ user_id: userId, local_date: localDate, through_id: throughId, notices: 0, created_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'local_date']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Where the user's previous digest stopped: the newest notification it saw, or null before their first. */
export async function previousDigestThrough(tx: Kysely<Database>, userId: string, localDate: string): Promise<number | null> {
  const row = await tx
    .selectFrom('notification_digests')
    .select((eb) => eb.fn.max('through_id').as('through'))
    .where('user_id', '=', userId)
    .where('local_date', '<>', localDate)
    .executeTakeFirst();
  return row?.through === null || row?.through === undefined ? null : Number(row.through);
}

/**
 * The user's unread notices of the given kinds after a notification id (or, for a first digest, since a time) up to
 * and including `upTo`, newest first, and how many there are in all.
 */
export async function unreadForDigest(
  tx: Kysely<Database>,
  userId: string,
  kinds: NotificationKind[],
  range: { after: { id: number } | { since: string }; upTo: number },
  limit: number,
): Promise<{ notices: Array<Notification & { eventSeq: number }>; total: number }> {
  let q = tx
    .selectFrom('notifications')
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .where('kind', 'in', kinds)
    .where('id', '<=', range.upTo);
  const { after } = range;
  q = 'id' in after ? q.where('id', '>', after.id) : q.where('created_at', '>=', after.since);
  const count = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.selectAll().orderBy('id', 'desc').limit(limit).execute();
  return {
    total: Number(count.n),
    notices: rows.map((r) => ({
      id: r.id,
      kind: r.kind as NotificationKind,
      orderId: r.order_id,
      orderNumber: r.order_number,
      title: r.title,
      body: r.body,
      createdAt: r.created_at,
      readAt: r.read_at,
      eventSeq: r.event_seq,
    })),
  };
}

export async function recordDigest(
  tx: Kysely<Database>,
  userId: string,
  localDate: string,
  throughId: number,
  notices: number,
): Promise<void> {
  await tx
    .updateTable('notification_digests')
    .set({ through_id: throughId, notices })
    .where('user_id', '=', userId)
    .where('local_date', '=', localDate)
    .execute();
}
