// Finance: the orders ready to invoice, with their amounts, and marking one invoiced (an event; the order itself does not change).

import type { Kysely } from 'kysely';
import type { ChainedEvent } from '../domain/audit.ts';
import { type FieldValues, visibleFieldValues } from '../domain/fields.ts';
import { type InvoiceLine, invoiceAmount, invoiceStages } from '../domain/invoice.ts';
import { formatMinor } from '../domain/money.ts';
import type { OrderItem, OrderState } from '../domain/order.ts';
import { maySeeFinanceFigures } from '../domain/roles.ts';
import type { Workflow } from '../domain/workflow.ts';
import { isUniqueViolation } from '../store/db.ts';
import { appendEvents } from '../store/events.ts';
import { findInvoice, insertInvoice, type ReadyOrder, uninvoicedAmounts, uninvoicedOrders } from '../store/invoices.ts';
import type { Database } from '../store/schema.ts';
import { listWorkflows } from '../store/workflows.ts';
import { type Actor, type AppContext, eventActor, transact } from './context.ts';
import { loadOrder, loadWorkflow } from './load.ts';
import { forbidden, Problem, validationFailed } from './problem.ts';
import { bringFactsUpToDate } from './reports/insight.ts';
import { automationSettings } from './settings.ts';

export interface ReadyToInvoice {
  orderId: string;
  number: string;
  workflow: string;
  title: string;
  customer: { name: string; email: string | null };
  state: OrderState;
  stage: string;
  stageLabel: string;
  /** When the order first reached the invoice stage (or one after it). */
  readySince: string;
  completedAt: string | null;
  dueDate: string | null;
  lines: InvoiceLine[];
  amount: string | null;
}

export interface ReadyList {
  items: ReadyToInvoice[];
  /** Over the whole list, not only this page. */
  totals: { orders: number; amount: string; withoutAmount: number };
  /** The workspace's currency (ISO 4217) the amounts are in. */
  currency: string;
  nextCursor: string | null;
}

function checkFinance(actor: Actor): void {
  if (!maySeeFinanceFigures(actor.role)) throw forbidden('Only finance, a manager or an admin may see invoicing');
}

async function scopesFor(app: AppContext, workflow: string | undefined): Promise<Map<string, Workflow>> {
  const db = app.db.kysely;
  const workflows = workflow ? [await loadWorkflow(db, workflow)] : await listWorkflows(db);
  return new Map(workflows.map((w) => [w.key, w]));
}

function present(actor: Actor, workflows: Map<string, Workflow>, orders: ReadyOrder[]): ReadyToInvoice[] {
  return orders.map((o) => {
    const wf = workflows.get(o.workflow)!;
    const amount = invoiceAmount(wf, visibleFieldValues(wf, o.fields, actor.role), o.items);
    return {
      orderId: o.id,
      number: o.number,
      workflow: wf.key,
      title: o.title,
      customer: o.customer,
      state: o.state,
      stage: o.stage,
      stageLabel: wf.stages.find((s) => s.key === o.stage)?.label ?? o.stage,
      readySince: new Date(o.readySinceMs).toISOString(),
      completedAt: o.completedAt,
      dueDate: o.dueDate,
      lines: amount.lines,
      amount: amount.total,
    };
  });
}

/** Every order ready to invoice (in one workflow, or all), longest in its stage first: for a CSV. */
export async function readyToInvoice(
  app: AppContext,
  actor: Actor,
  query: { workflow?: string | undefined },
): Promise<ReadyToInvoice[]> {
  checkFinance(actor);
  const workflows = await scopesFor(app, query.workflow);
  await bringFactsUpToDate(app);
  return present(actor, workflows, await uninvoicedOrders(app.db.kysely, [...workflows.keys()]));
}

