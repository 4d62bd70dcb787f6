// A customer's record with the shop: how many orders are open and done, how many arrived on time, how long they took.
import { DAY_MS } from '../metrics/percentiles.ts';

export interface CustomerOrderFacts {
  state: 'active' | 'on_hold' | 'cancelled' | 'completed';
  createdAt: string;
  completedAt: string | null;
  dueDate: string | null;
}

export interface DeliveryRecord {
  open: number;
  completed: number;
  cancelled: number;
  /** Completed orders that had a due date: the ones on-time is judged over. */
  withDueDate: number;
  onTime: number;
  /** onTime / withDueDate; null when no completed order had a due date. */
  onTimeRate: number | null;
  /** Mean calendar days from creation to completion over completed orders; null when none completed. */
  averageLeadDays: number | null;
}

/**
 * The figures from the customer's orders. An order is on time when it completed on or before its due date, as a
 * day in the shop's time zone (`localDate`), as the on-time report counts it.
 */
export function deliveryRecord(orders: readonly CustomerOrderFacts[], localDate: (at: Date) => string): DeliveryRecord {
  let open = 0;
  let completed = 0;
  let cancelled = 0;
  let withDueDate = 0;
  let onTime = 0;
  let leadMs = 0;
  for (const o of orders) {
    if (o.state === 'cancelled') cancelled++;
    else if (o.state !== 'completed' || o.completedAt === null) open++;
    else {
      completed++;
      leadMs += Date.parse(o.completedAt) - Date.parse(o.createdAt);
      if (o.dueDate !== null) {
        withDueDate++;
        if (localDate(new Date(o.completedAt)) <= o.dueDate) onTime++;
      }
    }
  }
  return {
    open,
    completed,
    cancelled,
    withDueDate,
    onTime,
    onTimeRate: withDueDate ? onTime / withDueDate : null,
    averageLeadDays: completed ? Math.round((leadMs / completed / DAY_MS) * 10) / 10 : null,
  };
}
