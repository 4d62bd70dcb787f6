// The sign-in log: every attempt to sign in to the web app, kept apart from the order history.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * success: signed in (with the second step's code when two-factor is on); failed: wrong e-mail or password;
 * disabled: the user is disabled; code-required: the password was right and the second step is asked for;
 * code-failed: a wrong or used two-factor or recovery code; recovery-code: signed in with a recovery code;
 * reset-requested: someone asked for a password-reset link for this address; password-reset: a link was used
 * to choose a new password; password-changed: the person changed their own password; station-pin: switched to on a
 * shared station with their PIN; station-pin-failed: a wrong PIN there; station-pin-locked: a PIN tried while locked.
 */
export const SIGN_IN_OUTCOMES = [
  'success',
  'failed',
  'disabled',
  'code-required',
  'code-failed',
  'recovery-code',
  'reset-requested',
  'password-reset',
  'password-changed',
  'station-pin',
  'station-pin-failed',
  'station-pin-locked',
] as const;
export type SignInOutcome = (typeof SIGN_IN_OUTCOMES)[number];

export interface SignInRecord {
  id: number;
  at: string;
  email: string;
  userId: string | null;
  outcome: SignInOutcome;
  ip: string | null;
  userAgent: string | null;
}

export async function recordSignIn(db: Kysely<Database>, r: Omit<SignInRecord, 'id'>): Promise<void> {
  await db
    .insertInto('sign_ins')
    .values({ at: r.at, email: r.email, user_id: r.userId, outcome: r.outcome, ip: r.ip, user_agent: r.userAgent })
    .execute();
}

/** Sign-ins newest first, `before` an id (the cursor), optionally of one user or one outcome. */
export async function listSignIns(
  db: Kysely<Database>,
  q: { limit: number; before?: number | undefined; userId?: string | undefined; outcome?: SignInOutcome | undefined },
): Promise<SignInRecord[]> {
  let query = db.selectFrom('sign_ins').selectAll();
  if (q.before !== undefined) query = query.where('id', '<', q.before);
  if (q.userId) query = query.where('user_id', '=', q.userId);
  if (q.outcome) query = query.where('outcome', '=', q.outcome);
  const rows = await query.orderBy('id', 'desc').limit(q.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    email: r.email,
    userId: r.user_id,
    outcome: r.outcome as SignInOutcome,
    ip: r.ip,
    userAgent: r.user_agent,
  }));
}
