// The transition rule table: which stage moves an actor may make, and what each move counts as.

import { hasValue } from './fields.ts';
import type { Order } from './order.ts';
import { mayMoveOutOf, mayOverride, type Role } from './roles.ts';
import { type FieldKey, findField, findStage, type StageKey, stageIndex, type WorkflowDefinition } from './workflow.ts';

export type MoveKind = 'forward' | 'skip' | 'rework';

export type MoveRefusal =
  | { code: 'order-not-active'; state: Order['state'] }
  | { code: 'unknown-stage'; stage: string }
  | { code: 'same-stage'; stage: StageKey }
  | { code: 'not-stage-owner'; ownerRole: Role }
  | { code: 'requirements-unmet'; missing: FieldKey[]; labels: string[] }
  | { code: 'stage-skip-not-allowed'; skipped: StageKey[] }
  | { code: 'reason-required'; kind: MoveKind };

export interface MovePlan {
  kind: MoveKind;
  from: StageKey;
  to: StageKey;
  /** True when a manager or admin skipped stages: recorded as an override with its reason. */
  override: boolean;
  skipped: StageKey[];
}

export interface MoveRequest {
  to: string;
  reason?: string | null | undefined;
}

/**
 * Decides whether `role` may move `order` to `request.to`. A move to the next stage
 * needs the current stage's requirements met; a jump forward needs a manager or admin
 * and a reason; a move back (rework) needs a reason. Returns the plan or the refusal.
 */
export function planMove(
  wf: WorkflowDefinition,
  order: Pick<Order, 'state' | 'stage' | 'fields'>,
  request: MoveRequest,
  role: Role,
): MovePlan | MoveRefusal {
  if (order.state !== 'active') return { code: 'order-not-active', state: order.state };
  const to = stageIndex(wf, request.to);
  if (to < 0) return { code: 'unknown-stage', stage: request.to };
  const from = stageIndex(wf, order.stage);
  if (to === from) return { code: 'same-stage', stage: order.stage };
  const current = findStage(wf, order.stage);
  if (current && !mayMoveOutOf(role, current.ownerRole)) {
    return { code: 'not-stage-owner', ownerRole: current.ownerRole };
  }
  const reason = request.reason?.trim() ?? '';
  const target = wf.stages[to]!.key;
  if (to < from) {
    if (!reason) return { code: 'reason-required', kind: 'rework' };
    return { kind: 'rework', from: order.stage, to: target, override: false, skipped: [] };
  }
  const missing = unmetRequirements(wf, order);
  if (to === from + 1) {
    if (missing.length > 0) return requirementsUnmet(wf, missing);
    return { kind: 'forward', from: order.stage, to: target, override: false, skipped: [] };
  }
  const skipped = wf.stages.slice(from + 1, to).map((s) => s.key);
  if (!mayOverride(role)) return { code: 'stage-skip-not-allowed', skipped };
  if (!reason) return { code: 'reason-required', kind: 'skip' };
  // A manager's skip is an override of the whole sequence, requirements included.
  return { kind: 'skip', from: order.stage, to: target, override: true, skipped };
}

/** Fields the current stage requires that the order does not yet hold. */
export function unmetRequirements(wf: WorkflowDefinition, order: Pick<Order, 'stage' | 'fields'>): FieldKey[] {
  const stage = findStage(wf, order.stage);
  return (stage?.requires ?? []).filter((key) => !hasValue(findField(wf, key), order.fields[key]));
}

function requirementsUnmet(wf: WorkflowDefinition, missing: FieldKey[]): MoveRefusal {
  return { code: 'requirements-unmet', missing, labels: missing.map((k) => findField(wf, k)?.label ?? k) };
}

export function isRefusal<T extends object>(value: T | MoveRefusal): value is MoveRefusal {
  return 'code' in value;
}
