import { describe, expect, it } from 'vitest';
import { CUSTOM_APPAREL as wf } from '../demo/custom-apparel.ts';
import { customerStageOf, customerUpdate } from './customer-updates.ts';
import { noticesFor } from './notifications.ts';
import { median } from './pace.ts';

const dates = { locale: 'en-GB', timeZone: 'Europe/London' };
const NOW = Date.parse('2026-12-01T10:00:00Z');
const order = { number: 'ORD-1042', title: 'Team hoodies', customerName: 'Harbour FC', dueDate: '2026-12-18' };

describe('who hears about an event', () => {
  it("tells the entered stage's owner what is next", () => {
    const [notice, ...rest] = noticesFor(
      { type: 'order.stage_changed', data: { from: 'quality_check', to: 'ready_for_dispatch' } },
      order,
      wf,
      dates,
      NOW,
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
      noticesFor({ type, data }, order, wf, dates, NOW).map((n) => [n.kind, n.roles]);
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

  it("writes the due date the workspace's way, with the year only when it is not this one", () => {
    const title = (dueDate: string, style = dates) =>
      noticesFor({ type: 'order.overdue', data: { stage: 'on_press', dueDate } }, order, wf, style, NOW)[0]?.title;
    expect(title('2026-12-18')).toBe('ORD-1042 is overdue: it was due Fri 18 Dec');
    expect(title('2027-01-04')).toBe('ORD-1042 is overdue: it was due 4 Jan 2027');
    expect(title('2026-12-18', { locale: 'en-US', timeZone: 'America/New_York' })).toBe(
      'ORD-1042 is overdue: it was due Fri, Dec 18',
    );
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
    expect(mail.text).toContain('Expected delivery: Friday, 18 December 2026');
    expect(mail.text).toContain('https://x.example/track/abc');
    expect(mail.text).not.toContain('Confirm delivery with the carrier');
    const german = customerUpdate({ number: 'ORD-1042', customerName: 'Harbour FC' }, stage, '2026-12-18', null, 'Shop', 'de-DE');
    expect(german.text).toContain('Expected delivery: Freitag, 18. Dezember 2026');
  });
});

describe('the median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
