// The customer's tracking link: what it shows, the approval it takes, and staff rotating it or switching it off.
import type { DateStyle } from '../domain/date-format.ts';
import type { DetailChange } from '../domain/events.ts';
import { planMove } from '../domain/moves.ts';
import type { OrderState } from '../domain/order.ts';
import { mayEditOrders } from '../domain/roles.ts';
import {
  type ApprovalOffer,
  approvalOffer,
  type CustomerNote,
  changesReturnStage,
  customerNote,
  customerStatus,
  customerTimeline,
  type DeliveryEstimate,
  deliveryEstimate,
  type TimelineStep,
} from '../domain/tracking.ts';
import { findField, findStage, stageIndex, type Workflow } from '../domain/workflow.ts';
import { appendEvents } from '../store/events.ts';
import { type StoredOrder, stageVisits } from '../store/orders.ts';
import { orderByTrackingToken, replaceTrackingToken, setTrackingEnabled, trackingEnabled } from '../store/tracking.ts';
import { findWorkflow } from '../store/workflows.ts';
import { changeOrder } from './change-order.ts';
import { type Actor, type AppContext, eventActor, transact } from './context.ts';
import { newTrackingToken } from './create-order.ts';
import { loadOrder } from './load.ts';
import { stageChange } from './move-order.ts';
import { customerProof } from './order-files.ts';
import { trackingUrl } from './order-view.ts';
import { forbidden, notFound, Problem } from './problem.ts';
import { presentEta } from './reports/forecasts.ts';
import { automationSettings, dateStyle, flagContext } from './settings.ts';

/** Everything the tracking page shows: nothing internal (no staff, internal stage, field, price or comment). */
export interface TrackingView {
  shop: { name: string; logoUrl: string | null; accentColor: string; contact: string | null };
  order: { number: string; title: string };
  status: { label: string; state: OrderState };
  steps: TimelineStep[];
  delivery: DeliveryEstimate;
  note: CustomerNote | null;
  approval: (ApprovalOffer & { proofFile: TrackedProof | null }) | null;
  updatedAt: string;
  /** How the shop writes dates: the page shows every date this way. */
  dates: DateStyle;
}

/** The proof file the customer is asked to approve, read through their tracking link. */
export interface TrackedProof {
  id: string;
  name: string;
  type: string;
  size: number;
  url: string;
}

/** Tokens are base64url; anything else is not worth a database read. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;

function unknownLink(): Problem {
  return notFound('This tracking link');
}

/** The order behind a live tracking link, or a plain 404 (unknown, rotated or switched off: all look the same). */
export async function trackedOrder(app: AppContext, token: string): Promise<StoredOrder> {
  const order = TOKEN_SHAPE.test(token) ? await orderByTrackingToken(app.db.kysely, token) : undefined;
  if (!order) throw unknownLink();
  return order;
}

/** The customer's view of the order behind a tracking link. */
export async function trackOrder(app: AppContext, token: string): Promise<TrackingView> {
  const db = app.db.kysely;
  const order = await trackedOrder(app, token);
  const wf = await findWorkflow(db, order.workflow);
  if (!wf) throw unknownLink();
  const [settings, eta, visits, proof] = await Promise.all([
    automationSettings(app),
    forecastOf(app, order, wf),
    stageVisits(db, [order.id]),
    customerProof(db, order.id),
  ]);
  const now = app.clock.now();
  const offer = approvalOffer(wf, order, proof !== null);
  return {
    shop: { name: settings.email.shopName, ...settings.tracking },
    order: { number: order.number, title: order.title },
    status: { label: customerStatus(wf, order), state: order.state },
    steps: customerTimeline(wf, order, visits.get(order.id) ?? [], settings.calendar),
    delivery: deliveryEstimate(order, eta, settings.calendar, now, settings.locale),
    dates: dateStyle(settings),
    note: customerNote(wf, order, settings.tracking.contact, proof !== null),
    approval: offer && {
      ...offer,
      proofFile: proof && {
        id: proof.id,
        name: proof.name,
        type: proof.type,
        size: proof.size,
        url: `/api/v1/track/${encodeURIComponent(token)}/files/${proof.id}`,
      },
    },
    updatedAt: order.updatedAt,
  };
}

/**
 * The order's forecast completion (insight's eta). A customer's page must not fail with a forecast: without
 * one, the promised date stands.
 */
async function forecastOf(app: AppContext, order: StoredOrder, wf: Workflow): Promise<{ p50: string; p85: string } | null> {
  try {
    const ctx = await flagContext(app);
    return presentEta(ctx.eta?.(order, wf));
  } catch {
    return null;
  }
}

/** The customer, acting through their tracking link: recorded by name, with no rights beyond the link. */
export function customerActor(order: StoredOrder): Actor {
  return { kind: 'customer', id: null, name: order.customer.name, role: 'viewer', userId: null };
}

/** The approval stage an order waits in, checked as the customer would be told; throws a plain refusal. */
function awaitingApproval(order: StoredOrder, wf: Workflow, token: string, proofFile: string | null) {
  if (order.trackingToken !== token) throw unknownLink();
  const stage = findStage(wf, order.stage);
  if (order.state === 'on_hold') {
    throw new Problem('order-not-active', 'Your order is on hold for the moment: we will be in touch', { state: order.state });
  }
  if (order.state !== 'active') {
    throw new Problem('order-not-active', `Your order is ${order.state.replace('_', ' ')}: there is nothing to approve`, {
      state: order.state,
    });
  }
  const offer = approvalOffer(wf, order, proofFile !== null);
  if (!stage || !offer) throw new Problem('conflict', 'Nothing is waiting for your approval right now');
  if (!offer.canRespond) throw new Problem('conflict', 'The proof is not ready yet: we will add it here for you to approve');
  return stage;
}

