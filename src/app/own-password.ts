// Changing your own password: the current one first; every other session of yours ends, this one stays.
import { deleteSessionsOf, findUserWithPassword, updateUser } from '../store/access.ts';
import { appendEvents } from '../store/events.ts';
import { deleteChallengesOf } from '../store/two-factor.ts';
import { type Actor, type AppContext, eventActor, transact } from './context.ts';
import { forgetTokens, MIN_PASSWORD_LENGTH } from './manage-access.ts';
import { Problem, validationFailed } from './problem.ts';
import { hashPassword } from './secrets.ts';
import { logSignIn, type SignInOrigin } from './sign-in.ts';
import { checkOwnPassword } from './two-factor.ts';

export async function changeOwnPassword(
  app: AppContext,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  /** The hash of the session the change came from, which stays signed in; none for an API token. */
  keepSessionHash: string | undefined,
  origin: SignInOrigin,
): Promise<{ sessionsEnded: number }> {
  if (actor.kind === 'system' || !actor.userId) throw new Problem('forbidden', 'Only a person has a password to change');
  const userId = actor.userId;
  if (input.newPassword.length < MIN_PASSWORD_LENGTH) {
    throw validationFailed(`A password needs at least ${MIN_PASSWORD_LENGTH} characters`, [
      { path: 'newPassword', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` },
    ]);
  }
  await checkOwnPassword(app, userId, input.currentPassword, 'currentPassword');
  const passwordHash = await hashPassword(input.newPassword);
  const at = app.clock.now().toISOString();
  const sessionsEnded = await transact(app, async (tx) => {
    await updateUser(tx, userId, { passwordHash });
    const ended = await deleteSessionsOf(tx, userId, keepSessionHash);
    await deleteChallengesOf(tx, userId);
    await appendEvents(tx, app.db.dialect, [
      {
        type: 'user.updated',
        at,
        orderId: null,
        orderVersion: null,
        actor: eventActor(actor),
        data: { userId, passwordChanged: true, ...(ended > 0 ? { sessionsEnded: ended } : {}) },
      },
    ]);
    return ended;
  });
  forgetTokens(app.db);
  const found = await findUserWithPassword(app.db.kysely, userId);
  await logSignIn(app, { email: found?.user.email ?? '', userId, outcome: 'password-changed' }, origin);
  return { sessionsEnded };
}
