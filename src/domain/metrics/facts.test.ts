import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from '../calendar.ts';
import { FactProjector, factsNeeded, stageDaysFromVisits } from './facts.ts';
import { WorkingTime } from './working-time.ts';

const time = WorkingTime.of(DEFAULT_CALENDAR);
const created = (seq: number, at: string, priority = 'normal') => ({
  seq,
  type: 'order.created' as const,
  at,
  orderId: 'o1',
  data: { number: 'ORD-1', workflow: 'w', stage: 'a', priority, customer: { name: 'Acme' }, dueDate: '2026-11-25' },
});
const moved = (seq: number, at: string, from: string, to: string, kind = 'forward') => ({
  seq,
  type: 'order.stage_changed' as const,
  at,
  orderId: 'o1',
  data: { from, to, kind, reason: null, override: false },
});

describe('facts from events', () => {
  it('turn an order history into visits with calendar and working time, and counts per stage and day', () => {
    const p = new FactProjector(time);
    p.apply(created(1, '2026-11-24T09:00:00.000Z'));
    p.apply(moved(2, '2026-11-24T16:00:00.000Z', 'a', 'b'));
    p.apply(moved(3, '2026-11-25T09:00:00.000Z', 'b', 'a', 'rework'));
    p.apply({ seq: 4, type: 'order.cancelled', at: '2026-11-26T10:00:00.000Z', orderId: 'o1', data: { reason: 'x' } });
    const { orders, visits, days } = p.changes();
    expect(orders).toEqual([
      expect.objectContaining({ reworks: 1, cancelledMs: Date.parse('2026-11-26T10:00:00Z'), createdDate: '2026-11-24' }),
    ]);
    expect(visits.map((v) => [v.stage, v.via, v.ended, v.exitKind, v.calendarMs! / 3_600_000, v.workingMs! / 3_600_000])).toEqual(
      [
        ['a', 'created', 'moved', 'forward', 7, 7],
        ['b', 'forward', 'moved', 'rework', 17, 2],
        ['a', 'rework', 'cancelled', null, 25, 10],
      ],
    );
    expect(stageDaysFromVisits(visits).map((d) => [d.stage, d.day, d.entered, d.exited, d.cancelled, d.reworked])).toEqual(
      days.map((d) => [d.stage, d.day, d.entered, d.exited, d.cancelled, d.reworked]),
    );
  });

  it('move every visit of an order to its new priority when the priority changes', () => {
    const p = new FactProjector(time);
    p.apply(created(1, '2026-11-24T09:00:00.000Z'));
    p.apply(moved(2, '2026-11-24T11:00:00.000Z', 'a', 'b'));
    p.apply({
      seq: 3,
      type: 'order.updated',
      at: '2026-11-24T12:00:00.000Z',
      orderId: 'o1',
      data: { changes: [{ field: 'priority', before: 'normal', after: 'rush' }] },
    });
    const { visits, days } = p.changes();
    expect(visits.map((v) => v.priority)).toEqual(['rush', 'rush']);
    const net = days.filter((d) => d.entered || d.exited);
    expect(net.every((d) => d.priority === 'rush')).toBe(true);
    const normal = days.find((d) => d.priority === 'normal' && d.stage === 'a')!;
    expect(normal.addWorking).toEqual(normal.removeWorking);
  });

  it('know which stored facts a batch builds on', () => {
    expect(
      factsNeeded([
        created(1, '2026-11-24T09:00:00.000Z'),
        { ...moved(2, '2026-11-24T11:00:00.000Z', 'a', 'b'), orderId: 'o2' },
        { type: 'order.updated', orderId: 'o3', data: { changes: [{ field: 'priority', before: 'low', after: 'high' }] } },
      ]),
    ).toEqual({ orders: ['o2', 'o3'], allVisits: ['o3'] });
  });
});
