// Webhook endpoints, their deliveries (one per event and endpoint) and every attempt to send one.
import { type Kysely, type Selectable, sql } from 'kysely';
import { isRole, type Role } from '../domain/roles.ts';
import type { WebhookEventType } from '../domain/webhooks.ts';
import type { Dialect } from './db.ts';
import { inClaimOrder } from './queue-plan.ts';
import type { Database, WebhookDeliveryTable, WebhookTable } from './schema.ts';

export interface Webhook {
  id: string;
  url: string;
  eventTypes: WebhookEventType[];
  active: boolean;
  description: string | null;
  /** The role whose view the payloads carry: fields hidden from it are left out. Null: everything. */
  role: Role | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookWithSecret extends Webhook {
  secret: string;
}

function webhookFromRow(r: WebhookTable): WebhookWithSecret {
  return {
    id: r.id,
    url: r.url,
    eventTypes: JSON.parse(r.event_types) as WebhookEventType[],
    active: r.active === 1,
    description: r.description,
    role: isRole(r.role) ? r.role : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    secret: r.secret,
  };
}

export async function insertWebhook(db: Kysely<Database>, hook: WebhookWithSecret, createdBy: string | null): Promise<void> {
  await db
    .insertInto('webhooks')
    .values({
      id: hook.id,
      url: hook.url,
      event_types: JSON.stringify(hook.eventTypes),
      active: hook.active ? 1 : 0,
      description: hook.description,
      role: hook.role,
      secret: hook.secret,
      created_at: hook.createdAt,
      updated_at: hook.updatedAt,
      created_by: createdBy,
    })
    .execute();
}

export async function updateWebhook(db: Kysely<Database>, hook: WebhookWithSecret): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({
      url: hook.url,
      event_types: JSON.stringify(hook.eventTypes),
      active: hook.active ? 1 : 0,
      description: hook.description,
      role: hook.role,
      secret: hook.secret,
      updated_at: hook.updatedAt,
    })
    .where('id', '=', hook.id)
    .execute();
}

/** Removes an endpoint with its delivery log. */
export async function deleteWebhook(db: Kysely<Database>, id: string): Promise<void> {
  const deliveries = db.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', id);
  await db.deleteFrom('webhook_attempts').where('delivery_id', 'in', deliveries).execute();
  await db.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
  await db.deleteFrom('webhooks').where('id', '=', id).execute();
}

export async function findWebhook(db: Kysely<Database>, id: string): Promise<WebhookWithSecret | undefined> {
  const row = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? webhookFromRow(row) : undefined;
}

export async function listWebhooks(db: Kysely<Database>, opts: { activeOnly?: boolean } = {}): Promise<WebhookWithSecret[]> {
  let q = db.selectFrom('webhooks').selectAll();
  if (opts.activeOnly) q = q.where('active', '=', 1);
  return (await q.orderBy('created_at').orderBy('id').execute()).map(webhookFromRow);
}

export interface NewDelivery {
  webhookId: string;
  messageId: string;
  eventSeq: number;
  eventType: string;
  orderKey: string;
  payload: string;
  createdAt: string;
}

export async function insertDeliveries(db: Kysely<Database>, list: NewDelivery[]): Promise<void> {
  if (list.length === 0) return;
  await db
    .insertInto('webhook_deliveries')
    .values(
      list.map((d) => ({
        webhook_id: d.webhookId,
        message_id: d.messageId,
        event_seq: d.eventSeq,
        event_type: d.eventType,
        order_key: d.orderKey,
        payload: d.payload,
        status: 'pending',
        attempts: 0,
        next_attempt_at: d.createdAt,
        locked_until: null,
        created_at: d.createdAt,
        first_attempt_at: null,
        last_attempt_at: null,
        delivered_at: null,
        last_status: null,
        last_error: null,
      })),
    )
    .execute();
}

export interface DueDelivery {
  id: number;
  webhookId: string;
  messageId: string;
  payload: string;
  attempts: number;
  firstAttemptAt: string | null;
}

/**
 * The claim's query: due deliveries of the given endpoints that may go out now, oldest due first.
 * Shaped so that no plan can make it quadratic, whatever the statistics say: the outer rows come
 * from the partial index of waiting deliveries in claim order, and each ordering check is a scalar
 * subquery with LIMIT 1 (never turned into a join) answered by one probe of a partial index.
 */
