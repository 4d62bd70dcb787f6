// Alerts: which of an order's flags someone must hear about, since when, who is told, and what makes each "the same" alert.
import { DateTime } from 'luxon';
import { type BusinessCalendar, localDate } from './calendar.ts';
import { atRiskUntil, type FlagContext, isOverdue, type Order, stallClockReaches, stallHoursAt } from './order.ts';
import type { Role } from './roles.ts';
import { findStage, type WorkflowDefinition } from './workflow.ts';

export const ALERT_KINDS = ['stalled', 'escalated', 'at-risk', 'overdue'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** What the sweep raises: the alerts, and the reminder that an order is due soon. */
export type RaisedKind = AlertKind | 'due-soon';

export interface OpenAlert {
  kind: RaisedKind;
  /** When the condition began (at-risk: unknown here, so `now`; the app knows when it was first raised). */
  since: Date;
  /**
   * What makes it the same alert, so it is told once: a stall belongs to one visit of one stage,
   * a deadline alert to one due date (a new due date is news again).
   */
  scope: string;
  /** Roles told about it. */
  notify: Role[];
  /** Facts for the event that records it. */
  data: Record<string, unknown>;
}

type Watched = Pick<Order, 'state' | 'stage' | 'stageEnteredAt' | 'dueDate'>;

/** The scope of a stall alert: this visit of this stage. */
export function visitScope(order: Pick<Order, 'stage' | 'stageEnteredAt'>): string {
  return `${order.stage}@${order.stageEnteredAt}`;
}

export function dueScope(dueDate: string): string {
  return `due:${dueDate}`;
}

function uniqueRoles(...roles: Array<Role | undefined>): Role[] {
  return [...new Set(roles.filter((r): r is Role => r !== undefined))];
}

/** The first instant after the due date, in the shop's time zone: when an order becomes overdue. */
export function overdueSince(dueDate: string, cal: BusinessCalendar): Date {
  return DateTime.fromISO(dueDate, { zone: cal.timeZone }).plus({ days: 1 }).startOf('day').toJSDate();
}

/**
 * The alerts an order has at `now`: stalled (the stage's owner is told), escalated (managers),
 * overdue and at risk (managers and the owner). Flags clear by themselves when the order moves,
 * because they are facts of the current stage visit and due date.
 */
export function openAlerts(order: Watched, wf: WorkflowDefinition, now: Date, ctx: FlagContext): OpenAlert[] {
  const alerts: OpenAlert[] = [];
  const stage = findStage(wf, order.stage);
  const owner = stage?.ownerRole;
  const threshold = stage?.stallAfterHours;
  if (order.state === 'active' && threshold != null && threshold > 0) {
    const hours = stallHoursAt(order, stage, now, ctx.calendar);
    const basis = stage?.stallHoursBasis ?? 'working';
    const stall = (kind: 'stalled' | 'escalated', factor: number, notify: Role[]) => {
      if (hours < factor * threshold) return;
      const since = stallClockReaches(order, stage, ctx.calendar, factor * threshold);
      alerts.push({
        kind,
        since,
        scope: visitScope(order),
        notify,
        data: {
          stage: order.stage,
          stageEnteredAt: order.stageEnteredAt,
          since: since.toISOString(),
          afterHours: factor * threshold,
          basis,
        },
      });
    };
    stall('stalled', 1, uniqueRoles(owner));
    stall('escalated', 2, ['manager']);
  }
  if (order.dueDate !== null) {
    const expected = atRiskUntil(order, wf, now, ctx);
    if (expected) {
      alerts.push({
        kind: 'at-risk',
        since: now,
        scope: dueScope(order.dueDate),
        notify: uniqueRoles('manager', owner),
        data: { stage: order.stage, dueDate: order.dueDate, expectedBy: localDate(ctx.calendar, expected) },
      });
    }
    if (isOverdue(order, now, ctx.calendar)) {
      alerts.push({
        kind: 'overdue',
        since: overdueSince(order.dueDate, ctx.calendar),
        scope: dueScope(order.dueDate),
        notify: uniqueRoles('manager', owner),
        data: { stage: order.stage, dueDate: order.dueDate },
      });
    }
  }
  return alerts;
}

/** Whole days from `today` to `date` (both YYYY-MM-DD). */
function daysBetween(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** The reminder for an active order due in the next `days` days (today included), told to the stage's owner. */
export function dueSoonReminder(
  order: Watched,
  wf: WorkflowDefinition,
  now: Date,
  cal: BusinessCalendar,
  days: number,
): OpenAlert | null {
  if (order.state !== 'active' || order.dueDate === null || days <= 0) return null;
  const left = daysBetween(localDate(cal, now), order.dueDate);
  if (left < 0 || left > days) return null;
  return {
    kind: 'due-soon',
    since: now,
    scope: dueScope(order.dueDate),
    notify: uniqueRoles(findStage(wf, order.stage)?.ownerRole),
    data: { stage: order.stage, dueDate: order.dueDate, daysLeft: left },
  };
}
