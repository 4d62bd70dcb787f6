import { describe, expect, it } from 'vitest';
import { type CustomerOrderFacts, deliveryRecord } from './delivery-record.ts';

/** Local dates in a shop eight hours behind UTC. */
const pacific = (at: Date) => new Date(at.getTime() - 8 * 3_600_000).toISOString().slice(0, 10);

describe("a customer's delivery record", () => {
  it('counts an order completed on its due date in the shop time zone as on time, and averages lead time', () => {
    const orders: CustomerOrderFacts[] = [
      // Completed 03:00 UTC on the 11th: still the 10th in the shop, its due date.
      {
        state: 'completed',
        createdAt: '2026-12-01T03:00:00.000Z',
        completedAt: '2026-12-11T03:00:00.000Z',
        dueDate: '2026-12-10',
      },
      {
        state: 'completed',
        createdAt: '2026-12-01T00:00:00.000Z',
        completedAt: '2026-12-05T12:00:00.000Z',
        dueDate: '2026-12-04',
      },
      { state: 'completed', createdAt: '2026-12-01T00:00:00.000Z', completedAt: '2026-12-02T00:00:00.000Z', dueDate: null },
      { state: 'active', createdAt: '2026-12-01T00:00:00.000Z', completedAt: null, dueDate: '2026-12-20' },
      { state: 'on_hold', createdAt: '2026-12-01T00:00:00.000Z', completedAt: null, dueDate: null },
      { state: 'cancelled', createdAt: '2026-12-01T00:00:00.000Z', completedAt: null, dueDate: '2026-12-03' },
    ];
    expect(deliveryRecord(orders, pacific)).toEqual({
      open: 2,
      completed: 3,
      cancelled: 1,
      withDueDate: 2,
      onTime: 1,
      onTimeRate: 0.5,
      // (10 + 4.5 + 1) / 3 days
      averageLeadDays: 5.2,
    });
  });

  it('has no rate and no lead time before anything completed', () => {
    const record = deliveryRecord(
      [{ state: 'active', createdAt: '2026-12-01T00:00:00.000Z', completedAt: null, dueDate: null }],
      pacific,
    );
    expect(record).toMatchObject({ open: 1, onTimeRate: null, averageLeadDays: null });
  });
});