export function dueDeliveriesQuery(
  db: Kysely<Database>,
  dialect: Dialect,
  opts: { now: string; limit: number; endpoints: string[] },
) {
  const q = db
    .selectFrom('webhook_deliveries as d')
    .select(['d.id', 'd.webhook_id', 'd.message_id', 'd.payload', 'd.attempts', 'd.first_attempt_at'])
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', opts.now)
    // SQLite would walk the endpoint's whole delivery log and sort it; a unary + keeps that index out of its choice.
    .where(dialect === 'sqlite' ? sql<string>`+${sql.ref('d.webhook_id')}` : sql.ref('d.webhook_id'), 'in', opts.endpoints)
    .where((eb) => eb.or([eb('d.locked_until', 'is', null), eb('d.locked_until', '<=', opts.now)]))
    // First in its order's line to its endpoint: no earlier delivery still waiting.
    .where((eb) =>
      eb(
        'd.event_seq',
        '=',
        eb
          .selectFrom('webhook_deliveries as e')
          .select('e.event_seq')
          .where('e.status', '=', 'pending')
          .whereRef('e.webhook_id', '=', 'd.webhook_id')
          .whereRef('e.order_key', '=', 'd.order_key')
          .orderBy('e.event_seq')
          .limit(1),
      ),
    )
    // No earlier event of its order still in the outbox (another dispatcher has not committed it yet).
    .where((eb) =>
      eb(
        eb.fn.coalesce(
          eb
            .selectFrom('outbox as o')
            .select('o.event_seq')
            .where('o.processed_at', 'is', null)
            .whereRef('o.order_id', '=', 'd.order_key')
            .orderBy('o.event_seq')
            .limit(1),
          'd.event_seq',
        ),
        '>=',
        eb.ref('d.event_seq'),
      ),
    )
    .orderBy('d.next_attempt_at')
    .orderBy('d.id')
    .limit(opts.limit);
  // PostgreSQL: rows another sender has locked are skipped, so several servers share the work.
  return dialect === 'postgres' ? q.forUpdate().skipLocked() : q;
}

/**
 * Deliveries that may go out now, oldest due first, at most `perEndpoint` of each listed endpoint.
 * One order's deliveries to one endpoint go out one at a time in event order: a delivery waits
 * while an earlier one for the same order and endpoint is still pending (in flight or retrying),
 * and while an earlier event of its order is still in the outbox (another dispatcher has not
 * committed it yet). The chosen ones are leased until `leaseUntil`. Call in a transaction.
 */
export async function claimDueDeliveries(
  tx: Kysely<Database>,
  dialect: Dialect,
  opts: { now: string; leaseUntil: string; limit: number; capacity: Map<string, number> },
): Promise<DueDelivery[]> {
  const endpoints = [...opts.capacity].filter(([, free]) => free > 0).map(([id]) => id);
  if (endpoints.length === 0) return [];
  const q = dueDeliveriesQuery(tx, dialect, { now: opts.now, limit: opts.limit, endpoints });
  const rows = await inClaimOrder(tx, dialect, () => q.execute(), 'keep');
  const free = new Map(opts.capacity);
  const chosen = rows.filter((r) => {
    const left = free.get(r.webhook_id) ?? 0;
    if (left <= 0) return false;
    free.set(r.webhook_id, left - 1);
    return true;
  });
  if (chosen.length === 0) return [];
  await tx
    .updateTable('webhook_deliveries')
    .set({ locked_until: opts.leaseUntil })
    .where(
      'id',
      'in',
      chosen.map((r) => r.id),
    )
    .execute();
  return chosen.map((r) => ({
    id: r.id,
    webhookId: r.webhook_id,
    messageId: r.message_id,
    payload: r.payload,
    attempts: r.attempts,
    firstAttemptAt: r.first_attempt_at,
  }));
}

export interface AttemptResult {
  at: string;
  firstAttemptAt: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  /** Delivered; else retry at `retryAt`, or failed for good when that is null. */
  ok: boolean;
  retryAt: string | null;
}

/**
 * Logs one attempt and moves the delivery on: delivered, waiting for a retry, or failed. On PostgreSQL both
 * writes go in one statement (one round trip, and atomic: a crash cannot log the attempt without its outcome).
 */
