// Queries for password-reset links. Their tokens arrive here already hashed.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface PasswordReset {
  id: string;
  userId: string;
  requestedBy: string | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export async function insertPasswordReset(db: Kysely<Database>, reset: PasswordReset, tokenHash: string): Promise<void> {
  await db
    .insertInto('password_resets')
    .values({
      id: reset.id,
      token_hash: tokenHash,
      user_id: reset.userId,
      requested_by: reset.requestedBy,
      created_at: reset.createdAt,
      expires_at: reset.expiresAt,
      used_at: null,
    })
    .execute();
}

/** Ends a user's open reset links (a newer one replaces them; a used one ends the rest). */
export async function closeOpenResets(db: Kysely<Database>, userId: string, at: string): Promise<void> {
  await db
    .updateTable('password_resets')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}

/** When the user's last reset link was made, to send no more than one a minute to one address. */
export async function lastResetAt(db: Kysely<Database>, userId: string): Promise<string | null> {
  const row = await db
    .selectFrom('password_resets')
    .select('created_at')
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.created_at ?? null;
}

/** The link a token stands for while it can still be used: not used or replaced, not expired. */
export async function openResetByHash(db: Kysely<Database>, tokenHash: string, now: string): Promise<PasswordReset | undefined> {
  const r = await db
    .selectFrom('password_resets')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return r
    ? { id: r.id, userId: r.user_id, requestedBy: r.requested_by, createdAt: r.created_at, expiresAt: r.expires_at, usedAt: null }
    : undefined;
}

/** Uses the link up: true for the one caller whose update found it still open (check and write in one statement). */
export async function claimReset(db: Kysely<Database>, id: string, now: string): Promise<boolean> {
  const res = await db
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
