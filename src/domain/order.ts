// Orders: their state, the flags they carry at a given moment, and the rules for changing them.
import {
  addWorkingHours,
  type BusinessCalendar,
  DEFAULT_CALENDAR,
  localDate,
  subtractWorkingHours,
  workingHoursBetween,
} from './calendar.ts';
import { hoursBetween } from './clock.ts';
import type { FieldValues } from './fields.ts';
import type { EtaForecast } from './metrics/forecast.ts';
import { expectedCompletion, type PaceBook } from './pace.ts';
import type { StageDef, StageKey, WorkflowDefinition } from './workflow.ts';
import { findStage } from './workflow.ts';

export const ORDER_STATES = ['active', 'on_hold', 'cancelled', 'completed'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'rush'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Urgency order, most urgent first: boards sort by it and the orders table keeps it for SQL. */
export const PRIORITY_RANK: Record<Priority, number> = { rush: 0, high: 1, normal: 2, low: 3 };

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
  /** The customer record the order belongs to; null for orders no record was linked to. */
  customerId?: string | null;
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

export interface FlagContext {
  /** The business calendar stall thresholds and deadlines are counted in. */
  calendar: BusinessCalendar;
  /** The shop's recent pace per workflow; without it no order is judged at risk. */
  pace?: PaceBook | undefined;
  /** Monte Carlo completion forecasts (reports/forecasts.ts); where one is known, at-risk goes by its 85% date. */
  eta?: ((order: Pick<Order, 'state' | 'stage' | 'stageEnteredAt'>, wf: WorkflowDefinition) => EtaForecast | null) | undefined;
}

export const DEFAULT_FLAG_CONTEXT: FlagContext = { calendar: DEFAULT_CALENDAR };

type InStage = Pick<Order, 'stageEnteredAt'>;

/** Hours an order has sat in its stage on the clock the stage counts stalls by (working hours unless it says calendar). */
export function stallHoursAt(order: InStage, stage: StageDef | undefined, now: Date, cal: BusinessCalendar): number {
  const entered = new Date(order.stageEnteredAt);
  return stage?.stallHoursBasis === 'calendar' ? hoursBetween(entered, now) : workingHoursBetween(cal, entered, now);
}

/** The instant an order's stall clock reaches `hours` in its stage: "stalled since" at the threshold, "escalated since" at twice it. */
export function stallClockReaches(order: InStage, stage: StageDef | undefined, cal: BusinessCalendar, hours: number): Date {
  const entered = new Date(order.stageEnteredAt);
  return stage?.stallHoursBasis === 'calendar'
    ? new Date(entered.getTime() + hours * 3_600_000)
    : addWorkingHours(cal, entered, hours);
}

/** The latest stage entry that has reached `hours` on the stage's stall clock by `now` (for finding stalled orders in SQL). */
export function enteredByForStall(stage: StageDef, cal: BusinessCalendar, now: Date, hours: number): Date {
  return stage.stallHoursBasis === 'calendar'
    ? new Date(now.getTime() - hours * 3_600_000)
    : subtractWorkingHours(cal, now, hours);
}

/** The due date has passed in the shop's time zone. */
export function isOverdue(order: Pick<Order, 'state' | 'dueDate'>, now: Date, cal: BusinessCalendar): boolean {
  return isOpen(order) && order.dueDate !== null && order.dueDate < localDate(cal, now);
}

/**
 * An active order that is not yet overdue but will finish after its due date: by its forecast's
 * 85% date where there is a forecast (ctx.eta), else at the shop's recent pace (the median working
 * time of its current and remaining stages). Returns the expected completion when at risk, else null.
 */
export function atRiskUntil(
  order: Pick<Order, 'state' | 'stage' | 'stageEnteredAt' | 'dueDate'>,
  wf: WorkflowDefinition,
  now: Date,
  ctx: FlagContext,
): Date | null {
  if (order.state !== 'active' || order.dueDate === null || isOverdue(order, now, ctx.calendar)) return null;
  const eta = ctx.eta?.(order, wf);
  if (eta) return eta.p85Date > order.dueDate ? eta.p85 : null;
  const expected = expectedCompletion(order, wf, now, ctx.calendar, ctx.pace?.get(wf.key));
  return expected && localDate(ctx.calendar, expected) > order.dueDate ? expected : null;
}

/**
 * The flags an order carries at `now`. Stalled and escalated count the stage's stall clock
 * (working hours of the business calendar by default) against its `stallAfterHours`
 * (escalated at twice the threshold); overdue means the due date has passed in the shop's
 * time zone; at-risk that the shop's recent pace finishes it after its due date.
 */
export function flagsAt(
  order: Pick<Order, 'state' | 'stage' | 'stageEnteredAt' | 'dueDate'>,
  wf: WorkflowDefinition,
  now: Date,
  ctx: FlagContext = DEFAULT_FLAG_CONTEXT,
): Flag[] {
  return flagJudge(wf, now, ctx)(order);
}

/** The latest stage entries that are stalled and escalated at a moment: an order entered at or before them is. */
interface StallCutoffs {
  stalledMs: number;
  escalatedMs: number;
}

/**
 * `flagsAt` for many orders of one workflow at one moment (a board of thousands of cards): the
 * stall clock is read once per stage, as the latest entry that has reached the threshold, and
 * each order is judged by comparing its entry with it.
 */
export function flagJudge(
  wf: WorkflowDefinition,
  now: Date,
  ctx: FlagContext = DEFAULT_FLAG_CONTEXT,
): (order: Pick<Order, 'state' | 'stage' | 'stageEnteredAt' | 'dueDate'>) => Flag[] {
  const today = localDate(ctx.calendar, now);
  const cutoffs = new Map<string, StallCutoffs | null>();
  const cutoffsOf = (key: string): StallCutoffs | null => {
    let c = cutoffs.get(key);
    if (c === undefined) {
      const stage = findStage(wf, key);
      const threshold = stage?.stallAfterHours;
      c =
        stage && threshold != null && threshold > 0
          ? {
              stalledMs: enteredByForStall(stage, ctx.calendar, now, threshold).getTime(),
              escalatedMs: enteredByForStall(stage, ctx.calendar, now, 2 * threshold).getTime(),
            }
          : null;
      cutoffs.set(key, c);
    }
    return c;
  };
  return (order) => {
    const flags: Flag[] = [];
    if (order.state === 'on_hold') flags.push('on-hold');
    if (order.state === 'active') {
      const c = cutoffsOf(order.stage);
      if (c) {
        const entered = Date.parse(order.stageEnteredAt);
        if (entered <= c.stalledMs) flags.push('stalled');
        if (entered <= c.escalatedMs) flags.push('escalated');
      }
    }
    const overdue = isOpen(order) && order.dueDate !== null && order.dueDate < today;
    if (!overdue && atRiskUntil(order, wf, now, ctx)) flags.push('at-risk');
    if (overdue) flags.push('overdue');
    return flags;
  };
}
