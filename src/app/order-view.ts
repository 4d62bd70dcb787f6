// An order as the API returns it to one role at one moment: flags computed, hidden fields left out.
import { visibleFieldValues } from '../domain/fields.ts';
import { type Flag, flagsAt } from '../domain/order.ts';
import type { Role } from '../domain/roles.ts';
import { findStage, type Workflow } from '../domain/workflow.ts';
import type { StageVisit, StoredOrder } from '../store/orders.ts';

export interface OrderView extends Omit<StoredOrder, 'trackingToken'> {
  trackingUrl: string;
  stageLabel: string;
  ownerRole: Role | null;
  nextAction: string | null;
  stageHistory: StageVisit[];
  flags: Flag[];
}

export function trackingUrl(token: string): string {
  return `/track/${token}`;
}

export function presentOrder(order: StoredOrder, wf: Workflow, visits: StageVisit[], role: Role, now: Date): OrderView {
  const { trackingToken, ...rest } = order;
  const stage = findStage(wf, order.stage);
  return {
    ...rest,
    fields: visibleFieldValues(wf, order.fields, role),
    trackingUrl: trackingUrl(trackingToken),
    stageLabel: stage?.label ?? order.stage,
    ownerRole: stage?.ownerRole ?? null,
    nextAction: order.state === 'active' ? (stage?.nextAction ?? null) : null,
    stageHistory: visits,
    flags: flagsAt(order, wf, now),
  };
}
