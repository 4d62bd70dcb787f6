// On-time delivery: the share of orders completed on or before their due date, and how late the others were.
import { type Summary, sortedValues, summarizeSorted } from './percentiles.ts';
import { type DateRange, inRange, weeksOf } from './range.ts';
import { weekStart } from './working-time.ts';

export interface DeliveredOrder {
  orderId: string;
  number: string;
  completedDate: string;
  dueDate: string | null;
  /** Calendar days after the due date; 0 or less is on time. */
  daysLate: number | null;
}

/** How many orders completed on a day were how late (null: no due date). */
export interface DeliveryCount {
  completedDate: string;
  daysLate: number | null;
  count: number;
}

export interface OnTimeWeek {
  week: string;
  withDueDate: number;
  onTime: number;
  late: number;
  rate: number | null;
}

export interface OnTimeReport {
  completed: number;
  withDueDate: number;
  withoutDueDate: number;
  onTime: number;
  late: number;
  /** onTime / withDueDate; null when no completed order had a due date. */
  rate: number | null;
  /** Days late, over the late orders only. */
  lateness: Summary | null;
  weeks: OnTimeWeek[];
  /** The latest ones first (as many as were asked for). */
  lateOrders: DeliveredOrder[];
}

/**
 * On-time figures from counts of completed orders by day and days late (whole days, so the
 * percentiles of lateness come exactly from the counts), with the latest orders listed.
 */
export function onTimeDelivery(counts: DeliveryCount[], lateOrders: DeliveredOrder[], range: DateRange): OnTimeReport {
  const weeks = new Map<string, OnTimeWeek>(
    weeksOf(range).map((w) => [w, { week: w, withDueDate: 0, onTime: 0, late: 0, rate: null }]),
  );
  let completed = 0;
  let dated = 0;
  let onTime = 0;
  const lateDays: number[] = [];
  for (const c of counts) {
    if (!inRange(range, c.completedDate)) continue;
    completed += c.count;
    if (c.daysLate === null) continue;
    dated += c.count;
    const week = weeks.get(weekStart(c.completedDate))!;
    week.withDueDate += c.count;
    if (c.daysLate <= 0) {
      onTime += c.count;
      week.onTime += c.count;
    } else {
      week.late += c.count;
      for (let i = 0; i < c.count; i++) lateDays.push(c.daysLate);
    }
  }
  for (const w of weeks.values()) w.rate = w.withDueDate ? w.onTime / w.withDueDate : null;
  return {
    completed,
    withDueDate: dated,
    withoutDueDate: completed - dated,
    onTime,
    late: dated - onTime,
    rate: dated ? onTime / dated : null,
    lateness: summarizeSorted(sortedValues(lateDays)),
    weeks: [...weeks.values()],
    lateOrders: lateOrders.map((o) => ({
      orderId: o.orderId,
      number: o.number,
      completedDate: o.completedDate,
      dueDate: o.dueDate,
      daysLate: o.daysLate,
    })),
  };
}
