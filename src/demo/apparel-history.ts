// The demo workflow's history profile: stage times, rework and cancellations a small print shop might see.
import { type BusinessCalendar, DEFAULT_CALENDAR } from '../domain/calendar.ts';
import { CUSTOM_APPAREL } from './custom-apparel.ts';
import type { HistoryProfile } from './history.ts';

export function apparelHistory(opts: {
  ordersPerWorkingDay: number;
  calendar?: BusinessCalendar;
  seed?: number;
}): HistoryProfile {
  return {
    workflow: CUSTOM_APPAREL,
    calendar: opts.calendar ?? DEFAULT_CALENDAR,
    ordersPerWorkingDay: opts.ordersPerWorkingDay,
    stageTimes: {
      received: { medianHours: 3, sigma: 0.7 },
      proof_approval: { medianHours: 10, sigma: 0.8 },
      supplier_confirmation: { medianHours: 8, sigma: 0.6 },
      scheduled: { medianHours: 12, sigma: 0.5 },
      on_press: { medianHours: 6, sigma: 0.5 },
      quality_check: { medianHours: 2, sigma: 0.5 },
      ready_for_dispatch: { medianHours: 4, sigma: 0.6 },
      shipped: { medianHours: 20, sigma: 0.4 },
    },
    rework: {
      proof_approval: { to: 'received', probability: 0.08 },
      quality_check: { to: 'on_press', probability: 0.06 },
    },
    cancelProbability: 0.03,
    holdProbability: 0.02,
    commentsPerOrder: 0.3,
    invoiceAfterDays: { min: 1, max: 6 },
    seed: opts.seed ?? 20261124,
  };
}
