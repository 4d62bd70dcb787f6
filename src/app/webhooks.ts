// Webhook endpoints (admin): register, change, remove, rotate the secret, read the delivery log, resend failed deliveries.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { mayAdminister, type Role } from '../domain/roles.ts';
import type { WebhookEventType } from '../domain/webhooks.ts';
import { appendEvents } from '../store/events.ts';
import type { Database } from '../store/schema.ts';
import {
  type DeliveryRecord,
  deleteWebhook,
  deliveryCounts,
  findDelivery,
  findWebhook,
  insertWebhook,
  listDeliveries,
  listWebhooks,
  resendFailed,
  updateWebhook,
  type Webhook,
  type WebhookWithSecret,
} from '../store/webhooks.ts';
import { type Actor, type AppContext, eventActor, transact } from './context.ts';
import { forbidden, notFound, Problem, validationFailed } from './problem.ts';
import { automationSettings } from './settings.ts';
import { webhookUrlRefusal } from './webhook-address.ts';

export interface WebhookInput {
  url: string;
  eventTypes: WebhookEventType[];
  active?: boolean | undefined;
  description?: string | null | undefined;
  /** Whose view the payloads carry (fields hidden from that role are left out); null or absent: everything. */
  role?: Role | null | undefined;
}

export interface WebhookView extends Webhook {
  /** Deliveries by status: pending, delivered, failed. */
  deliveries: Record<string, number>;
}

/** A Standard Webhooks secret: "whsec_" and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function checkAdmin(actor: Actor): void {
  if (!mayAdminister(actor.role)) throw forbidden('Only an admin may manage webhooks');
}

async function checkUrl(app: AppContext, url: string): Promise<void> {
  const settings = await automationSettings(app);
  const refusal = await webhookUrlRefusal(url, settings.webhooks.allowPrivateNetworks);
  if (refusal) throw validationFailed(`The URL ${refusal}`, [{ path: 'url', message: refusal }]);
}

function withoutSecret({ secret: _secret, ...hook }: WebhookWithSecret): Webhook {
  return hook;
}

async function present(app: AppContext, hook: WebhookWithSecret): Promise<WebhookView> {
  return { ...withoutSecret(hook), deliveries: await deliveryCounts(app.db.kysely, hook.id) };
}

/** What the audit trail says of an endpoint: everything but its secret. */
function described(hook: WebhookWithSecret) {
  return { url: hook.url, eventTypes: hook.eventTypes, active: hook.active, description: hook.description, role: hook.role };
}

async function audit(
  app: AppContext,
  tx: Kysely<Database>,
  actor: Actor,
  type: 'webhook.created' | 'webhook.updated' | 'webhook.removed',
  at: string,
  data: Record<string, unknown>,
): Promise<void> {
  await appendEvents(tx, app.db.dialect, [{ type, at, orderId: null, orderVersion: null, actor: eventActor(actor), data }]);
}

async function loadHook(app: AppContext, id: string): Promise<WebhookWithSecret> {
  const hook = await findWebhook(app.db.kysely, id);
  if (!hook) throw notFound(`Webhook ${id}`);
  return hook;
}

export async function webhooks(app: AppContext, actor: Actor): Promise<WebhookView[]> {
  checkAdmin(actor);
  return Promise.all((await listWebhooks(app.db.kysely)).map((h) => present(app, h)));
}

export async function webhook(app: AppContext, actor: Actor, id: string): Promise<WebhookView> {
  checkAdmin(actor);
  return present(app, await loadHook(app, id));
}

/** Registers an endpoint; its signing secret is in this answer and never again. */
export async function createWebhook(
  app: AppContext,
  actor: Actor,
  input: WebhookInput,
): Promise<WebhookView & { secret: string }> {
  checkAdmin(actor);
  await checkUrl(app, input.url);
  const now = app.clock.now().toISOString();
  const hook: WebhookWithSecret = {
    id: randomUUID(),
    url: input.url,
    eventTypes: [...new Set(input.eventTypes)],
    active: input.active ?? true,
    description: input.description?.trim() || null,
    role: input.role ?? null,
    createdAt: now,
    updatedAt: now,
    secret: newWebhookSecret(),
  };
  await transact(app, async (tx) => {
    await insertWebhook(tx, hook, actor.userId);
    await audit(app, tx, actor, 'webhook.created', now, { webhookId: hook.id, ...described(hook) });
  });
  return { ...(await present(app, hook)), secret: hook.secret };
}