/**
 * The customer approves: the checkbox fields the stage requires are ticked (their approval is what those
 * boxes stand for), and the order moves to the next stage, all recorded with the customer as the actor.
 */
export async function approveByCustomer(app: AppContext, token: string): Promise<TrackingView> {
  const order = await trackedOrder(app, token);
  const proofFile = (await customerProof(app.db.kysely, order.id))?.id ?? null;
  await changeOrder(app, customerActor(order), order.id, undefined, (current, wf, now) => {
    const stage = awaitingApproval(current, wf, token, proofFile);
    const next = wf.stages[stageIndex(wf, stage.key) + 1];
    if (!next) throw new Problem('conflict', 'Nothing is waiting for your approval right now');
    const changes: DetailChange[] = [];
    const fields = { ...current.fields };
    for (const key of stage.requires ?? []) {
      if (findField(wf, key)?.type === 'checkbox' && fields[key] !== true) {
        changes.push({ field: `fields.${key}`, before: fields[key] ?? null, after: true });
        fields[key] = true;
      }
    }
    const approved = { ...current, fields };
    const plan = planMove(wf, approved, { to: next.key }, stage.ownerRole);
    // What else the stage needs is the shop's to fill: the customer hears only that it is not ready.
    if ('code' in plan) throw new Problem('conflict', 'We are not quite ready for your approval yet: we will be in touch');
    const move = stageChange(wf, approved, plan, null, now);
    const proof = stage.proofField ? (current.fields[stage.proofField] ?? null) : null;
    return {
      ...move,
      events: [
        { type: 'order.customer_approved', data: { stage: stage.key, proof, proofFile } },
        ...(changes.length ? [{ type: 'order.updated' as const, data: { changes } }] : []),
        ...move.events,
      ],
    };
  });
  return trackOrder(app, token);
}

export const MAX_CHANGE_REQUEST = 2000;

/** The customer asks for changes: the order goes back to the stage the workflow names, with their message. */
export async function requestChangesByCustomer(app: AppContext, token: string, message: string): Promise<TrackingView> {
  const text = message.trim();
  if (!text) {
    throw new Problem('validation-failed', 'Tell us what to change', {
      errors: [{ path: 'message', message: 'must not be empty' }],
    });
  }
  const order = await trackedOrder(app, token);
  const proofFile = (await customerProof(app.db.kysely, order.id))?.id ?? null;
  await changeOrder(app, customerActor(order), order.id, undefined, (current, wf, now) => {
    const stage = awaitingApproval(current, wf, token, proofFile);
    const back = changesReturnStage(wf, stage);
    if (!back) throw new Problem('conflict', 'Nothing is waiting for your approval right now');
    const plan = { kind: 'rework' as const, from: stage.key, to: back, override: false, skipped: [] };
    const move = stageChange(wf, current, plan, `The customer asked for changes: ${text}`, now);
    return {
      ...move,
      events: [
        { type: 'order.changes_requested', data: { stage: stage.key, returnTo: back, message: text, proofFile } },
        ...move.events,
      ],
    };
  });
  return trackOrder(app, token);
}

/** An order's tracking link as staff see it. */
export interface TrackingLink {
  orderId: string;
  number: string;
  enabled: boolean;
  trackingUrl: string;
}

async function linkOf(app: AppContext, order: StoredOrder): Promise<TrackingLink> {
  return {
    orderId: order.id,
    number: order.number,
    enabled: await trackingEnabled(app.db.kysely, order.id),
    trackingUrl: trackingUrl(order.trackingToken),
  };
}

export async function trackingLink(app: AppContext, _actor: Actor, idOrNumber: string): Promise<TrackingLink> {
  return linkOf(app, await loadOrder(app.db.kysely, idOrNumber));
}

function checkMayChangeLink(actor: Actor): void {
  if (!mayEditOrders(actor.role)) throw forbidden(`A ${actor.role} may not change an order's tracking link`);
}

/**
 * Changes the link in one transaction with its `order.tracking_changed` event (never the token itself).
 * The order's version stays: what the order is has not changed.
 */
async function changeLink(
  app: AppContext,
  actor: Actor,
  idOrNumber: string,
  change: 'rotated' | 'enabled' | 'disabled',
): Promise<TrackingLink> {
  checkMayChangeLink(actor);
  const order = await transact(app, async (tx) => {
    const order = await loadOrder(tx, idOrNumber, { forUpdate: app.db.dialect === 'postgres' });
    const at = app.clock.now().toISOString();
    if (change === 'rotated') {
      order.trackingToken = newTrackingToken();
      await replaceTrackingToken(tx, order.id, order.trackingToken);
    } else {
      const enabled = change === 'enabled';
      if ((await trackingEnabled(tx, order.id)) === enabled) return order;
      await setTrackingEnabled(tx, order.id, enabled, at);
    }
    await appendEvents(tx, app.db.dialect, [
      {
        type: 'order.tracking_changed',
        at,
        orderId: order.id,
        orderVersion: order.version,
        actor: eventActor(actor),
        data: { change },
      },
    ]);
    return order;
  });
  return linkOf(app, order);
}

/** A new tracking link; the old one stops working at once. */
export function rotateTrackingLink(app: AppContext, actor: Actor, idOrNumber: string): Promise<TrackingLink> {
  return changeLink(app, actor, idOrNumber, 'rotated');
}

/** Switches the tracking link off (it answers as an unknown link) or back on. */
export function setTrackingLink(app: AppContext, actor: Actor, idOrNumber: string, enabled: boolean): Promise<TrackingLink> {
  return changeLink(app, actor, idOrNumber, enabled ? 'enabled' : 'disabled');
}
