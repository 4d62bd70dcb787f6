// Users, API tokens and sign-in: who may act, and how they prove it.
import { randomUUID } from 'node:crypto';
import { mayAdminister, type Role } from '../domain/roles.ts';
import {
  type ApiToken,
  countUsers,
  deleteSession,
  deleteSessionsOf,
  findToken,
  findUserById,
  insertSession,
  insertToken,
  insertUser,
  listTokens,
  listUsers,
  revokeToken as markRevoked,
  revokeTokensOf,
  type User,
  updateUser,
  userForSessionHash,
  userForTokenHash,
} from '../store/access.ts';
import { type Db, isUniqueViolation } from '../store/db.ts';
import { appendEvents } from '../store/events.ts';
import { listSignIns, type SignInOutcome, type SignInRecord } from '../store/sign-ins.ts';
import { deleteChallengesOf } from '../store/two-factor.ts';
import { type Actor, type AppContext, eventActor, transact } from './context.ts';
import { forbidden, notFound, Problem } from './problem.ts';
import { hashPassword, hashSecret, newApiToken, newSessionId } from './secrets.ts';
import { disableForUser } from './two-factor.ts';

export type { ApiToken, User };

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  password: string;
}

export const MIN_PASSWORD_LENGTH = 8;
const SESSION_HOURS = 12;

function checkAdmin(actor: Actor, what: string): void {
  if (!mayAdminister(actor.role)) throw forbidden(`Only an admin may ${what}`);
}

