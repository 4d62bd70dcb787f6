// Orders: their state, the flags they carry at a given moment, and the rules for changing them.
import { hoursBetween, utcDate } from './clock.ts';
import type { FieldValues } from './fields.ts';
import type { StageKey, WorkflowDefinition } from './workflow.ts';
import { findStage } from './workflow.ts';

export const ORDER_STATES = ['active', 'on_hold', 'cancelled', 'completed'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'rush'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const FLAGS = ['stalled', 'escalated', 'at-risk', 'overdue', 'on-hold'] as const;
export type Flag = (typeof FLAGS)[number];

export interface Customer {
  name: string;
  email: string | null;
}

export interface OrderItem {
  sku: string | null;
  description: string;
  quantity: number;
}

/** The part of an order that its events determine: what a rebuild from history must reproduce. */
export interface Order {
  id: string;
  number: string;
  workflow: string;
  title: string;
  customer: Customer;
  state: OrderState;
  stage: StageKey;
  stageEnteredAt: string;
  dueDate: string | null;
  priority: Priority;
  fields: FieldValues;
  items: OrderItem[];
  version: number;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  holdReason: string | null;
}

/** The details a user may edit after creation. */
export const EDITABLE = ['title', 'customer', 'dueDate', 'priority', 'fields', 'items'] as const;
export type EditableDetail = (typeof EDITABLE)[number];

/** Whether an order can still be moved, edited or held. */
export function isActive(order: Pick<Order, 'state'>): boolean {
  return order.state === 'active';
}

export function isOpen(order: Pick<Order, 'state'>): boolean {
  return order.state === 'active' || order.state === 'on_hold';
}

/** How long the order has sat in its current stage, in hours, at `now`. */
export function hoursInStage(order: Pick<Order, 'stageEnteredAt'>, now: Date): number {
  return hoursBetween(order.stageEnteredAt, now);
}

/**
 * The flags an order carries at `now`. Stalled and escalated count calendar hours
 * against the stage's `stallAfterHours` (escalated at twice the threshold); overdue
 * means the due date is before today (UTC).
 */
export function flagsAt(
  order: Pick<Order, 'state' | 'stage' | 'stageEnteredAt' | 'dueDate'>,
  wf: WorkflowDefinition,
  now: Date,
): Flag[] {
  const flags: Flag[] = [];
  if (order.state === 'on_hold') flags.push('on-hold');
  if (order.state === 'active') {
    const threshold = findStage(wf, order.stage)?.stallAfterHours;
    if (threshold != null && threshold > 0) {
      const hours = hoursInStage(order, now);
      if (hours >= threshold) flags.push('stalled');
      if (hours >= 2 * threshold) flags.push('escalated');
    }
  }
  if (isOpen(order) && order.dueDate !== null && order.dueDate < utcDate(now)) flags.push('overdue');
  return flags;
}
