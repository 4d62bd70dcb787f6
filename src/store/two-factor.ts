// Queries for two-factor sign-in: the TOTP secret, the last time step accepted, recovery codes (hashed) and the
// second step of a sign-in (by its id's hash).
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface TwoFactorState {
  secret: string | null;
  pendingSecret: string | null;
  lastStep: number | null;
}

export async function twoFactorState(db: Kysely<Database>, userId: string): Promise<TwoFactorState | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['totp_secret', 'totp_pending_secret', 'totp_last_step'])
    .where('id', '=', userId)
    .executeTakeFirst();
  return row
    ? {
        secret: row.totp_secret,
        pendingSecret: row.totp_pending_secret,
        lastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
      }
    : undefined;
}

export async function setPendingSecret(db: Kysely<Database>, userId: string, secret: string): Promise<void> {
  await db.updateTable('users').set({ totp_pending_secret: secret }).where('id', '=', userId).execute();
}

/** Makes the enrolled secret the one in use; `step` is the time step of the code that confirmed it. */
export async function enableTwoFactor(db: Kysely<Database>, userId: string, secret: string, step: number, at: string) {
  await db
    .updateTable('users')
    .set({ totp_secret: secret, totp_pending_secret: null, totp_last_step: step, two_factor_since: at })
    .where('id', '=', userId)
    .execute();
}

export async function disableTwoFactor(db: Kysely<Database>, userId: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ totp_secret: null, totp_pending_secret: null, totp_last_step: null, two_factor_since: null })
    .where('id', '=', userId)
    .execute();
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
}

/**
 * Records that a code of time step `step` was used: true only when no code of this or a later step was accepted
 * before. Check and write are one statement, so two sign-ins racing with one code cannot both pass.
 */
export async function spendTimeStep(db: Kysely<Database>, userId: string, step: number): Promise<boolean> {
  const res = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where('totp_secret', 'is not', null)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function replaceRecoveryCodes(db: Kysely<Database>, userId: string, hashes: string[], at: string) {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('recovery_codes')
    .values(hashes.map((h) => ({ user_id: userId, code_hash: h, created_at: at, used_at: null })))
    .execute();
}

/** Uses a recovery code up: true for the one caller that found it unused. */
export async function spendRecoveryCode(db: Kysely<Database>, userId: string, hash: string, at: string): Promise<boolean> {
  const res = await db
    .updateTable('recovery_codes')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function recoveryCodesLeft(db: Kysely<Database>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface SignInChallenge {
  userId: string;
  expiresAt: string;
  failures: number;
}

export async function insertChallenge(
  db: Kysely<Database>,
  c: { idHash: string; userId: string; createdAt: string; expiresAt: string },
): Promise<void> {
  await db
    .insertInto('sign_in_challenges')
    .values({ id_hash: c.idHash, user_id: c.userId, created_at: c.createdAt, expires_at: c.expiresAt, used_at: null })
    .execute();
}

/** The second step of a sign-in while it is open: not used, not expired, not worn out by wrong codes. */
export async function openChallenge(
  db: Kysely<Database>,
  idHash: string,
  now: string,
  maxFailures: number,
): Promise<SignInChallenge | undefined> {
  const row = await db
    .selectFrom('sign_in_challenges')
    .selectAll()
    .where('id_hash', '=', idHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where('failures', '<', maxFailures)
    .executeTakeFirst();
  return row ? { userId: row.user_id, expiresAt: row.expires_at, failures: row.failures } : undefined;
}

export async function countChallengeFailure(db: Kysely<Database>, idHash: string): Promise<void> {
  await db
    .updateTable('sign_in_challenges')
    .set((eb) => ({ failures: eb('failures', '+', 1) }))
    .where('id_hash', '=', idHash)
    .execute();
}

/** Uses the second step up: true for the one caller that found it open. */
export async function claimChallenge(db: Kysely<Database>, idHash: string, now: string): Promise<boolean> {
  const res = await db
    .updateTable('sign_in_challenges')
    .set({ used_at: now })
    .where('id_hash', '=', idHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Ends the open second steps of a user's sign-ins (their password changed, or they were deactivated). */
export async function deleteChallengesOf(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom('sign_in_challenges').where('user_id', '=', userId).execute();
}
