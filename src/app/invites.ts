// Inviting people: an admin invites several at once by e-mail and role; each gets a link that works once and expires,
// opens it, sets their own password and is signed in. Only the hash of the link's token is stored.
import { randomUUID } from 'node:crypto';
import { mayAdminister, type Role } from '../domain/roles.ts';
import { sendMailNow } from '../jobs/mailer.ts';
import { findUserByEmail, insertUser, type User } from '../store/access.ts';
import { isUniqueViolation } from '../store/db.ts';
import { appendEvents } from '../store/events.ts';
import {
  claimInvite,
  findInvite,
  type Invite,
  insertInvite,
  listInvites,
  revokeInvite as markRevoked,
  openInviteByHash,
  revokeOpenInvites,
} from '../store/invites.ts';
import { type Actor, type AppContext, eventActor, transact } from './context.ts';
import { MIN_PASSWORD_LENGTH, type Session, startSession } from './manage-access.ts';
import { type FieldError, forbidden, notFound, Problem, validationFailed } from './problem.ts';
import { hashPassword, hashSecret, newInviteToken } from './secrets.ts';
import { automationSettings } from './settings.ts';

/** How long an invite link works. */
export const INVITE_DAYS = 7;

export type InviteStatus = 'pending' | 'accepted' | 'expired' | 'revoked';

export interface InviteView extends Invite {
  status: InviteStatus;
}

export interface IssuedInvite extends InviteView {
  /** The link to pass on; null when it went out by e-mail (it is not shown again either way). */
  link: string | null;
  emailed: boolean;
  /** Why the e-mail could not be sent, when it could not: the link is given instead. */
  emailError: string | null;
}

export interface InviteRequest {
  email: string;
  role: Role;
  name?: string | undefined;
}

function statusOf(invite: Invite, now: string): InviteStatus {
  if (invite.acceptedAt) return 'accepted';
  if (invite.revokedAt) return 'revoked';
  return invite.expiresAt <= now ? 'expired' : 'pending';
}

const view = (invite: Invite, now: string): InviteView => ({ ...invite, status: statusOf(invite, now) });

function checkAdmin(actor: Actor): void {
  if (!mayAdminister(actor.role)) throw forbidden('Only an admin may invite people');
}

/**
 * The same answer for a link that never existed, was used, withdrawn or has expired: a link's holder learns
 * nothing about other people's links or accounts from it.
 */
const linkNotValid = () =>
  new Problem(
    'not-found',
    'This invite link is not valid: it may have been used, withdrawn or expired. Ask your admin for a new one.',
  );

async function checkInvites(app: AppContext, list: InviteRequest[]): Promise<void> {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const [i, r] of list.entries()) {
    const email = r.email.toLowerCase();
    if (seen.has(email)) errors.push({ path: `invites.${i}.email`, message: `${email} is in the list twice` });
    seen.add(email);
    if (await findUserByEmail(app.db.kysely, email)) {
      errors.push({ path: `invites.${i}.email`, message: `${email} already has an account` });
    }
  }
  if (errors.length) throw validationFailed(errors.map((e) => e.message).join('; '), errors);
}

/** Invites everyone on the list, or nobody when any entry is wrong. A new invite withdraws an earlier open one. */
export async function invitePeople(app: AppContext, actor: Actor, list: InviteRequest[]): Promise<IssuedInvite[]> {
  checkAdmin(actor);
  await checkInvites(app, list);
  const now = app.clock.now();
  const at = now.toISOString();
  const expiresAt = new Date(now.getTime() + INVITE_DAYS * 86_400_000).toISOString();
  const issued = list.map((r) => ({
    token: newInviteToken(),
    invite: {
      id: randomUUID(),
      email: r.email.toLowerCase(),
      name: r.name?.trim() || null,
      role: r.role,
      invitedBy: actor.userId,
      createdAt: at,
      expiresAt,
      acceptedAt: null,
      userId: null,
      revokedAt: null,
    } satisfies Invite,
  }));
  await transact(app, async (tx) => {
    await revokeOpenInvites(
      tx,
      issued.map((i) => i.invite.email),
      at,
    );
    for (const { token, invite } of issued) await insertInvite(tx, invite, hashSecret(token));
    await appendEvents(
      tx,
      app.db.dialect,
      issued.map(({ invite }) => ({
        type: 'invite.created' as const,
        at,
        orderId: null,
        orderVersion: null,
        actor: eventActor(actor),
        data: { inviteId: invite.id, email: invite.email, role: invite.role, expiresAt },
      })),
    );
  });

  const settings = await automationSettings(app);
  const out: IssuedInvite[] = [];
  for (const { token, invite } of issued) {
    const link = `${settings.publicUrl}/invite/${token}`;
    let emailError: string | null = null;
    if (settings.email.smtpUrl) {
      try {
        await sendMailNow(settings.email.smtpUrl, {
          from: settings.email.from,
          to: invite.email,
          subject: `You are invited to ${settings.email.shopName} on Floorboard`,
          text: inviteText(settings.email.shopName, actor.name, invite, link),
        });
      } catch (err) {
        emailError = err instanceof Error ? err.message : String(err);
      }
    }
    const emailed = settings.email.smtpUrl !== null && emailError === null;
    out.push({ ...view(invite, at), link: emailed ? null : link, emailed, emailError });
  }
  return out;
}

