// Holding, resuming and cancelling an order: allowed to managers, admins and the current stage's owner.

import type { Order } from '../domain/order.ts';
import { mayHoldOrCancel } from '../domain/roles.ts';
import type { Workflow } from '../domain/workflow.ts';
import { findStage } from '../domain/workflow.ts';
import { changeOrder, orderOf } from './change-order.ts';
import type { Actor, AppContext } from './context.ts';
import type { OrderView } from './order-view.ts';
import { Problem } from './problem.ts';

export interface ReasonInput {
  reason?: string | null | undefined;
  expectedVersion?: number | undefined;
}

function checkMayHold(actor: Actor, order: Order, wf: Workflow): void {
  const owner = findStage(wf, order.stage)?.ownerRole;
  if (owner && !mayHoldOrCancel(actor.role, owner)) {
    throw new Problem('not-stage-owner', `Only ${owner}, a manager or an admin may hold, resume or cancel this order`, {
      ownerRole: owner,
    });
  }
}

function requireReason(input: ReasonInput, what: string): string {
  const reason = input.reason?.trim();
  if (!reason) throw new Problem('reason-required', `Say why the order is ${what}`);
  return reason;
}

function notActive(order: Order, what: string): Problem {
  return new Problem('order-not-active', `Order ${order.number} is ${order.state.replace('_', ' ')} and cannot be ${what}`, {
    state: order.state,
  });
}

export function holdOrder(app: AppContext, actor: Actor, idOrNumber: string, input: ReasonInput): Promise<OrderView> {
  return orderOf(
    changeOrder(app, actor, idOrNumber, input.expectedVersion, (order, wf, now) => {
      if (order.state !== 'active') throw notActive(order, 'put on hold');
      checkMayHold(actor, order, wf);
      const reason = requireReason(input, 'put on hold');
      return {
        next: { ...order, state: 'on_hold', holdReason: reason, version: order.version + 1, updatedAt: now },
        events: [{ type: 'order.held', data: { reason, stage: order.stage } }],
      };
    }),
  );
}

export function resumeOrder(app: AppContext, actor: Actor, idOrNumber: string, input: ReasonInput): Promise<OrderView> {
  return orderOf(
    changeOrder(app, actor, idOrNumber, input.expectedVersion, (order, wf, now) => {
      if (order.state !== 'on_hold') throw notActive(order, 'resumed');
      checkMayHold(actor, order, wf);
      return {
        next: { ...order, state: 'active', holdReason: null, version: order.version + 1, updatedAt: now },
        events: [{ type: 'order.resumed', data: { stage: order.stage, ...(input.reason ? { reason: input.reason } : {}) } }],
      };
    }),
  );
}

export function cancelOrder(app: AppContext, actor: Actor, idOrNumber: string, input: ReasonInput): Promise<OrderView> {
  return orderOf(
    changeOrder(app, actor, idOrNumber, input.expectedVersion, (order, wf, now) => {
      if (order.state !== 'active' && order.state !== 'on_hold') throw notActive(order, 'cancelled');
      checkMayHold(actor, order, wf);
      const reason = requireReason(input, 'cancelled');
      return {
        next: { ...order, state: 'cancelled', holdReason: null, version: order.version + 1, updatedAt: now },
        events: [{ type: 'order.cancelled', data: { reason, stage: order.stage } }],
      };
    }),
  );
}
