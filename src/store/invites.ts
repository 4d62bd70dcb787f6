// Queries for first-run setup and invitations. Invite tokens arrive here already hashed.
import type { Kysely } from 'kysely';
import type { Role } from '../domain/roles.ts';
import type { Database, InviteTable } from './schema.ts';

export interface Invite {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  userId: string | null;
  revokedAt: string | null;
}

function inviteFromRow(r: InviteTable): Invite {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role as Role,
    invitedBy: r.invited_by,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    acceptedAt: r.accepted_at,
    userId: r.user_id,
    revokedAt: r.revoked_at,
  };
}

export async function setupCompleted(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('workspace_setup').select('id').executeTakeFirst()) !== undefined;
}

/** Marks setup done; throws a unique violation when it already was (also when another setup commits first). */
export async function markSetupCompleted(db: Kysely<Database>, at: string, adminId: string): Promise<void> {
  await db.insertInto('workspace_setup').values({ id: 1, completed_at: at, admin_id: adminId }).execute();
}

export async function insertInvite(db: Kysely<Database>, invite: Invite, tokenHash: string): Promise<void> {
  await db
    .insertInto('invites')
    .values({
      id: invite.id,
      token_hash: tokenHash,
      email: invite.email,
      name: invite.name,
      role: invite.role,
      invited_by: invite.invitedBy,
      created_at: invite.createdAt,
      expires_at: invite.expiresAt,
      accepted_at: null,
      user_id: null,
      revoked_at: null,
    })
    .execute();
}

/** Withdraws the open invites to these addresses (a new invite replaces an earlier one). */
export async function revokeOpenInvites(db: Kysely<Database>, emails: string[], at: string): Promise<void> {
  if (emails.length === 0) return;
  await db
    .updateTable('invites')
    .set({ revoked_at: at })
    .where('email', 'in', emails)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeInvite(db: Kysely<Database>, id: string, at: string): Promise<boolean> {
  const res = await db
    .updateTable('invites')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function findInvite(db: Kysely<Database>, id: string): Promise<Invite | undefined> {
  const row = await db.selectFrom('invites').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? inviteFromRow(row) : undefined;
}

/** The invite a token stands for while it can still be used: not accepted, withdrawn or expired. */
export async function openInviteByHash(db: Kysely<Database>, tokenHash: string, now: string): Promise<Invite | undefined> {
  const row = await db
    .selectFrom('invites')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row ? inviteFromRow(row) : undefined;
}

/**
 * Uses the invite up: true for the one caller whose update found it still open. The check and the write are
 * one statement, so two people racing with the same link cannot both get through.
 */
export async function claimInvite(db: Kysely<Database>, id: string, now: string, userId: string): Promise<boolean> {
  const res = await db
    .updateTable('invites')
    .set({ accepted_at: now, user_id: userId })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function listInvites(db: Kysely<Database>): Promise<Invite[]> {
  const rows = await db.selectFrom('invites').selectAll().orderBy('created_at', 'desc').orderBy('email').limit(500).execute();
  return rows.map(inviteFromRow);
}
