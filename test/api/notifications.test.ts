// The in-app inbox: the next person in the chain hears about an order, reads and clears notices, and chooses what comes by e-mail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Notification } from '../../src/http/routes/notifications.ts';
import type { Automation } from '../../src/jobs/automation.ts';
import { automationFor, conforms } from '../support/automation.ts';
import { type Harness, json, newOrder, startHarness, writeCounts } from '../support/harness.ts';

let h: Harness;
let jobs: Automation;
beforeAll(async () => {
  h = await startHarness();
  jobs = automationFor(h);
});
afterAll(() => h.close());

type Notice = {
  id: number;
  kind: string;
  title: string;
  body: string;
  orderNumber: string;
  orderId: string;
  readAt: string | null;
};
type Inbox = { items: Notice[]; nextCursor: string | null; unreadCount: number };

const inbox = async (role: Parameters<Harness['as']>[0], query = '') =>
  json<Inbox>(await h.as(role).get(`/notifications${query}`));

async function created() {
  const res = await h.as('sales').post('/orders', newOrder());
  expect(res.statusCode).toBe(201);
  return json<{ id: string; number: string; version: number }>(res);
}

describe('being told', () => {
  it('tells the owner role when an order enters their stage, and not whoever moved it', async () => {
    const order = await created();
    await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'proof_approval' });
    await h.as('sales').patch(`/orders/${order.number}`, { fields: { proof_approved: true } });
    await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'supplier_confirmation' });
    await jobs.drain();

    const procurement = await inbox('procurement');
    expect(procurement.items.filter((n) => n.orderNumber === order.number)).toEqual([
      expect.objectContaining({
        kind: 'stage-entered',
        title: `${order.number} is ready for you: Confirm blank garment stock and delivery date with the supplier`,
        body: 'Team hoodies for Harbour FC is now in Awaiting supplier confirmation.',
        orderId: order.id,
        readAt: null,
      }),
    ]);
    // Sales entered "Order received" and "Awaiting proof approval" themselves: nothing to tell them.
    expect((await inbox('sales')).items.filter((n) => n.orderNumber === order.number)).toEqual([]);
    expect((await inbox('production')).items).toEqual([]);
  });

  it('tells finance when an order reaches a stage that triggers invoicing', async () => {
    const order = await created();
    await h.as('sales').patch(`/orders/${order.number}`, {
      fields: { proof_approved: true, supplier_eta: '2026-12-01', tracking_number: 'TRK1' },
    });
    for (const to of [
      'proof_approval',
      'supplier_confirmation',
      'scheduled',
      'on_press',
      'quality_check',
      'ready_for_dispatch',
      'shipped',
    ]) {
      const res = await h.as('manager').post(`/orders/${order.number}/transitions`, { to });
      expect(res.statusCode, res.body).toBe(200);
    }
    await jobs.drain();
    const events = json<{ items: Array<{ type: string; data: Record<string, unknown> }> }>(
      await h.as('finance').get(`/orders/${order.number}/events`),
    ).items;
    expect(events.filter((e) => e.type === 'order.ready_to_invoice')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          stage: 'shipped',
          number: order.number,
          customer: { name: 'Harbour FC', email: 'kit@harbourfc.example' },
          items: [{ sku: 'HD-NAVY-M', description: 'Navy hoodie M', quantity: 20 }],
          fields: expect.objectContaining({ unit_price: '18.50' }),
        }),
      }),
    ]);
    // Amounts stay out of sight of roles that may not see them, in the history too.
    const asProduction = json<{ items: Array<{ type: string; data: { fields?: Record<string, unknown> } }> }>(
      await h.as('production').get(`/orders/${order.number}/events`),
    ).items.find((e) => e.type === 'order.ready_to_invoice');
    expect(asProduction?.data.fields).not.toHaveProperty('unit_price');
    expect((await inbox('finance')).items.map((n) => [n.kind, n.title])).toEqual([
      ['ready-to-invoice', `${order.number} is ready to invoice`],
    ]);
    // One edit and seven moves: the invoicing event did not count as a change of its own.
    expect(json<{ version: number }>(await h.as('viewer').get(`/orders/${order.number}`)).version).toBe(order.version + 8);
  });
});