/** A page of the orders ready to invoice, with the count and amount of the whole list. */
export async function readyToInvoicePage(
  app: AppContext,
  actor: Actor,
  query: { workflow?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<ReadyList> {
  checkFinance(actor);
  const offset = query.cursor === undefined ? 0 : Number(query.cursor);
  if (!Number.isInteger(offset) || offset < 0) {
    throw validationFailed('cursor is not one this server gave out', [{ path: 'querystring.cursor', message: 'is not valid' }]);
  }
  const workflows = await scopesFor(app, query.workflow);
  await bringFactsUpToDate(app);
  const page = await uninvoicedOrders(app.db.kysely, [...workflows.keys()], { limit: query.limit, offset });
  let total = 0n;
  let count = 0;
  let withoutAmount = 0;
  for (const row of await uninvoicedAmounts(app.db.kysely, [...workflows.keys()])) {
    const wf = workflows.get(row.workflow)!;
    const fields = visibleFieldValues(wf, JSON.parse(row.fields) as FieldValues, actor.role);
    const amount = invoiceAmount(wf, fields, JSON.parse(row.items) as OrderItem[]);
    count += 1;
    if (amount.total === null) withoutAmount += 1;
    else total += amount.totalMinor;
  }
  return {
    items: present(actor, workflows, page),
    totals: { orders: count, amount: formatMinor(total), withoutAmount },
    currency: (await automationSettings(app)).currency,
    nextCursor: offset + query.limit < count ? String(offset + query.limit) : null,
  };
}

export interface InvoiceMarkView {
  orderId: string;
  number: string;
  invoicedAt: string;
  reference: string | null;
  by: { kind: string; id: string | null; name: string };
  eventSeq: number;
}

/**
 * Marks an order invoiced: recorded as an `order.invoiced` event (with the reference, never the
 * amount: the history is read by everyone) in the same transaction as the mark. The order's
 * version and state do not change. Only once per order, and only after it reached the invoice stage.
 */
export async function markInvoiced(
  app: AppContext,
  actor: Actor,
  idOrNumber: string,
  input: { reference?: string | null | undefined },
): Promise<InvoiceMarkView> {
  const [mark] = await markManyInvoiced(app, actor, [idOrNumber], input);
  return mark!;
}

/** Most orders one call marks invoiced: a page of the ready-to-invoice list. */
export const MAX_BULK_INVOICED = 200;

/**
 * Marks several orders invoiced in one transaction, each with its own `order.invoiced` event: all of
 * them, or (when one cannot be: not ready, cancelled, already invoiced, unknown) none, naming that one.
 */
export async function markManyInvoiced(
  app: AppContext,
  actor: Actor,
  idsOrNumbers: string[],
  input: { reference?: string | null | undefined },
): Promise<InvoiceMarkView[]> {
  checkFinance(actor);
  const reference = input.reference?.trim() || null;
  let current = '';
  try {
    return await transact(app, async (tx) => {
      const marks: InvoiceMarkView[] = [];
      const seen = new Set<string>();
      for (const idOrNumber of idsOrNumbers) {
        current = idOrNumber;
        const order = await loadOrder(tx, idOrNumber, { forUpdate: app.db.dialect === 'postgres' });
        if (seen.has(order.id)) continue;
        seen.add(order.id);
        marks.push(await markOne(app, tx, actor, order, reference));
      }
      return marks;
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      const order = await loadOrder(app.db.kysely, current);
      const earlier = await findInvoice(app.db.kysely, order.id);
      throw alreadyInvoiced(order.number, earlier?.invoicedAt ?? '');
    }
    throw err;
  }
}

async function markOne(
  app: AppContext,
  tx: Kysely<Database>,
  actor: Actor,
  order: Awaited<ReturnType<typeof loadOrder>>,
  reference: string | null,
): Promise<InvoiceMarkView> {
  const wf = await loadWorkflow(tx, order.workflow);
  const earlier = await findInvoice(tx, order.id);
  if (earlier) throw alreadyInvoiced(order.number, earlier.invoicedAt);
  if (order.state === 'cancelled') {
    throw new Problem('order-not-active', `Order ${order.number} is cancelled: there is nothing to invoice`, {
      state: order.state,
    });
  }
  if (!invoiceStages(wf).includes(order.stage)) {
    const trigger = wf.stages.find((s) => s.invoiceTrigger);
    throw new Problem(
      'conflict',
      trigger
        ? `Order ${order.number} has not reached ${trigger.label} yet: it is not ready to invoice`
        : `Workflow "${wf.key}" has no invoice stage`,
    );
  }
  const now = app.clock.now().toISOString();
  const [event] = (await appendEvents(tx, app.db.dialect, [
    {
      type: 'order.invoiced',
      at: now,
      orderId: order.id,
      orderVersion: order.version,
      actor: eventActor(actor),
      data: { reference },
    },
  ])) as [ChainedEvent];
  const mark = { orderId: order.id, invoicedAt: now, eventSeq: event.seq, reference, by: eventActor(actor) };
  await insertInvoice(tx, mark);
  return { ...mark, number: order.number };
}

function alreadyInvoiced(number: string, at: string): Problem {
  return new Problem('conflict', `Order ${number} was already marked invoiced${at ? ` at ${at}` : ''}`, { invoicedAt: at });
}