function inviteText(shopName: string, from: string, invite: Invite, link: string): string {
  return [
    `Hello${invite.name ? ` ${invite.name}` : ''},`,
    '',
    `${from} has invited you to ${shopName}'s Floorboard, where the shop tracks its orders, as ${invite.role}.`,
    '',
    'Open this link to choose your password and sign in:',
    link,
    '',
    `The link works once and expires on ${invite.expiresAt.slice(0, 10)}. If you did not expect it, ignore this e-mail.`,
  ].join('\n');
}

export async function invites(app: AppContext, actor: Actor): Promise<InviteView[]> {
  checkAdmin(actor);
  const now = app.clock.now().toISOString();
  return (await listInvites(app.db.kysely)).map((i) => view(i, now));
}

export async function withdrawInvite(app: AppContext, actor: Actor, id: string): Promise<InviteView> {
  checkAdmin(actor);
  const at = app.clock.now().toISOString();
  return transact(app, async (tx) => {
    const invite = await findInvite(tx, id);
    if (!invite) throw notFound('Invite');
    if (await markRevoked(tx, id, at)) {
      await appendEvents(tx, app.db.dialect, [
        {
          type: 'invite.revoked',
          at,
          orderId: null,
          orderVersion: null,
          actor: eventActor(actor),
          data: { inviteId: id, email: invite.email },
        },
      ]);
    }
    return view((await findInvite(tx, id))!, at);
  });
}

export interface InvitePreview {
  email: string;
  name: string | null;
  role: Role;
  shopName: string;
  expiresAt: string;
}

/** What the person opening a link sees before choosing a password. */
export async function previewInvite(app: AppContext, token: string): Promise<InvitePreview> {
  const invite = await openInviteByHash(app.db.kysely, hashSecret(token), app.clock.now().toISOString());
  if (!invite) throw linkNotValid();
  const settings = await automationSettings(app);
  return {
    email: invite.email,
    name: invite.name,
    role: invite.role,
    shopName: settings.email.shopName,
    expiresAt: invite.expiresAt,
  };
}

/** Uses the link: makes the account with the person's own name and password, and signs them in. */
export async function acceptInvite(app: AppContext, token: string, input: { name: string; password: string }): Promise<Session> {
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw validationFailed(`A password needs at least ${MIN_PASSWORD_LENGTH} characters`, [
      { path: 'password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` },
    ]);
  }
  const found = await openInviteByHash(app.db.kysely, hashSecret(token), app.clock.now().toISOString());
  if (!found) throw linkNotValid();
  const passwordHash = await hashPassword(input.password);
  const at = app.clock.now().toISOString();
  const user: User = {
    id: randomUUID(),
    email: found.email,
    name: input.name,
    role: found.role,
    createdAt: at,
    disabledAt: null,
    twoFactor: false,
  };
  try {
    await transact(app, async (tx) => {
      // Checked again where it is spent: of two uses of one link, only one finds it still open.
      if (!(await claimInvite(tx, found.id, at, user.id))) throw linkNotValid();
      await insertUser(tx, user, passwordHash);
      await appendEvents(tx, app.db.dialect, [
        {
          type: 'user.created',
          at,
          orderId: null,
          orderVersion: null,
          actor: { kind: 'user', id: user.id, name: user.name },
          data: { userId: user.id, email: user.email, name: user.name, role: user.role, inviteId: found.id },
        },
      ]);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new Problem('conflict', `An account for ${user.email} already exists: sign in instead`);
    throw err;
  }
  return startSession(app, user);
}