describe('the inbox', () => {
  it('lists my notifications newest first with the unread count, pages, and marks them read', async () => {
    for (let i = 0; i < 3; i++) {
      const order = await created();
      await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'proof_approval' });
      await h.as('sales').patch(`/orders/${order.number}`, { fields: { proof_approved: true } });
      await h.as('manager').post(`/orders/${order.number}/transitions`, { to: 'supplier_confirmation' });
    }
    await jobs.drain();
    const all = await inbox('procurement', '?limit=500');
    for (const n of all.items) conforms(Notification, n);
    expect(all.unreadCount).toBe(all.items.length);
    expect(all.items.length).toBeGreaterThanOrEqual(4);
    expect(all.items.map((n) => n.id)).toEqual([...all.items.map((n) => n.id)].sort((a, b) => b - a));
    expect(json(await h.as('procurement').get('/notifications/unread-count'))).toEqual({ unreadCount: all.items.length });

    const first = await inbox('procurement', '?limit=2');
    const second = await inbox('procurement', `?limit=2&cursor=${first.nextCursor}`);
    expect([...first.items, ...second.items].map((n) => n.id)).toEqual(all.items.slice(0, 4).map((n) => n.id));

    const target = all.items[1]!;
    const read = await h.as('procurement').post(`/notifications/${target.id}/read`);
    expect(read.statusCode).toBe(200);
    expect(json<Notice>(read).readAt).toBe(h.clock.now().toISOString());
    conforms(Notification, json(read));
    expect((await inbox('procurement')).unreadCount).toBe(all.items.length - 1);
    expect((await inbox('procurement', '?unread=true&limit=500')).items.map((n) => n.id)).not.toContain(target.id);

    // Someone else's notification is not there for me.
    const other = await h.as('sales').post(`/notifications/${target.id}/read`);
    expect(other.statusCode).toBe(404);
    expect(json(other).type).toBe('not-found');

    const cleared = await h.as('procurement').post('/notifications/read-all');
    expect(json(cleared)).toEqual({ marked: all.items.length - 1, unreadCount: 0 });
    expect((await h.as(null).get('/notifications')).statusCode).toBe(401);
    expect((await h.as('procurement').get('/notifications?cursor=x')).statusCode).toBe(400);
    expect((await h.as('procurement').post('/notifications/abc/read')).statusCode).toBe(400);
  });

  it('keeps each user to their own choice of which notices come by e-mail', async () => {
    expect(json(await h.as('manager').get('/notifications/preferences'))).toEqual({
      emailKinds: ['escalated', 'at-risk', 'overdue'],
      digestKinds: [],
      digestHour: 7,
      delivery: {
        'stage-entered': 'in-app',
        stalled: 'in-app',
        escalated: 'email',
        'at-risk': 'email',
        overdue: 'email',
        'due-soon': 'in-app',
        'ready-to-invoice': 'in-app',
        'problem-reported': 'in-app',
      },
      available: [
        'stage-entered',
        'stalled',
        'escalated',
        'at-risk',
        'overdue',
        'due-soon',
        'ready-to-invoice',
        'problem-reported',
      ],
    });
    const put = await h.as('manager').put('/notifications/preferences', { emailKinds: ['overdue', 'stage-entered'] });
    expect(put.statusCode).toBe(200);
    expect(json(put).emailKinds).toEqual(['stage-entered', 'overdue']);
    expect(json(await h.as('manager').get('/notifications/preferences')).emailKinds).toEqual(['stage-entered', 'overdue']);
    expect(json(await h.as('sales').get('/notifications/preferences')).emailKinds).toEqual(['escalated', 'at-risk', 'overdue']);
    const bad = await h.as('manager').put('/notifications/preferences', { emailKinds: ['gossip'] });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).type).toBe('validation-failed');
  });

  it('lets each kind come in the app only, by e-mail at once, or in the daily digest, and refuses nonsense changing nothing', async () => {
    type Prefs = { emailKinds: string[]; digestKinds: string[]; digestHour: number; delivery: Record<string, string> };
    const prefs = async () => json<Prefs>(await h.as('production').get('/notifications/preferences'));
    const put = await h.as('production').put('/notifications/preferences', {
      delivery: { 'stage-entered': 'digest', stalled: 'email', overdue: 'in-app' },
      digestHour: 6,
    });
    expect(put.statusCode, put.body).toBe(200);
    const chosen = await prefs();
    expect(chosen).toMatchObject({
      emailKinds: ['stalled', 'escalated', 'at-risk'],
      digestKinds: ['stage-entered'],
      digestHour: 6,
    });
    expect(chosen.delivery).toMatchObject({
      'stage-entered': 'digest',
      stalled: 'email',
      overdue: 'in-app',
      'due-soon': 'in-app',
    });

    // The older way to choose still works: emailKinds names the e-mailed kinds and leaves the digest alone.
    expect((await h.as('production').put('/notifications/preferences', { emailKinds: ['due-soon'] })).statusCode).toBe(200);
    expect(await prefs()).toMatchObject({ emailKinds: ['due-soon'], digestKinds: ['stage-entered'], digestHour: 6 });
    // Naming a digest kind in emailKinds moves it out of the digest.
    await h.as('production').put('/notifications/preferences', { emailKinds: ['stage-entered'] });
    expect(await prefs()).toMatchObject({ emailKinds: ['stage-entered'], digestKinds: [] });
    await h.as('production').put('/notifications/preferences', { digestKinds: ['stalled', 'due-soon'] });
    expect(await prefs()).toMatchObject({ emailKinds: ['stage-entered'], digestKinds: ['stalled', 'due-soon'] });

    const before = await prefs();
    for (const body of [
      { emailKinds: ['stalled'], digestKinds: ['stalled'] },
      { delivery: { stalled: 'email' }, emailKinds: [] },
      { delivery: { stalled: 'pigeon' } },
      { delivery: { gossip: 'email' } },
      { digestHour: 24 },
      { digestHour: 7.5 },
      {},
      { emailKinds: [], colour: 'red' },
    ]) {
      const res = await h.as('production').put('/notifications/preferences', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(json(res).type).toBe('validation-failed');
    }
    const both = json<{ errors: Array<{ path: string; message: string }> }>(
      await h.as('production').put('/notifications/preferences', { emailKinds: ['stalled'], digestKinds: ['stalled'] }),
    );
    expect(both.errors).toEqual([expect.objectContaining({ path: 'body.digestKinds' })]);
    expect(await prefs()).toEqual(before);
    // Someone else's choice is their own.
    expect(json<Prefs>(await h.as('fulfillment').get('/notifications/preferences')).digestKinds).toEqual([]);
  });
});

