// Signing in: the password first; for someone with two-factor sign-in on, a second step (a code from their app, or
// a recovery code) before any session exists. Every attempt, of either step, goes into the sign-in log.
import { findUserByEmail, findUserById, type User } from '../store/access.ts';
import { recordSignIn, type SignInOutcome } from '../store/sign-ins.ts';
import { claimChallenge, countChallengeFailure, insertChallenge, openChallenge } from '../store/two-factor.ts';
import type { AppContext } from './context.ts';
import { type Session, startSession } from './manage-access.ts';
import { Problem } from './problem.ts';
import { DUMMY_PASSWORD_HASH, hashSecret, newSessionId, verifyPassword } from './secrets.ts';
import { spendCode, spendRecovery } from './two-factor.ts';

/** Where a sign-in attempt came from, for the sign-in log. */
export interface SignInOrigin {
  ip: string | null;
  userAgent: string | null;
}

const NO_ORIGIN: SignInOrigin = { ip: null, userAgent: null };

/** How long the second step waits for its code, and how many wrong codes end it. */
const SECOND_STEP_MINUTES = 5;
export const SECOND_STEP_TRIES = 5;

export type SignInResult =
  | { kind: 'session'; session: Session }
  | { kind: 'second-step'; challenge: string; expiresAt: string }
  | null;

export async function logSignIn(
  app: AppContext,
  entry: { email: string; userId: string | null; outcome: SignInOutcome },
  origin: SignInOrigin = NO_ORIGIN,
): Promise<void> {
  await recordSignIn(app.db.kysely, {
    at: app.clock.now().toISOString(),
    email: entry.email.toLowerCase().slice(0, 254),
    userId: entry.userId,
    outcome: entry.outcome,
    ip: origin.ip,
    userAgent: origin.userAgent?.slice(0, 300) ?? null,
  });
}

/**
 * Checks e-mail and password: a new session, the second step when two-factor sign-in is on (no session yet), or
 * null for a wrong pair (never saying which part was wrong).
 */
export async function signIn(app: AppContext, email: string, password: string, origin = NO_ORIGIN): Promise<SignInResult> {
  const found = await findUserByEmail(app.db.kysely, email);
  const ok = await verifyPassword(password, found?.passwordHash ?? DUMMY_PASSWORD_HASH);
  const outcome: SignInOutcome =
    !found || !ok ? 'failed' : found.user.disabledAt !== null ? 'disabled' : found.user.twoFactor ? 'code-required' : 'success';
  await logSignIn(app, { email, userId: found?.user.id ?? null, outcome }, origin);
  if (!found || (outcome !== 'success' && outcome !== 'code-required')) return null;
  if (outcome === 'success') return { kind: 'session', session: await startSession(app, found.user) };
  const now = app.clock.now();
  const challenge = newSessionId();
  const expiresAt = new Date(now.getTime() + SECOND_STEP_MINUTES * 60_000).toISOString();
  await insertChallenge(app.db.kysely, {
    idHash: hashSecret(challenge),
    userId: found.user.id,
    createdAt: now.toISOString(),
    expiresAt,
  });
  return { kind: 'second-step', challenge, expiresAt };
}

const stepEnded = () =>
  new Problem('unauthenticated', 'This sign-in has ended (it expired, or too many codes were wrong): sign in again');

/** The second step: a code from the app, or one of the recovery codes. A session, or a refusal. */
export async function completeSecondStep(
  app: AppContext,
  input: { challenge: string; code?: string | undefined; recoveryCode?: string | undefined },
  origin = NO_ORIGIN,
): Promise<Session> {
  const idHash = hashSecret(input.challenge);
  const open = await openChallenge(app.db.kysely, idHash, app.clock.now().toISOString(), SECOND_STEP_TRIES);
  if (!open) throw stepEnded();
  const user: User | undefined = await findUserById(app.db.kysely, open.userId);
  if (!user || user.disabledAt !== null) throw stepEnded();
  const viaRecovery = input.recoveryCode !== undefined;
  const ok = viaRecovery
    ? await spendRecovery(app, user.id, input.recoveryCode!)
    : input.code !== undefined && (await spendCode(app, user.id, input.code));
  if (!ok) {
    await countChallengeFailure(app.db.kysely, idHash);
    await logSignIn(app, { email: user.email, userId: user.id, outcome: 'code-failed' }, origin);
    throw new Problem(
      'unauthenticated',
      viaRecovery
        ? 'That recovery code is wrong or was used already'
        : 'That code is wrong or was used already: wait for the next one',
    );
  }
  if (!(await claimChallenge(app.db.kysely, idHash, app.clock.now().toISOString()))) throw stepEnded();
  await logSignIn(app, { email: user.email, userId: user.id, outcome: viaRecovery ? 'recovery-code' : 'success' }, origin);
  return startSession(app, user);
}
