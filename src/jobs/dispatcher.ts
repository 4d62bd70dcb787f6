// The outbox dispatcher: turns each new event into webhook deliveries, in-app notifications and e-mails, in one transaction.
// Everything it makes is derived from events that committed, so nothing is sent that did not happen; an outbox row is
// marked processed in the same transaction as what it made, so a crash in between makes it all again or nothing.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppContext } from '../app/context.ts';
import { trackingUrl } from '../app/order-view.ts';
import { type AutomationSettings, automationSettings, dateStyle, flagContext } from '../app/settings.ts';
import type { ChainedEvent } from '../domain/audit.ts';
import { localDate } from '../domain/calendar.ts';
import type { Clock } from '../domain/clock.ts';
import { customerStageOf, customerUpdate } from '../domain/customer-updates.ts';
import { visibleEventData } from '../domain/fields.ts';
import { DEFAULT_EMAIL_KINDS, type NoticePlan, noticesFor } from '../domain/notifications.ts';
import { expectedCompletion } from '../domain/pace.ts';
import type { Role } from '../domain/roles.ts';
import { webhookMessage } from '../domain/webhooks.ts';
import type { Workflow } from '../domain/workflow.ts';
import { customerRecordEmail } from '../store/customers.ts';
import { type NewEmail, queueEmails } from '../store/emails.ts';
import {
  activeUsersWithRoles,
  customerEmailsOn,
  emailKindsOf,
  insertNotifications,
  type NewNotification,
  type Recipient,
  tokenOwner,
} from '../store/notifications.ts';
import type { StoredOrder } from '../store/orders.ts';
import { claimOutbox, eventsBySeq, markProcessed, ordersByIds } from '../store/outbox.ts';
import type { Database } from '../store/schema.ts';
import { trackingEnabled } from '../store/tracking.ts';
import { insertDeliveries, listWebhooks, type NewDelivery, type WebhookWithSecret } from '../store/webhooks.ts';
import { listWorkflows } from '../store/workflows.ts';

/**
 * People are told about news: an event older than this when it is dispatched (an imported or
 * simulated history, a server that was down for a week) still goes to webhooks, but makes no
 * notice or e-mail.
 */
export const NEWS_MAX_AGE_MS = 7 * 24 * 3_600_000;

/** A Standard Webhooks message id: unique per event and endpoint, kept across retries. */
function messageId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}

interface Batch {
  tx: Kysely<Database>;
  now: string;
  settings: AutomationSettings;
  hooks: WebhookWithSecret[];
  orders: Map<string, StoredOrder>;
  workflows: Map<string, Workflow>;
  deliveries: NewDelivery[];
  notifications: NewNotification[];
  emails: NewEmail[];
  recipients: Map<string, Recipient[]>;
  /** The user behind each API token met in this batch (a busy integration makes many events with one token). */
  tokenOwners: Map<string, string | null>;
}

export class OutboxDispatcher {
  constructor(
    private readonly app: AppContext,
    private readonly opts: { clock?: Clock; batch?: number } = {},
  ) {}

  /** Works one batch of the outbox, oldest first; returns how many events it handled (0: nothing to do). */
  async dispatchOnce(): Promise<number> {
    const { app } = this;
    let noticesMade = false;
    const handled = await app.db.kysely.transaction().execute(async (tx) => {
      const rows = await claimOutbox(tx, app.db.dialect, this.opts.batch ?? 200);
      if (rows.length === 0) return 0;
      const events = await eventsBySeq(
        tx,
        rows.map((r) => r.eventSeq),
      );
      const orderIds = [...new Set(rows.map((r) => r.orderId).filter((id): id is string => id !== null))];
      const batch: Batch = {
        tx,
        now: (this.opts.clock ?? app.clock).now().toISOString(),
        settings: await automationSettings(app, tx),
        hooks: await listWebhooks(tx, { activeOnly: true }),
        orders: await ordersByIds(tx, orderIds),
        workflows: new Map((await listWorkflows(tx)).map((w) => [w.key, w])),
        deliveries: [],
        notifications: [],
        emails: [],
        recipients: new Map(),
        tokenOwners: new Map(),
      };
      for (const row of rows) {
        const event = events.get(row.eventSeq);
        if (event) await this.#dispatch(batch, event, row.customerEmail);
      }
      await insertDeliveries(tx, batch.deliveries);
      await insertNotifications(tx, batch.notifications, app.db.dialect);
      await queueEmails(tx, batch.emails);
      await markProcessed(
        tx,
        rows.map((r) => r.id),
        batch.now,
      );
      noticesMade = batch.notifications.length > 0;
      return rows.length;
    });
    // The live feed hands new notices to their readers' screens (the bell): tell it, as any commit does.
    if (noticesMade) app.afterCommit?.();
    return handled;
  }

  async #dispatch(batch: Batch, event: ChainedEvent, customerEmail: boolean | null): Promise<void> {
    const order = event.orderId ? batch.orders.get(event.orderId) : undefined;
    const wf = order ? batch.workflows.get(order.workflow) : undefined;

