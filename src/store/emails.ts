// E-mail waiting to go out, and what happened to it: queued by the dispatcher, sent (with retries) by the mailer.
import type { Kysely } from 'kysely';
import type { Dialect } from './db.ts';
import { inClaimOrder } from './queue-plan.ts';
import type { Database } from './schema.ts';

export type EmailKind = 'customer-update' | 'notification' | 'digest';

export interface NewEmail {
  kind: EmailKind;
  to: string;
  subject: string;
  body: string;
  orderId: string | null;
  userId: string | null;
  eventSeq: number;
  createdAt: string;
}

export async function queueEmails(db: Kysely<Database>, list: NewEmail[]): Promise<void> {
  if (list.length === 0) return;
  await db
    .insertInto('emails')
    .values(
      list.map((e) => ({
        kind: e.kind,
        to_address: e.to,
        subject: e.subject,
        body: e.body,
        order_id: e.orderId,
        user_id: e.userId,
        event_seq: e.eventSeq,
        status: 'pending',
        attempts: 0,
        next_attempt_at: e.createdAt,
        locked_until: null,
        created_at: e.createdAt,
        first_attempt_at: null,
        sent_at: null,
        last_error: null,
      })),
    )
    .execute();
}

export interface DueEmail {
  id: number;
  to: string;
  subject: string;
  body: string;
  attempts: number;
  firstAttemptAt: string | null;
}

/**
 * Takes up to `limit` e-mails that are due and not being sent by anyone, and leases them until
 * `leaseUntil` (a sender that dies mid-send frees them when the lease runs out). Call in a transaction.
 */
export async function claimDueEmails(
  tx: Kysely<Database>,
  dialect: Dialect,
  now: string,
  leaseUntil: string,
  limit: number,
): Promise<DueEmail[]> {
  const q = tx
    .selectFrom('emails')
    .select(['id', 'to_address', 'subject', 'body', 'attempts', 'first_attempt_at'])
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit);
  const rows = await inClaimOrder(tx, dialect, () => (dialect === 'postgres' ? q.forUpdate().skipLocked() : q).execute(), 'keep');
  if (rows.length === 0) return [];
  await tx
    .updateTable('emails')
    .set({ locked_until: leaseUntil })
    .where(
      'id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  return rows.map((r) => ({
    id: r.id,
    to: r.to_address,
    subject: r.subject,
    body: r.body,
    attempts: r.attempts,
    firstAttemptAt: r.first_attempt_at,
  }));
}

export async function emailSent(db: Kysely<Database>, id: number, at: string, firstAttemptAt: string): Promise<void> {
  await db
    .updateTable('emails')
    .set((eb) => ({
      status: 'sent',
      sent_at: at,
      attempts: eb('attempts', '+', 1),
      first_attempt_at: firstAttemptAt,
      locked_until: null,
      last_error: null,
    }))
    .where('id', '=', id)
    .execute();
}

/** A failed attempt: try again at `retryAt`, or give up when it is null. */
export async function emailFailed(
  db: Kysely<Database>,
  id: number,
  at: { firstAttemptAt: string; error: string; retryAt: string | null },
): Promise<void> {
  await db
    .updateTable('emails')
    .set((eb) => ({
      status: at.retryAt ? 'pending' : 'failed',
      attempts: eb('attempts', '+', 1),
      first_attempt_at: at.firstAttemptAt,
      next_attempt_at: at.retryAt ?? at.firstAttemptAt,
      locked_until: null,
      last_error: at.error.slice(0, 1000),
    }))
    .where('id', '=', id)
    .execute();
}

export interface EmailRecord {
  id: number;
  kind: EmailKind;
  to: string;
  subject: string;
  status: string;
  attempts: number;
  orderId: string | null;
  createdAt: string;
  sentAt: string | null;
  lastError: string | null;
}

/** E-mails about one order, oldest first (for support and tests). */
export async function emailsOfOrder(db: Kysely<Database>, orderId: string): Promise<EmailRecord[]> {
  const rows = await db.selectFrom('emails').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as EmailKind,
    to: r.to_address,
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    orderId: r.order_id,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    lastError: r.last_error,
  }));
}
