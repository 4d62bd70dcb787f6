// An order as the API returns it to one role at one moment: flags computed, hidden fields left out.
import { visibleFieldValues } from '../domain/fields.ts';
import { type Flag, type FlagContext, flagsAt } from '../domain/order.ts';
import type { Role } from '../domain/roles.ts';
import { customerStatus } from '../domain/tracking.ts';
import { findStage, type Workflow } from '../domain/workflow.ts';
import type { StageVisit, StoredOrder } from '../store/orders.ts';
import { type Eta, presentEta } from './reports/forecasts.ts';

export interface OrderView extends Omit<StoredOrder, 'trackingToken' | 'customerId'> {
  /** The customer record; null for an order no record was linked to. */
  customerId: string | null;
  trackingUrl: string;
  /** What the customer's tracking page says now, for staff to read next to the internal stage. */
  customerStatus: string;
  stageLabel: string;
  ownerRole: Role | null;
  nextAction: string | null;
  stageHistory: StageVisit[];
  /** Set when `stageHistory` holds only the current stage's entry (a move's answer): where the whole history is. */
  historyUrl?: string;
  flags: Flag[];
  /** Expected completion (local dates, 50% and 85% sure); null when not active or without history. */
  eta: Eta | null;
}

/** The order's whole history, oldest first (its stage visits are also on GET /orders/{id}). */
export function historyUrl(orderId: string): string {
  return `/api/v1/orders/${encodeURIComponent(orderId)}/events`;
}

export function trackingUrl(token: string): string {
  return `/track/${token}`;
}

export function presentOrder(
  order: StoredOrder,
  wf: Workflow,
  visits: StageVisit[],
  role: Role,
  now: Date,
  ctx: FlagContext,
): OrderView {
  const { trackingToken, ...rest } = order;
  const stage = findStage(wf, order.stage);
  return {
    ...rest,
    customerId: order.customerId ?? null,
    fields: visibleFieldValues(wf, order.fields, role),
    trackingUrl: trackingUrl(trackingToken),
    customerStatus: customerStatus(wf, order),
    stageLabel: stage?.label ?? order.stage,
    ownerRole: stage?.ownerRole ?? null,
    nextAction: order.state === 'active' ? (stage?.nextAction ?? null) : null,
    stageHistory: visits,
    flags: flagsAt(order, wf, now, ctx),
    eta: presentEta(ctx.eta?.(order, wf)),
  };
}