describe("an order's customer e-mail switch", () => {
  it('is on by default, may be turned off by those who edit orders, and the change is in the history', async () => {
    const order = await created();
    expect(json(await h.as('viewer').get(`/orders/${order.number}/customer-updates`))).toEqual({
      orderId: order.id,
      number: order.number,
      email: true,
      customerEmail: 'kit@harbourfc.example',
    });
    const before = await writeCounts(h.db);
    const refused = await h.as('production').put(`/orders/${order.number}/customer-updates`, { email: false });
    expect(refused.statusCode).toBe(403);
    expect(await writeCounts(h.db)).toEqual(before);

    const off = await h.as('service').put(`/orders/${order.number}/customer-updates`, { email: false });
    expect(off.statusCode).toBe(200);
    expect(json(off).email).toBe(false);
    // Saying it again changes nothing and records nothing.
    await h.as('service').put(`/orders/${order.number}/customer-updates`, { email: false });
    const events = json<{ items: Array<{ type: string; data: unknown; orderVersion: number }> }>(
      await h.as('viewer').get(`/orders/${order.number}/events`),
    ).items.filter((e) => e.type === 'order.customer_updates_changed');
    expect(events).toEqual([expect.objectContaining({ data: { email: false }, orderVersion: order.version })]);
    expect(json<{ version: number }>(await h.as('viewer').get(`/orders/${order.number}`)).version).toBe(order.version);
    expect((await h.as('sales').get('/orders/ORD-999999/customer-updates')).statusCode).toBe(404);
    expect((await h.as('sales').put(`/orders/${order.number}/customer-updates`, { email: 'no' })).statusCode).toBe(400);
  });
});
