// Choosing a new password by a link: asked for by the person ("forgot password", by e-mail, saying nothing about
// whether the address has an account) or sent by an admin. A link carries 256 random bits, is stored as a hash,
// works once and expires; using it ends every session of that person. It never signs anyone in: someone with
// two-factor sign-in still needs their code.
import { randomUUID } from 'node:crypto';
import { mayAdminister } from '../domain/roles.ts';
import { sendMailNow } from '../jobs/mailer.ts';
import { deleteSessionsOf, findUserByEmail, findUserById, type User, updateUser } from '../store/access.ts';
import { appendEvents } from '../store/events.ts';
import {
  claimReset,
  closeOpenResets,
  insertPasswordReset,
  lastResetAt,
  openResetByHash,
  type PasswordReset,
} from '../store/password-resets.ts';
import { deleteChallengesOf } from '../store/two-factor.ts';
import { type Actor, type AppContext, eventActor, transact } from './context.ts';
import { forgetTokens, MIN_PASSWORD_LENGTH } from './manage-access.ts';
import { forbidden, notFound, Problem, validationFailed } from './problem.ts';
import { hashPassword, hashSecret, newResetToken } from './secrets.ts';
import { automationSettings } from './settings.ts';
import { logSignIn, type SignInOrigin } from './sign-in.ts';

/** How long a link the person asked for works: long enough to open the e-mail, short for a mailbox read later. */
export const SELF_RESET_MINUTES = 60;
/** An admin's link may be passed on by hand, so it waits a day. */
export const ADMIN_RESET_HOURS = 24;
/** At most one e-mail a minute to one address, however often someone asks. */
const RESET_MAIL_GAP_MS = 60_000;

const linkNotValid = () =>
  new Problem('not-found', 'This link is not valid: it may have been used, replaced or expired. Ask for a new one.');

function resetText(shopName: string, user: User, link: string, expiresAt: string, byAdmin: string | null): string {
  return [
    `Hello ${user.name},`,
    '',
    byAdmin
      ? `${byAdmin} has reset your password for ${shopName}'s Floorboard. Your old password no longer works.`
      : `Someone (we hope you) asked to choose a new password for ${user.email} on ${shopName}'s Floorboard.`,
    '',
    'Open this link to choose a new password:',
    link,
    '',
    `The link works once, until ${expiresAt.slice(0, 16).replace('T', ' ')} UTC. Choosing a new password signs you out everywhere.`,
    byAdmin ? '' : 'If you did not ask for it, ignore this e-mail: your password stays as it is.',
  ].join('\n');
}

async function issueReset(
  app: AppContext,
  user: User,
  by: Actor | null,
  expiresAt: string,
): Promise<{ token: string; reset: PasswordReset }> {
  const at = app.clock.now().toISOString();
  const token = newResetToken();
  const reset: PasswordReset = {
    id: randomUUID(),
    userId: user.id,
    requestedBy: by?.userId ?? null,
    createdAt: at,
    expiresAt,
    usedAt: null,
  };
  await transact(app, async (tx) => {
    // A new link replaces the ones before it.
    await closeOpenResets(tx, user.id, at);
    await insertPasswordReset(tx, reset, hashSecret(token));
    if (by) {
      // An admin's reset ends the old password and every session now: it is what one does for an account at risk.
      await updateUser(tx, user.id, { passwordHash: `reset$${newResetToken()}` });
      const sessionsEnded = await deleteSessionsOf(tx, user.id);
      await deleteChallengesOf(tx, user.id);
      await appendEvents(tx, app.db.dialect, [
        {
          type: 'user.updated',
          at,
          orderId: null,
          orderVersion: null,
          actor: eventActor(by),
          data: { userId: user.id, passwordReset: true, resetId: reset.id, expiresAt, sessionsEnded },
        },
      ]);
    }
  });
  return { token, reset };
}

/**
 * "Forgot password": the same quiet answer whatever the address, so nobody learns who has an account. When the
 * address has one (enabled) and e-mail is set up, a link goes out in the background: the answer does not wait
 * for the mail server, so its timing tells nothing either.
 */
