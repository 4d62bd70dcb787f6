// Moving an order between stages, under the workflow's rule table.

import type { StageChangedData } from '../domain/events.ts';
import { type MovePlan, type MoveRefusal, planMove } from '../domain/moves.ts';
import { findStage, isFinalStage, type Workflow } from '../domain/workflow.ts';
import type { StoredOrder } from '../store/orders.ts';
import { changeOrder, type OrderChange, orderOf } from './change-order.ts';
import type { Actor, AppContext } from './context.ts';
import type { OrderView } from './order-view.ts';
import { Problem } from './problem.ts';

export interface MoveInput {
  to: string;
  reason?: string | null | undefined;
  expectedVersion?: number | undefined;
}

export function moveOrder(app: AppContext, actor: Actor, idOrNumber: string, input: MoveInput): Promise<OrderView> {
  // The answer carries the current stage's entry, not the whole history: it stays small however often the order moves.
  return orderOf(
    changeOrder(
      app,
      actor,
      idOrNumber,
      input.expectedVersion,
      (order, wf, now) => {
        const plan = planMove(wf, order, input, actor.role);
        if ('code' in plan) throw refusalProblem(plan, wf, order.number, order.stage);
        return stageChange(wf, order, plan, input.reason?.trim() || null, now);
      },
      'current',
    ),
  );
}

/** The change a planned move makes: the order in its new stage, the move's events, the stage visit it opens. */
export function stageChange(wf: Workflow, order: StoredOrder, plan: MovePlan, reason: string | null, now: string): OrderChange {
  const completes = isFinalStage(wf, plan.to);
  const data: StageChangedData = {
    from: plan.from,
    to: plan.to,
    reason,
    override: plan.override,
    kind: plan.kind,
    ...(plan.skipped.length ? { skipped: plan.skipped } : {}),
  };
  return {
    next: {
      ...order,
      stage: plan.to,
      stageEnteredAt: now,
      state: completes ? 'completed' : 'active',
      completedAt: completes ? now : null,
      version: order.version + 1,
      updatedAt: now,
    },
    entersStage: plan.to,
    events: [
      { type: 'order.stage_changed', data: { ...data } },
      ...(completes ? [{ type: 'order.completed' as const, data: { stage: plan.to } }] : []),
      ...invoiceEvents(wf, order, plan),
    ],
  };
}

/**
 * `order.ready_to_invoice` when a forward move enters (or skips over) a stage marked
 * `invoiceTrigger`, with what an invoicing system needs; rework back into it does not invoice twice.
 */
function invoiceEvents(
  wf: Workflow,
  order: StoredOrder,
  plan: MovePlan,
): Array<{ type: 'order.ready_to_invoice'; data: Record<string, unknown> }> {
  if (plan.kind === 'rework') return [];
  const trigger = [...plan.skipped, plan.to].map((key) => findStage(wf, key)).find((s) => s?.invoiceTrigger);
  if (!trigger) return [];
  const { number, customer, items, fields, dueDate } = order;
  return [{ type: 'order.ready_to_invoice', data: { stage: trigger.key, number, customer, items, fields, dueDate } }];
}

function stageLabel(wf: Workflow, key: string): string {
  return wf.stages.find((s) => s.key === key)?.label ?? key;
}

/** "Width must be filled and Proof approved must be ticked": a checkbox is ticked, anything else filled. */
function missingWords(wf: Workflow, missing: readonly string[], labels: readonly string[]): string {
  const isBox = (i: number) => wf.fields.find((f) => f.key === missing[i])?.type === 'checkbox';
  const filled = labels.filter((_, i) => !isBox(i));
  const ticked = labels.filter((_, i) => isBox(i));
  return [filled.length ? `${filled.join(', ')} must be filled` : '', ticked.length ? `${ticked.join(', ')} must be ticked` : '']
    .filter(Boolean)
    .join(' and ');
}

/** The API's words for each refusal of the rule table. */
export function refusalProblem(refusal: MoveRefusal, wf: Workflow, number: string, from?: string): Problem {
  switch (refusal.code) {
    case 'order-not-active':
      return new Problem('order-not-active', `Order ${number} is ${refusal.state.replace('_', ' ')} and cannot be moved`, {
        state: refusal.state,
      });
    case 'unknown-stage':
      return new Problem('unknown-stage', `Workflow "${wf.key}" has no stage "${refusal.stage}"`, { stage: refusal.stage });
    case 'same-stage':
      return new Problem(
        'validation-failed',
        `Order ${number} is already in ${stageLabel(wf, refusal.stage)}`,
        {
          errors: [{ path: 'to', message: 'is the current stage' }],
        },
        422,
      );
    case 'not-stage-owner':
      return new Problem(
        'not-stage-owner',
        `Only ${refusal.ownerRole}, a manager or an admin may move an order out of this stage`,
        {
          ownerRole: refusal.ownerRole,
        },
      );
    case 'requirements-unmet':
      return new Problem(
        'requirements-unmet',
        `${missingWords(wf, refusal.missing, refusal.labels)} before leaving ${from ? stageLabel(wf, from) : 'this stage'}`,
        {
          missing: refusal.missing,
        },
      );
    case 'stage-skip-not-allowed':
      return new Problem(
        'stage-skip-not-allowed',
        `Moving there would skip ${refusal.skipped.map((k) => stageLabel(wf, k)).join(', ')}; only a manager or admin may skip stages, with a reason`,
        { skipped: refusal.skipped },
      );
    case 'reason-required':
      return new Problem(
        'reason-required',
        refusal.kind === 'rework' ? 'Say why the order goes back to an earlier stage' : 'Say why stages are skipped',
      );
  }
}
