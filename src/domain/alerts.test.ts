import { describe, expect, it } from 'vitest';
import { CUSTOM_APPAREL as wf } from '../demo/custom-apparel.ts';
import { dueSoonReminder, openAlerts, overdueSince } from './alerts.ts';
import { DEFAULT_CALENDAR } from './calendar.ts';
import { DEFAULT_FLAG_CONTEXT, flagsAt } from './order.ts';

const order = { state: 'active' as const, stage: 'received', stageEnteredAt: '2026-11-24T09:00:00.000Z', dueDate: '2026-12-01' };

describe('open alerts', () => {
  it('says since when an order stalled and escalated, and who is told', () => {
    const alerts = openAlerts(order, wf, new Date('2026-11-26T09:00:00Z'), DEFAULT_FLAG_CONTEXT);
    expect(alerts.map((a) => [a.kind, a.since.toISOString(), a.notify, a.scope])).toEqual([
      ['stalled', '2026-11-24T17:00:00.000Z', ['sales'], 'received@2026-11-24T09:00:00.000Z'],
      ['escalated', '2026-11-25T16:00:00.000Z', ['manager'], 'received@2026-11-24T09:00:00.000Z'],
    ]);
  });

  it('makes an overdue order overdue from the first moment after its due date in the shop time zone', () => {
    const tokyo = { ...DEFAULT_CALENDAR, timeZone: 'Asia/Tokyo' };
    expect(overdueSince('2026-12-01', tokyo).toISOString()).toBe('2026-12-01T15:00:00.000Z');
    const late = openAlerts({ ...order, state: 'on_hold' }, wf, new Date('2026-12-01T15:00:00Z'), { calendar: tokyo });
    expect(late.map((a) => [a.kind, a.notify, a.scope])).toEqual([['overdue', ['manager', 'sales'], 'due:2026-12-01']]);
    expect(flagsAt({ ...order, state: 'on_hold' }, wf, new Date('2026-12-01T14:59:00Z'), { calendar: tokyo })).toEqual([
      'on-hold',
    ]);
  });

  it('judges an order at risk by the median pace of the stages it still has to go through', () => {
    const pace = new Map([
      [
        'custom-apparel',
        new Map([
          ['received', 4],
          ['proof_approval', 9],
          ['delivered', 100],
        ]),
      ],
    ]);
    const now = new Date('2026-11-24T09:00:00Z');
    // 4 + 9 working hours from Tuesday 09:00: Wednesday 13:00. Entering the final stage finishes the order, so its time does not count.
    const ctx = { calendar: DEFAULT_CALENDAR, pace };
    expect(flagsAt({ ...order, dueDate: '2026-11-30' }, wf, now, ctx)).toEqual([]);
    expect(flagsAt({ ...order, dueDate: '2026-11-25' }, wf, now, ctx)).toEqual([]);
    expect(flagsAt({ ...order, dueDate: '2026-11-24' }, wf, now, ctx)).toEqual(['at-risk']);
    // Time already spent in the stage counts against its median.
    expect(flagsAt({ ...order, dueDate: '2026-11-24' }, wf, new Date('2026-11-24T13:00:00Z'), ctx)).toEqual(['at-risk']);
    expect(flagsAt({ ...order, dueDate: '2026-11-25' }, wf, new Date('2026-11-25T08:00:00Z'), ctx)).toEqual(['stalled']);
    // No history, no judgement.
    expect(flagsAt({ ...order, dueDate: '2026-11-24' }, wf, now, DEFAULT_FLAG_CONTEXT)).toEqual([]);
  });

  it('reminds about active orders due within the window, today included', () => {
    const now = new Date('2026-11-24T09:00:00Z');
    const due = (dueDate: string) => dueSoonReminder({ ...order, dueDate }, wf, now, DEFAULT_CALENDAR, 2)?.data.daysLeft ?? null;
    expect(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'].map(due)).toEqual([null, 0, 1, 2, null]);
    expect(dueSoonReminder({ ...order, dueDate: '2026-11-24' }, wf, now, DEFAULT_CALENDAR, 0)).toBeNull();
    expect(dueSoonReminder({ ...order, state: 'on_hold', dueDate: '2026-11-24' }, wf, now, DEFAULT_CALENDAR, 2)).toBeNull();
  });
});