export async function requestPasswordReset(app: AppContext, email: string, origin: SignInOrigin): Promise<void> {
  const found = await findUserByEmail(app.db.kysely, email);
  await logSignIn(app, { email, userId: found?.user.id ?? null, outcome: 'reset-requested' }, origin);
  if (!found || found.user.disabledAt !== null) return;
  const settings = await automationSettings(app);
  if (!settings.email.smtpUrl) return;
  const now = app.clock.now();
  const last = await lastResetAt(app.db.kysely, found.user.id);
  if (last && now.getTime() - Date.parse(last) < RESET_MAIL_GAP_MS) return;
  const expiresAt = new Date(now.getTime() + SELF_RESET_MINUTES * 60_000).toISOString();
  const { token } = await issueReset(app, found.user, null, expiresAt);
  const link = `${settings.publicUrl}/reset-password/${token}`;
  void sendMailNow(settings.email.smtpUrl, {
    from: settings.email.from,
    to: found.user.email,
    subject: `Choose a new password for ${settings.email.shopName} on Floorboard`,
    text: resetText(settings.email.shopName, found.user, link, expiresAt, null),
  }).catch(() => {
    // Nobody is waiting for the answer: the person asks again, and an admin can send a link instead.
  });
}

export interface AdminReset {
  expiresAt: string;
  emailed: boolean;
  /** The link to pass on when it could not be e-mailed; null when it was (it is not shown again either way). */
  link: string | null;
  emailError: string | null;
}

/**
 * An admin resets someone's password: the old one stops working, their sessions end, and they get a link to
 * choose a new one (e-mailed, or given to the admin to pass on when e-mail is not set up). The admin never
 * chooses or learns the new password.
 */
export async function sendPasswordReset(app: AppContext, actor: Actor, userId: string): Promise<AdminReset> {
  if (!mayAdminister(actor.role)) throw forbidden("Only an admin may reset other people's passwords");
  const user = await findUserById(app.db.kysely, userId);
  if (!user) throw notFound('User');
  if (user.disabledAt !== null) throw new Problem('conflict', `${user.name} is disabled: enable the account first`);
  const expiresAt = new Date(app.clock.now().getTime() + ADMIN_RESET_HOURS * 3_600_000).toISOString();
  const { token } = await issueReset(app, user, actor, expiresAt);
  forgetTokens(app.db);
  const settings = await automationSettings(app);
  const link = `${settings.publicUrl}/reset-password/${token}`;
  let emailError: string | null = null;
  if (settings.email.smtpUrl) {
    try {
      await sendMailNow(settings.email.smtpUrl, {
        from: settings.email.from,
        to: user.email,
        subject: `Your password for ${settings.email.shopName} on Floorboard was reset`,
        text: resetText(settings.email.shopName, user, link, expiresAt, actor.name),
      });
    } catch (err) {
      emailError = err instanceof Error ? err.message : String(err);
    }
  }
  const emailed = settings.email.smtpUrl !== null && emailError === null;
  return { expiresAt, emailed, link: emailed ? null : link, emailError };
}

/** What the person opening a link sees: whose password it changes. */
export async function previewReset(app: AppContext, token: string): Promise<{ email: string; expiresAt: string }> {
  const reset = await openResetByHash(app.db.kysely, hashSecret(token), app.clock.now().toISOString());
  const user = reset ? await findUserById(app.db.kysely, reset.userId) : undefined;
  if (!reset || !user || user.disabledAt !== null) throw linkNotValid();
  return { email: user.email, expiresAt: reset.expiresAt };
}

/** Uses the link: the new password is set, the link and any other open one are spent, every session ends. */
export async function completeReset(
  app: AppContext,
  token: string,
  password: string,
  origin: SignInOrigin,
): Promise<{ email: string }> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw validationFailed(`A password needs at least ${MIN_PASSWORD_LENGTH} characters`, [
      { path: 'password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` },
    ]);
  }
  const now = app.clock.now().toISOString();
  const reset = await openResetByHash(app.db.kysely, hashSecret(token), now);
  const user = reset ? await findUserById(app.db.kysely, reset.userId) : undefined;
  if (!reset || !user || user.disabledAt !== null) throw linkNotValid();
  const passwordHash = await hashPassword(password);
  await transact(app, async (tx) => {
    // Checked again where it is spent: of two uses of one link, only one finds it still open.
    if (!(await claimReset(tx, reset.id, now))) throw linkNotValid();
    await closeOpenResets(tx, user.id, now);
    await updateUser(tx, user.id, { passwordHash });
    const sessionsEnded = await deleteSessionsOf(tx, user.id);
    await deleteChallengesOf(tx, user.id);
    await appendEvents(tx, app.db.dialect, [
      {
        type: 'user.updated',
        at: now,
        orderId: null,
        orderVersion: null,
        actor: { kind: 'user', id: user.id, name: user.name },
        data: { userId: user.id, passwordChanged: true, resetId: reset.id, sessionsEnded },
      },
    ]);
  });
  forgetTokens(app.db);
  await logSignIn(app, { email: user.email, userId: user.id, outcome: 'password-reset' }, origin);
  return { email: user.email };
}