export async function recordAttempt(db: Kysely<Database>, dialect: Dialect, deliveryId: number, r: AttemptResult): Promise<void> {
  const attempt = {
    delivery_id: deliveryId,
    attempted_at: r.at,
    status_code: r.statusCode,
    duration_ms: r.durationMs,
    error: r.error?.slice(0, 500) ?? null,
  };
  const outcome = {
    status: r.ok ? 'delivered' : r.retryAt ? 'pending' : 'failed',
    attempts: sql<number>`attempts + 1`,
    first_attempt_at: r.firstAttemptAt,
    last_attempt_at: r.at,
    delivered_at: r.ok ? r.at : null,
    next_attempt_at: r.retryAt ?? r.at,
    locked_until: null,
    last_status: r.statusCode,
    last_error: r.error?.slice(0, 500) ?? null,
  };
  if (dialect === 'postgres') {
    await db
      .with('logged', (w) => w.insertInto('webhook_attempts').values(attempt))
      .updateTable('webhook_deliveries')
      .set(outcome)
      .where('id', '=', deliveryId)
      .execute();
    return;
  }
  await db.insertInto('webhook_attempts').values(attempt).execute();
  await db.updateTable('webhook_deliveries').set(outcome).where('id', '=', deliveryId).execute();
}

export interface DeliveryAttempt {
  at: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryRecord {
  id: number;
  messageId: string;
  eventSeq: number;
  eventType: string;
  orderId: string | null;
  status: DeliveryStatus;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  attemptLog: DeliveryAttempt[];
}

function deliveryFromRow(r: Selectable<WebhookDeliveryTable>, log: DeliveryAttempt[]): DeliveryRecord {
  return {
    id: r.id,
    messageId: r.message_id,
    eventSeq: r.event_seq,
    eventType: r.event_type,
    orderId: r.order_key === '-' ? null : r.order_key,
    status: r.status as DeliveryStatus,
    attempts: r.attempts,
    createdAt: r.created_at,
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
    deliveredAt: r.delivered_at,
    lastStatus: r.last_status,
    lastError: r.last_error,
    attemptLog: log,
  };
}

/** An endpoint's deliveries, newest first, each with its attempts (oldest first). */
export async function listDeliveries(
  db: Kysely<Database>,
  webhookId: string,
  page: { limit: number; before?: number | undefined; status?: string | undefined },
): Promise<DeliveryRecord[]> {
  let q = db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId);
  if (page.before !== undefined) q = q.where('id', '<', page.before);
  if (page.status) q = q.where('status', '=', page.status);
  const rows = await q.orderBy('id', 'desc').limit(page.limit).execute();
  if (rows.length === 0) return [];
  const attempts = await db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where(
      'delivery_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('id')
    .execute();
  const byDelivery = new Map<number, DeliveryAttempt[]>();
  for (const a of attempts) {
    const list = byDelivery.get(a.delivery_id) ?? [];
    list.push({ at: a.attempted_at, statusCode: a.status_code, durationMs: a.duration_ms, error: a.error });
    byDelivery.set(a.delivery_id, list);
  }
  return rows.map((r) => deliveryFromRow(r, byDelivery.get(r.id) ?? []));
}

export async function findDelivery(db: Kysely<Database>, webhookId: string, id: number): Promise<DeliveryRecord | undefined> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const attempts = await db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', id).orderBy('id').execute();
  return deliveryFromRow(
    row,
    attempts.map((a) => ({ at: a.attempted_at, statusCode: a.status_code, durationMs: a.duration_ms, error: a.error })),
  );
}

/**
 * Sends failed deliveries again, from now, with a fresh day of retries and the same message id
 * (receivers that saw it already recognise it). Only the given one, or all failed of the endpoint.
 */
export async function resendFailed(db: Kysely<Database>, webhookId: string, now: string, deliveryId?: number): Promise<number> {
  let q = db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: now, first_attempt_at: null, locked_until: null })
    .where('webhook_id', '=', webhookId)
    .where('status', '=', 'failed');
  if (deliveryId !== undefined) q = q.where('id', '=', deliveryId);
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

/** How many deliveries of each status (for the endpoint list and tests). */
export async function deliveryCounts(db: Kysely<Database>, webhookId?: string): Promise<Record<string, number>> {
  let q = db.selectFrom('webhook_deliveries').select(['status', (eb) => eb.fn.countAll<number>().as('n')]);
  if (webhookId) q = q.where('webhook_id', '=', webhookId);
  const rows = await q.groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** The earliest time a pending delivery or e-mail becomes due (so the sender knows when to look again). */
export async function nextDueAt(db: Kysely<Database>): Promise<string | null> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return (row?.at as string | null | undefined) ?? null;
}

/**
 * Frees every lease on deliveries and e-mails. Only for a database one process owns (SQLite): at
 * start-up, whatever was claimed was claimed by a process that is gone.
 */
export async function releaseLeases(db: Kysely<Database>): Promise<void> {
  await db.updateTable('webhook_deliveries').set({ locked_until: null }).where('status', '=', 'pending').execute();
  await db.updateTable('emails').set({ locked_until: null }).where('status', '=', 'pending').execute();
}