    // Each endpoint gets the event as its role sees it: fields hidden from that role are not sent.
    const payloads = new Map<Role | null, string>();
    const payloadFor = (role: Role | null): string => {
      let payload = payloads.get(role);
      if (payload === undefined) {
        const data = role ? visibleEventData(wf ?? null, event.data, role) : event.data;
        const where = order ? { id: order.id, number: order.number, workflow: order.workflow } : null;
        payload = JSON.stringify(webhookMessage({ ...event, data }, where));
        payloads.set(role, payload);
      }
      return payload;
    };
    for (const hook of batch.hooks) {
      if (!(hook.eventTypes as readonly string[]).includes(event.type)) continue;
      const payload = payloadFor(hook.role);
      batch.deliveries.push({
        webhookId: hook.id,
        messageId: messageId(),
        eventSeq: event.seq,
        eventType: event.type,
        orderKey: event.orderId ?? '-',
        payload,
        createdAt: batch.now,
      });
    }

    if (!order || !wf) return;
    if (Date.parse(batch.now) - Date.parse(event.at) > NEWS_MAX_AGE_MS) return;
    const facts = { number: order.number, title: order.title, customerName: order.customer.name, dueDate: order.dueDate };
    const notices = noticesFor(event, facts, wf, dateStyle(batch.settings), Date.parse(batch.now));
    if (notices.length) {
      const causedBy = await this.#userBehind(batch, event);
      for (const notice of notices) await this.#notify(batch, event, order, notice, causedBy);
    }
    await this.#tellCustomer(batch, event, order, wf, customerEmail);
  }

  /** The user who caused an event (directly or through their token): they need no notice of their own act. */
  async #userBehind(batch: Batch, event: ChainedEvent): Promise<string | null> {
    const { kind, id } = event.actor;
    if (kind === 'user') return id;
    if (kind !== 'token' || !id) return null;
    if (!batch.tokenOwners.has(id)) batch.tokenOwners.set(id, await tokenOwner(batch.tx, id));
    return batch.tokenOwners.get(id)!;
  }

  async #notify(batch: Batch, event: ChainedEvent, order: StoredOrder, notice: NoticePlan, causedBy: string | null) {
    const people = (await this.#holdersOf(batch, notice.roles)).filter((p) => p.id !== causedBy);
    if (people.length === 0) return;
    for (const p of people) {
      batch.notifications.push({
        userId: p.id,
        kind: notice.kind,
        orderId: order.id,
        orderNumber: order.number,
        eventSeq: event.seq,
        title: notice.title,
        body: notice.body,
        createdAt: batch.now,
      });
    }
    if (!batch.settings.email.smtpUrl) return;
    const choices = await emailKindsOf(
      batch.tx,
      people.map((p) => p.id),
    );
    const link = `${batch.settings.publicUrl}/orders/${encodeURIComponent(order.number)}`;
    for (const p of people) {
      if (!(choices.get(p.id) ?? DEFAULT_EMAIL_KINDS).includes(notice.kind)) continue;
      batch.emails.push({
        kind: 'notification',
        to: p.email,
        subject: notice.title,
        body: `${notice.body}\n\nOpen the order: ${link}\n\nYou get this e-mail because you chose "${notice.kind}" notices by e-mail in Floorboard.\n`,
        orderId: order.id,
        userId: p.id,
        eventSeq: event.seq,
        createdAt: batch.now,
      });
    }
  }

  async #holdersOf(batch: Batch, roles: Role[]): Promise<Recipient[]> {
    const key = [...roles].sort().join(',');
    let people = batch.recipients.get(key);
    if (!people) {
      people = await activeUsersWithRoles(batch.tx, roles);
      batch.recipients.set(key, people);
    }
    return people;
  }

  /**
   * The customer's e-mail when the order enters a stage marked notifyCustomer, unless turned off for the order
   * when the event happened (`customerEmail`, recorded with the event; the switch now only for older events).
   */
  async #tellCustomer(
    batch: Batch,
    event: ChainedEvent,
    order: StoredOrder,
    wf: Workflow,
    customerEmail: boolean | null,
  ): Promise<void> {
    const stage = customerStageOf(event, wf);
    if (!stage || !batch.settings.email.smtpUrl) return;
    // The order's own e-mail first; an order without one reaches the customer at their record's.
    const to = order.customer.email ?? (await customerRecordEmail(batch.tx, order.customerId));
    if (!to) return;
    if (!(customerEmail ?? (await customerEmailsOn(batch.tx, order.id)))) return;
    // The promised date when there is one; otherwise what the shop's pace says.
    let expected = order.dueDate;
    if (!expected && order.state === 'active') {
      const ctx = await flagContext(this.app, batch.tx);
      const at = expectedCompletion(order, wf, new Date(batch.now), ctx.calendar, ctx.pace?.get(wf.key));
      expected = at ? localDate(ctx.calendar, at) : null;
    }
    // A link staff switched off is not handed out again.
    const link = (await trackingEnabled(batch.tx, order.id))
      ? `${batch.settings.publicUrl}${trackingUrl(order.trackingToken)}`
      : null;
    const mail = customerUpdate(
      { number: order.number, customerName: order.customer.name },
      stage,
      expected,
      link,
      batch.settings.email.shopName,
      batch.settings.locale,
    );
    batch.emails.push({
      kind: 'customer-update',
      to,
      subject: mail.subject,
      body: mail.text,
      orderId: order.id,
      userId: null,
      eventSeq: event.seq,
      createdAt: batch.now,
    });
  }
}