export async function changeWebhook(
  app: AppContext,
  actor: Actor,
  id: string,
  change: Partial<WebhookInput>,
): Promise<WebhookView> {
  checkAdmin(actor);
  const hook = await loadHook(app, id);
  if (change.url !== undefined && change.url !== hook.url) await checkUrl(app, change.url);
  const next: WebhookWithSecret = {
    ...hook,
    url: change.url ?? hook.url,
    eventTypes: change.eventTypes ? [...new Set(change.eventTypes)] : hook.eventTypes,
    active: change.active ?? hook.active,
    description: change.description === undefined ? hook.description : change.description?.trim() || null,
    role: change.role === undefined ? hook.role : change.role,
    updatedAt: app.clock.now().toISOString(),
  };
  const changed = Object.entries(described(next)).filter(
    ([key, value]) => JSON.stringify(value) !== JSON.stringify(described(hook)[key as keyof ReturnType<typeof described>]),
  );
  await transact(app, async (tx) => {
    await updateWebhook(tx, next);
    if (changed.length > 0) {
      const before = described(hook);
      await audit(app, tx, actor, 'webhook.updated', next.updatedAt, {
        webhookId: id,
        changes: changed.map(([key, after]) => ({ field: key, before: before[key as keyof typeof before], after })),
      });
    }
  });
  return present(app, next);
}

/** A new secret, shown once; the old one stops working at once. */
export async function rotateWebhookSecret(app: AppContext, actor: Actor, id: string): Promise<WebhookView & { secret: string }> {
  checkAdmin(actor);
  const hook = await loadHook(app, id);
  const next = { ...hook, secret: newWebhookSecret(), updatedAt: app.clock.now().toISOString() };
  await transact(app, async (tx) => {
    await updateWebhook(tx, next);
    // The secret itself never enters the history: only that it was replaced.
    await audit(app, tx, actor, 'webhook.updated', next.updatedAt, { webhookId: id, secretRotated: true });
  });
  return { ...(await present(app, next)), secret: next.secret };
}

export async function removeWebhook(app: AppContext, actor: Actor, id: string): Promise<void> {
  checkAdmin(actor);
  const hook = await loadHook(app, id);
  await transact(app, async (tx) => {
    await deleteWebhook(tx, id);
    await audit(app, tx, actor, 'webhook.removed', app.clock.now().toISOString(), { webhookId: id, url: hook.url });
  });
}

const STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof STATUSES)[number];

/** The delivery log of an endpoint, newest first, each delivery with its attempts (status code, response time). */
export async function webhookDeliveries(
  app: AppContext,
  actor: Actor,
  id: string,
  query: { limit: number; cursor?: string | undefined; status?: DeliveryStatus | undefined },
): Promise<{ items: DeliveryRecord[]; nextCursor: string | null }> {
  checkAdmin(actor);
  await loadHook(app, id);
  if (query.cursor !== undefined && !/^\d{1,12}$/.test(query.cursor)) {
    throw validationFailed('cursor is not one this server gave out', [{ path: 'querystring.cursor', message: 'is not valid' }]);
  }
  const rows = await listDeliveries(app.db.kysely, id, {
    limit: query.limit + 1,
    before: query.cursor === undefined ? undefined : Number(query.cursor),
    status: query.status,
  });
  const items = rows.slice(0, query.limit);
  return { items, nextCursor: rows.length > query.limit ? String(items[items.length - 1]!.id) : null };
}

/** Sends one failed delivery again (same message id, so receivers can tell it is the same message). */
export async function resendDelivery(app: AppContext, actor: Actor, id: string, deliveryId: number): Promise<DeliveryRecord> {
  checkAdmin(actor);
  await loadHook(app, id);
  const delivery = await findDelivery(app.db.kysely, id, deliveryId);
  if (!delivery) throw notFound(`Delivery ${deliveryId} of webhook ${id}`);
  if (delivery.status !== 'failed') {
    throw new Problem('conflict', `Delivery ${deliveryId} is ${delivery.status}: only failed deliveries are resent`, {
      status: delivery.status,
    });
  }
  await transact(app, (tx) => resendFailed(tx, id, app.clock.now().toISOString(), deliveryId));
  return (await findDelivery(app.db.kysely, id, deliveryId))!;
}

export async function resendAllFailed(app: AppContext, actor: Actor, id: string): Promise<{ resent: number }> {
  checkAdmin(actor);
  await loadHook(app, id);
  return { resent: await transact(app, (tx) => resendFailed(tx, id, app.clock.now().toISOString())) };
}