export async function createUser(app: AppContext, actor: Actor, input: NewUser): Promise<User> {
  checkAdmin(actor, 'manage users');
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new Problem('validation-failed', `A password needs at least ${MIN_PASSWORD_LENGTH} characters`, {
      errors: [{ path: 'password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` }],
    });
  }
  const passwordHash = await hashPassword(input.password);
  const at = app.clock.now().toISOString();
  const user: User = {
    id: randomUUID(),
    email: input.email.toLowerCase(),
    name: input.name,
    role: input.role,
    createdAt: at,
    disabledAt: null,
    twoFactor: false,
  };
  try {
    await transact(app, async (tx) => {
      await insertUser(tx, user, passwordHash);
      await appendEvents(tx, app.db.dialect, [
        {
          type: 'user.created',
          at,
          orderId: null,
          orderVersion: null,
          actor: eventActor(actor),
          data: { userId: user.id, email: user.email, name: user.name, role: user.role },
        },
      ]);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new Problem('conflict', `A user with e-mail ${user.email} already exists`);
    throw err;
  }
  return user;
}

export interface UserEdit {
  name?: string | undefined;
  role?: Role | undefined;
  disabled?: boolean | undefined;
  password?: string | undefined;
  twoFactor?: false | undefined;
}

/**
 * Changes a user. Anyone may change their own name; everything else is an admin's. Disabling someone ends their
 * sessions and revokes their API tokens in the same transaction; a password set by an admin ends the person's
 * sessions (other than the admin's own current one, `keepSessionHash`, when they change their own).
 */
export async function editUser(
  app: AppContext,
  actor: Actor,
  id: string,
  edit: UserEdit,
  keepSessionHash?: string,
): Promise<User> {
  const adminFields = (['role', 'disabled', 'password', 'twoFactor'] as const).filter((k) => edit[k] !== undefined);
  if (actor.userId !== id || adminFields.length > 0) {
    checkAdmin(
      actor,
      actor.userId === id
        ? `change your own ${adminFields.join(', ')}${edit.password !== undefined ? ' here (change your password with your current one under My account)' : ''}`
        : 'manage users',
    );
  }
  if (edit.password !== undefined && edit.password.length < MIN_PASSWORD_LENGTH) {
    throw new Problem('validation-failed', `A password needs at least ${MIN_PASSWORD_LENGTH} characters`, {
      errors: [{ path: 'password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` }],
    });
  }
  if (edit.twoFactor === false) {
    if (!(await findUserById(app.db.kysely, id))) throw notFound('User');
    await disableForUser(app, actor, id);
  }
  const passwordHash = edit.password !== undefined ? await hashPassword(edit.password) : undefined;
  const edited = await transact(app, async (tx) => {
    const user = await findUserById(tx, id);
    if (!user) throw notFound('User');
    const at = app.clock.now().toISOString();
    const disabledAt = edit.disabled === undefined ? undefined : edit.disabled ? (user.disabledAt ?? at) : null;
    // An empty edit changes nothing and records nothing (an UPDATE with no columns is not SQL).
    if (edit.name === undefined && edit.role === undefined && disabledAt === undefined && passwordHash === undefined) return user;
    await updateUser(tx, id, { name: edit.name, role: edit.role, disabledAt, passwordHash });
    const deactivated = edit.disabled === true && user.disabledAt === null;
    // Deactivation takes effect now, not when a session or token would have expired; re-enabling brings neither back.
    const sessionsEnded =
      deactivated || passwordHash !== undefined ? await deleteSessionsOf(tx, id, deactivated ? undefined : keepSessionHash) : 0;
    if (deactivated || passwordHash !== undefined) await deleteChallengesOf(tx, id);
    const tokensRevoked = deactivated ? await revokeTokensOf(tx, id, at) : [];
    const { password: _p, twoFactor: _t, ...visible } = edit;
    await appendEvents(tx, app.db.dialect, [
      {
        type: 'user.updated',
        at,
        orderId: null,
        orderVersion: null,
        actor: eventActor(actor),
        data: {
          userId: id,
          ...visible,
          ...(edit.password !== undefined ? { passwordChanged: true } : {}),
          ...(sessionsEnded > 0 ? { sessionsEnded } : {}),
          ...(tokensRevoked.length > 0 ? { tokensRevoked } : {}),
        },
      },
    ]);
    return (await findUserById(tx, id))!;
  });
  forgetTokens(app.db);
  return edited;
}

export async function users(app: AppContext, actor: Actor): Promise<User[]> {
  checkAdmin(actor, 'list users');
  return listUsers(app.db.kysely);
}

export async function getUser(app: AppContext, actor: Actor, id: string): Promise<User> {
  if (actor.userId !== id) checkAdmin(actor, 'see other users');
  const user = await findUserById(app.db.kysely, id);
  if (!user) throw notFound('User');
  return user;
}

/** Creates the first admin from configuration, when nobody can sign in yet. */
export async function ensureFirstAdmin(app: AppContext, system: Actor, email: string, password: string): Promise<User | null> {
  if ((await countUsers(app.db.kysely)) > 0) return null;
  return createUser(app, system, { email, name: 'Administrator', role: 'admin', password });
}

export interface IssuedToken {
  token: string;
  record: ApiToken;
}

/** Issues an API token for `userId` (yours, or anyone's for an admin); the token is shown this once. */
export async function issueToken(
  app: AppContext,
  actor: Actor,
  userId: string,
  label: string | null,
  expiresAt: string | null = null,
): Promise<IssuedToken> {
  if (actor.userId !== userId) checkAdmin(actor, "create other people's tokens");
  const now = app.clock.now();
  // Stored in the one ISO form expiry is compared in (as text, against now).
  const expires = expiresAt === null ? null : new Date(expiresAt);
  if (expires !== null && !(expires.getTime() > now.getTime())) {
    throw new Problem('validation-failed', 'A token must expire in the future', {
      errors: [{ path: 'expiresAt', message: 'must be in the future' }],
    });
  }
  const token = newApiToken();
  const at = now.toISOString();
  const record: ApiToken = {
    id: randomUUID(),
    userId,
    label,
    createdAt: at,
    expiresAt: expires?.toISOString() ?? null,
    revokedAt: null,
  };
  await transact(app, async (tx) => {
    if (!(await findUserById(tx, userId))) throw notFound('User');
    await insertToken(tx, record, hashSecret(token));
    await appendEvents(tx, app.db.dialect, [
      {
        type: 'token.created',
        at,
        orderId: null,
        orderVersion: null,
        actor: eventActor(actor),
        data: { tokenId: record.id, userId, label },
      },
    ]);
  });
  return { token, record };
}

export async function tokens(app: AppContext, actor: Actor, userId?: string): Promise<ApiToken[]> {
  if (userId === undefined || userId !== actor.userId) checkAdmin(actor, "list other people's tokens");
  return listTokens(app.db.kysely, userId);
}

export async function revokeToken(app: AppContext, actor: Actor, tokenId: string): Promise<ApiToken> {
  const revoked = await transact(app, async (tx) => {
    const token = await findToken(tx, tokenId);
    if (!token) throw notFound('Token');
    if (token.userId !== actor.userId) checkAdmin(actor, "revoke other people's tokens");
    const at = app.clock.now().toISOString();
    await markRevoked(tx, tokenId, at);
    await appendEvents(tx, app.db.dialect, [
      {
        type: 'token.revoked',
        at,
        orderId: null,
        orderVersion: null,
        actor: eventActor(actor),
        data: { tokenId, userId: token.userId },
      },
    ]);
    return (await findToken(tx, tokenId))!;
  });
  forgetTokens(app.db);
  return revoked;
}

export function actorForUser(user: User): Actor {
  return { kind: 'user', id: user.id, name: user.name, role: user.role, userId: user.id };
}

/**
 * Valid bearer tokens met lately, by hash, with who they stand for: an integration sends its token with
 * every request, and each would otherwise read the token and its user. An entry is forgotten when any
 * user or token changes (here at once; in other server processes when their live feed sees the event),
 * when the token expires, and after TOKEN_CACHE_MS in any case. Unknown tokens are never kept.
 */
const TOKEN_CACHE_MS = 30_000;
const TOKEN_CACHE_SIZE = 1000;
const knownTokens = new WeakMap<Db, Map<string, { actor: Actor; untilMs: number }>>();

/** Forgets every remembered token of a database: a user or token changed. */
export function forgetTokens(db: Db): void {
  knownTokens.delete(db);
}

/** Events after which a remembered token may stand for something else, or for nobody. */
export function changesTokens(eventType: string): boolean {
  return eventType.startsWith('user.') || eventType.startsWith('token.');
}

/** Who a bearer token belongs to, or null when it is unknown, revoked or expired. */
export async function actorForToken(app: AppContext, token: string): Promise<Actor | null> {
  const hash = hashSecret(token);
  const now = app.clock.now();
  let known = knownTokens.get(app.db);
  const hit = known?.get(hash);
  if (hit && now.getTime() < hit.untilMs) return hit.actor;
  const found = await userForTokenHash(app.db.kysely, hash, now.toISOString());
  if (!found) return null;
  const { user, token: t } = found;
  const actor: Actor = {
    kind: 'token',
    id: t.id,
    name: t.label ? `${user.name} (${t.label})` : user.name,
    role: user.role,
    userId: user.id,
  };
  if (!known || known.size >= TOKEN_CACHE_SIZE) {
    known = new Map();
    knownTokens.set(app.db, known);
  }
  const expiresMs = t.expiresAt ? Date.parse(t.expiresAt) : Number.POSITIVE_INFINITY;
  known.set(hash, { actor, untilMs: Math.min(now.getTime() + TOKEN_CACHE_MS, expiresMs) });
  return actor;
}

export interface Session {
  id: string;
  csrfToken: string;
  user: User;
  expiresAt: string;
}

/** A new session for a user who just proved who they are (a password, or an invite or setup they completed). */
export async function startSession(
  app: AppContext,
  user: User,
  /** A shared station tablet the person switched to themselves on: the session also ends when idle. */
  station?: { id: string; idleSeconds: number },
): Promise<Session> {
  const now = app.clock.now();
  const id = newSessionId();
  const csrfToken = newSessionId();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString();
  await insertSession(app.db.kysely, {
    idHash: hashSecret(id),
    userId: user.id,
    csrfToken,
    createdAt: now.toISOString(),
    expiresAt,
    ...(station ? { station } : {}),
  });
  return { id, csrfToken, user, expiresAt };
}

export async function sessionUser(app: AppContext, sessionId: string): Promise<{ user: User; csrfToken: string } | null> {
  return (await userForSessionHash(app.db.kysely, hashSecret(sessionId), app.clock.now().toISOString())) ?? null;
}

export async function signOut(app: AppContext, sessionId: string): Promise<void> {
  await deleteSession(app.db.kysely, hashSecret(sessionId));
}

/** The sign-in log (admin), newest first: every attempt, and whether it worked. */
export async function signInLog(
  app: AppContext,
  actor: Actor,
  query: { limit: number; cursor?: string | undefined; userId?: string | undefined; outcome?: SignInOutcome | undefined },
): Promise<{ items: SignInRecord[]; nextCursor: string | null }> {
  checkAdmin(actor, 'read the sign-in log');
  if (query.cursor !== undefined && !/^\d{1,12}$/.test(query.cursor)) {
    throw new Problem('validation-failed', 'cursor is not one this server gave out', {
      errors: [{ path: 'querystring.cursor', message: 'is not valid' }],
    });
  }
  const rows = await listSignIns(app.db.kysely, {
    limit: query.limit + 1,
    before: query.cursor === undefined ? undefined : Number(query.cursor),
    userId: query.userId,
    outcome: query.outcome,
  });
  const items = rows.slice(0, query.limit);
  return { items, nextCursor: rows.length > query.limit ? String(items[items.length - 1]!.id) : null };
}
