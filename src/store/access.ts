// Queries for users, API tokens and sign-in sessions. Secrets arrive here already hashed.
import type { Kysely } from 'kysely';
import type { Role } from '../domain/roles.ts';
import type { ApiTokenTable, Database, UserTable } from './schema.ts';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  disabledAt: string | null;
  /** Signs in with a code from an authenticator app as well as the password. */
  twoFactor: boolean;
}

export interface ApiToken {
  id: string;
  userId: string;
  label: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

function userFromRow(r: UserTable): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role as Role,
    createdAt: r.created_at,
    disabledAt: r.disabled_at,
    twoFactor: r.two_factor_since !== null,
  };
}

function tokenFromRow(r: ApiTokenTable): ApiToken {
  return {
    id: r.id,
    userId: r.user_id,
    label: r.label,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  };
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(db: Kysely<Database>, user: User, passwordHash: string): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      password_hash: passwordHash,
      created_at: user.createdAt,
      disabled_at: user.disabledAt,
    })
    .execute();
}

export async function updateUser(
  db: Kysely<Database>,
  id: string,
  changes: Partial<{ name: string; role: Role; disabledAt: string | null; passwordHash: string }>,
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      ...(changes.disabledAt !== undefined ? { disabled_at: changes.disabledAt } : {}),
      ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function findUserById(db: Kysely<Database>, id: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? userFromRow(row) : undefined;
}

export async function findUserByEmail(
  db: Kysely<Database>,
  email: string,
): Promise<{ user: User; passwordHash: string } | undefined> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  return row ? { user: userFromRow(row), passwordHash: row.password_hash } : undefined;
}

/** A user with their password hash, to check a password they give again (changing it, two-factor settings). */
export async function findUserWithPassword(
  db: Kysely<Database>,
  id: string,
): Promise<{ user: User; passwordHash: string } | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? { user: userFromRow(row), passwordHash: row.password_hash } : undefined;
}

export async function listUsers(db: Kysely<Database>): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('email').execute();
  return rows.map(userFromRow);
}

export async function insertToken(db: Kysely<Database>, token: ApiToken, tokenHash: string): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({
      id: token.id,
      user_id: token.userId,
      label: token.label,
      token_hash: tokenHash,
      created_at: token.createdAt,
      expires_at: token.expiresAt,
      revoked_at: token.revokedAt,
    })
    .execute();
}

export async function listTokens(db: Kysely<Database>, userId?: string): Promise<ApiToken[]> {
  let q = db.selectFrom('api_tokens').selectAll();
  if (userId) q = q.where('user_id', '=', userId);
  const rows = await q.orderBy('created_at').execute();
  return rows.map(tokenFromRow);
}

export async function findToken(db: Kysely<Database>, id: string): Promise<ApiToken | undefined> {
  const row = await db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? tokenFromRow(row) : undefined;
}

export async function revokeToken(db: Kysely<Database>, id: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

/** The user behind a token hash, if the token is live (not revoked, not expired, user not disabled). */
export async function userForTokenHash(
  db: Kysely<Database>,
  tokenHash: string,
  now: string,
): Promise<{ user: User; token: ApiToken } | undefined> {
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .selectAll('t')
    .select(['u.email', 'u.name', 'u.role', 'u.created_at as user_created_at', 'u.disabled_at', 'u.two_factor_since'])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || row.disabled_at !== null) return undefined;
  if (row.expires_at !== null && row.expires_at <= now) return undefined;
  return {
    token: tokenFromRow(row),
    user: {
      id: row.user_id,
      email: row.email,
      name: row.name,
      role: row.role as Role,
      createdAt: row.user_created_at,
      disabledAt: null,
      twoFactor: row.two_factor_since !== null,
    },
  };
}

export async function insertSession(
  db: Kysely<Database>,
  s: {
    idHash: string;
    userId: string;
    csrfToken: string;
    createdAt: string;
    expiresAt: string;
    station?: { id: string; idleSeconds: number };
  },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id_hash: s.idHash,
      user_id: s.userId,
      csrf_token: s.csrfToken,
      created_at: s.createdAt,
      expires_at: s.expiresAt,
      station_id: s.station?.id ?? null,
      idle_seconds: s.station?.idleSeconds ?? null,
      last_seen_at: s.station ? s.createdAt : null,
    })
    .execute();
}

export async function userForSessionHash(
  db: Kysely<Database>,
  idHash: string,
  now: string,
): Promise<{ user: User; csrfToken: string } | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('u')
    .select(['s.csrf_token', 's.expires_at', 's.station_id', 's.idle_seconds', 's.last_seen_at'])
    .where('s.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row || row.expires_at <= now || row.disabled_at !== null) return undefined;
  if (row.station_id !== null) {
    // A station session ends once it has gone idle_seconds without a request; each request moves it on.
    const idleUntil = Date.parse(row.last_seen_at ?? now) + (row.idle_seconds ?? 0) * 1000;
    if (idleUntil <= Date.parse(now)) {
      await deleteSession(db, idHash);
      return undefined;
    }
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
  }
  return { user: userFromRow(row), csrfToken: row.csrf_token };
}

export async function deleteSession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** Ends every session of a user, but the one (by hash) given; returns how many ended. */
export async function deleteSessionsOf(db: Kysely<Database>, userId: string, keepIdHash?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepIdHash) q = q.where('id_hash', '!=', keepIdHash);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Revokes every live API token of a user; returns the ids revoked. */
export async function revokeTokensOf(db: Kysely<Database>, userId: string, at: string): Promise<string[]> {
  const live = await db
    .selectFrom('api_tokens')
    .select('id')
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
  if (live.length === 0) return [];
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
  return live.map((t) => t.id);
}
