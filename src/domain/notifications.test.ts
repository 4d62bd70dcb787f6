import { describe, expect, it } from 'vitest';
import { CUSTOM_APPAREL as wf } from '../demo/custom-apparel.ts';
import { customerStageOf, customerUpdate } from './customer-updates.ts';
import { noticesFor } from './notifications.ts';
import { median } from './pace.ts';

const order = { number: 'ORD-1042', title: 'Team hoodies', customerName: 'Harbour FC', dueDate: '2026-12-18' };

describe('who hears about an event', () => {
  it("tells the entered stage's owner what is next", () => {
    const [notice, ...rest] = noticesFor(
      { type: 'order.stage_changed', data: { from: 'quality_check', to: 'ready_for_dispatch' } },
      order,
      wf,
    );
    expect(rest).toEqual([]);
    expect(notice).toEqual({
      kind: 'stage-entered',
      roles: ['fulfillment'],
      title: 'ORD-1042 is ready for you: Pack and arrange pickup or shipping',
      body: 'Team hoodies for Harbour FC is now in Ready for dispatch.',
    });
  });

  it('sends stalls to the owner, escalations to managers, deadlines to both, invoicing to finance', () => {
    const roles = (type: string, data: Record<string, unknown>) =>
      noticesFor({ type, data }, order, wf).map((n) => [n.kind, n.roles]);
    expect(roles('order.stalled', { stage: 'on_press', afterHours: 16, basis: 'working' })).toEqual([
      ['stalled', ['production']],
    ]);
    expect(roles('order.escalated', { stage: 'on_press', afterHours: 32 })).toEqual([['escalated', ['manager']]]);
    expect(roles('order.overdue', { stage: 'on_press', dueDate: '2026-12-18' })).toEqual([
      ['overdue', ['manager', 'production']],
    ]);
    expect(roles('order.at_risk', { stage: 'on_press', dueDate: '2026-12-18', expectedBy: '2026-12-21' })).toEqual([
      ['at-risk', ['manager', 'production']],
    ]);
    expect(roles('order.ready_to_invoice', { stage: 'shipped' })).toEqual([['ready-to-invoice', ['finance']]]);
    expect(roles('comment.added', { body: 'hi' })).toEqual([]);
  });
});

describe('what the customer is told', () => {
  it('only about stages marked notifyCustomer, in the words meant for them', () => {
    expect(customerStageOf({ type: 'order.stage_changed', data: { to: 'scheduled' } }, wf)).toBeNull();
    const stage = customerStageOf({ type: 'order.stage_changed', data: { to: 'shipped' } }, wf)!;
    const mail = customerUpdate(
      { number: 'ORD-1042', customerName: 'Harbour FC' },
      stage,
      '2026-12-18',
      'https://x.example/track/abc',
      'Shop',
    );
    expect(mail.subject).toBe('Your order ORD-1042: On its way to you');
    expect(mail.text).toContain('Expected delivery: Friday 18 December 2026');
    expect(mail.text).toContain('https://x.example/track/abc');
    expect(mail.text).not.toContain('Confirm delivery with the carrier');
  });
});

describe('the median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
