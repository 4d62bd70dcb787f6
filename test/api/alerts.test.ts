// Stall, escalation and deadline alerts: raised by the sweep on the business calendar, told once, cleared by moving on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Alert as AlertSchema } from '../../src/http/routes/alerts.ts';
import { pageOf } from '../../src/http/schemas.ts';
import type { Automation } from '../../src/jobs/automation.ts';
import { automationFor, conforms } from '../support/automation.ts';
import { type Harness, json, newOrder, startHarness } from '../support/harness.ts';

let h: Harness;
let jobs: Automation;
beforeEach(async () => {
  h = await startHarness();
  jobs = automationFor(h);
});
afterEach(() => h.close());

type Order = { id: string; number: string; version: number; flags: string[]; stage: string };
type Alert = { kind: string; number: string; since: string; ownerRole: string | null; notify: string[]; stageLabel: string };
type Event = { type: string; orderVersion: number; actor: { kind: string }; data: Record<string, unknown> };
type Inbox = { items: Array<{ kind: string; title: string; orderNumber: string }>; unreadCount: number };

async function create(overrides: Record<string, unknown> = {}): Promise<Order> {
  const res = await h.as('sales').post('/orders', newOrder(overrides));
  expect(res.statusCode, res.body).toBe(201);
  return json<Order>(res);
}

async function eventsOf(number: string, type?: string): Promise<Event[]> {
  const items = json<{ items: Event[] }>(await h.as('viewer').get(`/orders/${number}/events`)).items;
  return type ? items.filter((e) => e.type === type) : items;
}

async function alertsFor(number: string, query = ''): Promise<Alert[]> {
  const res = await h.as('viewer').get(`/alerts${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return json<{ items: Alert[] }>(res).items.filter((a) => a.number === number);
}

async function inbox(role: Parameters<Harness['as']>[0]): Promise<Inbox> {
  return json<Inbox>(await h.as(role).get('/notifications?limit=500'));
}

describe('stall and escalation', () => {
  it('stalls an order after its stage threshold in working hours, escalates it at twice that, and clears both when it moves', async () => {
    // Tuesday 24 November 2026, 09:00 UTC; the default calendar works Monday to Friday, 08:00 to 17:00 UTC.
    const order = await create();
    await jobs.tick();

    h.clock.set('2026-11-24T16:59:00Z');
    await jobs.tick();
    expect(await eventsOf(order.number, 'order.stalled')).toEqual([]);
    expect(await alertsFor(order.number)).toEqual([]);

    // Eight working hours ("Order received": stallAfterHours 8) are up at 17:00 on Tuesday.
    h.clock.set('2026-11-24T17:00:00Z');
    await jobs.tick();
    const stalled = await eventsOf(order.number, 'order.stalled');
    expect(stalled).toHaveLength(1);
    expect(stalled[0]).toMatchObject({
      orderVersion: order.version,
      actor: { kind: 'system' },
      data: { stage: 'received', afterHours: 8, basis: 'working', since: '2026-11-24T17:00:00.000Z' },
    });
    expect(json<Order>(await h.as('viewer').get(`/orders/${order.number}`))).toMatchObject({
      version: order.version,
      flags: ['stalled'],
    });
    expect(await alertsFor(order.number)).toEqual([
      expect.objectContaining({
        kind: 'stalled',
        since: '2026-11-24T17:00:00.000Z',
        ownerRole: 'sales',
        notify: ['sales'],
        stageLabel: 'Order received',
      }),
    ]);
    const board = json<{ columns: Array<{ cards: Array<{ number: string; flags: string[] }> }> }>(
      await h.as('production').get('/board?workflow=custom-apparel'),
    );
    expect(board.columns[0]!.cards.find((c) => c.number === order.number)?.flags).toEqual(['stalled']);
    // The stage's owner is told; managers are not, yet.
    expect((await inbox('sales')).items.filter((n) => n.kind === 'stalled').map((n) => n.title)).toEqual([
      `${order.number} has stalled in Order received`,
    ]);
    expect((await inbox('manager')).items.filter((n) => n.orderNumber === order.number)).toEqual([]);

    // Overnight nothing counts, and a second sweep tells nobody again.
    h.clock.set('2026-11-25T07:59:00Z');
    await jobs.tick();
    await jobs.tick();
    expect(await eventsOf(order.number, 'order.stalled')).toHaveLength(1);
    expect((await inbox('sales')).items.filter((n) => n.kind === 'stalled')).toHaveLength(1);
    expect((await alertsFor(order.number)).map((a) => a.kind)).toEqual(['stalled']);

    // Sixteen working hours: Tuesday's eight, and Wednesday 08:00 to 16:00.
    h.clock.set('2026-11-25T16:00:00Z');
    await jobs.tick();
    await jobs.tick();
    expect(await eventsOf(order.number, 'order.escalated')).toHaveLength(1);
    expect((await alertsFor(order.number)).map((a) => [a.kind, a.since, a.notify])).toEqual([
      ['stalled', '2026-11-24T17:00:00.000Z', ['sales']],
      ['escalated', '2026-11-25T16:00:00.000Z', ['manager']],
    ]);
    expect((await inbox('manager')).items.filter((n) => n.orderNumber === order.number).map((n) => n.title)).toEqual([
      `${order.number} is escalated: stuck in Order received`,
    ]);
    expect(json<Order>(await h.as('viewer').get(`/orders/${order.number}`)).flags).toEqual(['stalled', 'escalated']);

    // Moving on clears both: the flags are facts of the stage visit.
    const moved = json<Order>(await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'proof_approval' }));
    expect(moved.flags).toEqual([]);
    expect(await alertsFor(order.number)).toEqual([]);
    await jobs.tick();
    expect(await eventsOf(order.number, 'order.stalled')).toHaveLength(1);
    expect(await eventsOf(order.number, 'order.escalated')).toHaveLength(1);
  });

  it('does not stall over a weekend or a holiday of the business calendar, unless the stage counts calendar hours', async () => {
    const calendar = {
      timeZone: 'Europe/London',
      workingDays: [1, 2, 3, 4, 5],
      dayStart: '09:00',
      dayEnd: '17:00',
      holidays: ['2026-11-30'],
    };
    expect((await h.as('admin').put('/settings', { calendar })).statusCode).toBe(200);
    const signs = {
      key: 'signs',
      name: 'Signs',
      orderPrefix: 'SGN',
      stages: [
        { key: 'artwork', label: 'Artwork', ownerRole: 'sales', nextAction: 'Get artwork', stallAfterHours: 8 },
        {
          key: 'printing',
          label: 'Printing',
          ownerRole: 'production',
          nextAction: 'Print it',
          stallAfterHours: 2,
          stallHoursBasis: 'calendar',
        },
        { key: 'done', label: 'Done', ownerRole: 'fulfillment', nextAction: 'Nothing' },
      ],
      fields: [],
    };
    expect((await h.as('admin').post('/workflows', signs)).statusCode).toBe(201);

    // Friday 27 November 13:00 (London is on GMT): four working hours on Friday, Monday is a holiday,
    // so the other four run out on Tuesday at 13:00.
    h.clock.set('2026-11-27T13:00:00Z');
    const weekend = json<Order>(
      await h.as('sales').post('/orders', { workflow: 'signs', title: 'Shop sign', customer: { name: 'Café' } }),
    );
    const flagsAt = async (at: string) => {
      h.clock.set(at);
      return json<Order>(await h.as('viewer').get(`/orders/${weekend.number}`)).flags;
    };
    expect(await flagsAt('2026-11-30T16:00:00Z')).toEqual([]);
    expect(await flagsAt('2026-12-01T12:59:00Z')).toEqual([]);
    expect(await flagsAt('2026-12-01T13:00:00Z')).toEqual(['stalled']);
    const page = json<{ items: Order[] }>(await h.as('viewer').get('/orders?flag=stalled&workflow=signs'));
    expect(page.items.map((o) => o.number)).toEqual([weekend.number]);

    // "Printing" counts every hour: two hours on a Saturday night are two hours.
    h.clock.set('2026-12-05T20:00:00Z');
    const night = json<Order>(
      await h.as('sales').post('/orders', { workflow: 'signs', title: 'Night sign', customer: { name: 'Bar' } }),
    );
    await h.as('sales').post(`/orders/${night.number}/transitions`, { to: 'printing' });
    h.clock.set('2026-12-05T22:00:00Z');
    await jobs.tick();
    expect(json<Order>(await h.as('viewer').get(`/orders/${night.number}`)).flags).toEqual(['stalled']);
    expect(await eventsOf(night.number, 'order.stalled')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ basis: 'calendar', since: '2026-12-05T22:00:00.000Z' }) }),
    ]);
    const sweepFlagged = json<{ items: Order[] }>(await h.as('viewer').get('/orders?flag=stalled&workflow=signs'));
    expect(sweepFlagged.items.map((o) => o.number).sort()).toEqual([weekend.number, night.number].sort());
  });
});

describe('a sweep with many alerts to raise', () => {
  it('raises each of 250 stalled orders once, in batches, and finds nothing more to tell on the next sweep', async () => {
    const orders: Order[] = [];
    for (let i = 0; i < 250; i += 50) orders.push(...(await Promise.all(Array.from({ length: 50 }, () => create()))));
    h.clock.set('2026-11-24T17:00:00Z');
    expect(await jobs.tick()).toMatchObject({ ran: true, raised: 250 });
    expect(await jobs.tick()).toMatchObject({ ran: true, raised: 0 });

    const alerts = json<{ items: Alert[] }>(await h.as('viewer').get('/alerts?kind=stalled&limit=500')).items;
    expect(new Set(alerts.map((a) => a.number))).toEqual(new Set(orders.map((o) => o.number)));
    for (const order of [orders[0]!, orders[199]!, orders[200]!, orders[249]!]) {
      expect(await eventsOf(order.number, 'order.stalled'), order.number).toHaveLength(1);
    }
    expect(json<{ ok: boolean }>(await h.as('admin').get('/audit/verify')).ok).toBe(true);
  });
});

describe('deadlines', () => {
  it('marks an order overdue the day after its due date and tells managers and the owner once per due date', async () => {
    const order = await create({ dueDate: '2026-11-25' });
    h.clock.set('2026-11-25T23:59:00Z');
    await jobs.tick();
    expect(await eventsOf(order.number, 'order.overdue')).toEqual([]);

    h.clock.set('2026-11-26T00:00:00Z');
    await jobs.tick();
    await jobs.tick();
    expect(await eventsOf(order.number, 'order.overdue')).toEqual([
      expect.objectContaining({ data: { stage: 'received', dueDate: '2026-11-25' }, orderVersion: 1 }),
    ]);
    expect(await alertsFor(order.number, '?kind=overdue')).toEqual([
      expect.objectContaining({ since: '2026-11-26T00:00:00.000Z', notify: ['manager', 'sales'] }),
    ]);
    for (const role of ['manager', 'sales'] as const) {
      const told = (await inbox(role)).items.filter((n) => n.kind === 'overdue');
      expect(told.map((n) => n.title)).toEqual([`${order.number} is overdue: it was due Wed 25 Nov`]);
    }

    // A new (still past) due date is news again; the same one is not.
    await h.as('sales').patch(`/orders/${order.number}`, { dueDate: '2026-11-24' });
    await jobs.tick();
    await jobs.tick();
    expect((await eventsOf(order.number, 'order.overdue')).map((e) => e.data.dueDate)).toEqual(['2026-11-25', '2026-11-24']);
  });

  it('flags an order at risk when the median pace of its remaining stages finishes it after its due date', async () => {
    const quick = {
      key: 'quick',
      name: 'Quick jobs',
      orderPrefix: 'QJ',
      stages: [
        { key: 'cut', label: 'Cutting', ownerRole: 'production', nextAction: 'Cut', stallAfterHours: 100 },
        { key: 'pack', label: 'Packing', ownerRole: 'fulfillment', nextAction: 'Pack', stallAfterHours: 100 },
        { key: 'sent', label: 'Sent', ownerRole: 'fulfillment', nextAction: 'Nothing' },
      ],
      fields: [],
    };
    expect((await h.as('admin').post('/workflows', quick)).statusCode).toBe(201);
    const make = async (dueDate: string) =>
      json<Order>(await h.as('sales').post('/orders', { workflow: 'quick', title: 'Job', customer: { name: 'C' }, dueDate }));

    // History: cutting took 4 working hours, packing 2.
    const done = await make('2026-12-31');
    h.clock.set('2026-11-24T13:00:00Z');
    await h.as('manager').post(`/orders/${done.number}/transitions`, { to: 'pack' });
    h.clock.set('2026-11-24T15:00:00Z');
    await h.as('manager').post(`/orders/${done.number}/transitions`, { to: 'sent' });

    // At 15:00 on Tuesday a new job needs 4 + 2 working hours: Wednesday at 12:00 at the earliest.
    const dueToday = await make('2026-11-24');
    const dueTomorrow = await make('2026-11-25');
    await jobs.tick();
    expect(json<Order>(await h.as('viewer').get(`/orders/${dueToday.number}`)).flags).toEqual(['at-risk']);
    expect(json<Order>(await h.as('viewer').get(`/orders/${dueTomorrow.number}`)).flags).toEqual([]);
    expect(json<{ items: Order[] }>(await h.as('viewer').get('/orders?flag=at-risk')).items.map((o) => o.number)).toEqual([
      dueToday.number,
    ]);
    expect(await eventsOf(dueToday.number, 'order.at_risk')).toEqual([
      expect.objectContaining({ data: { stage: 'cut', dueDate: '2026-11-24', expectedBy: '2026-11-25' } }),
    ]);
    expect(await alertsFor(dueToday.number)).toEqual([
      expect.objectContaining({ kind: 'at-risk', since: '2026-11-24T15:00:00.000Z', notify: ['manager', 'production'] }),
    ]);
    for (const role of ['manager', 'production'] as const) {
      expect((await inbox(role)).items.filter((n) => n.kind === 'at-risk').map((n) => n.title)).toEqual([
        `${dueToday.number} is at risk of missing its due date (Tue 24 Nov)`,
      ]);
    }
    // Told once, however many sweeps see it.
    h.clock.set('2026-11-24T16:00:00Z');
    await jobs.tick();
    expect(await eventsOf(dueToday.number, 'order.at_risk')).toHaveLength(1);

    // The next day it is overdue instead: late, no longer merely at risk.
    h.clock.set('2026-11-25T09:00:00Z');
    await jobs.tick();
    expect(json<Order>(await h.as('viewer').get(`/orders/${dueToday.number}`)).flags).toEqual(['overdue']);
  });

  it('reminds the stage owner of orders due in the next days, once', async () => {
    await h.as('admin').put('/settings', { dueSoonDays: 2 });
    const soon = await create({ dueDate: '2026-11-26' });
    const later = await create({ dueDate: '2026-11-27' });
    await jobs.tick();
    await jobs.tick();
    expect(await eventsOf(soon.number, 'order.due_soon')).toEqual([
      expect.objectContaining({ data: { stage: 'received', dueDate: '2026-11-26', daysLeft: 2 } }),
    ]);
    expect(await eventsOf(later.number, 'order.due_soon')).toEqual([]);
    const reminders = (await inbox('sales')).items.filter((n) => n.kind === 'due-soon');
    expect(reminders.map((n) => n.title)).toEqual([`${soon.number} is due Thu 26 Nov`]);
    // A day later the other one comes into the window; the first is not told again.
    h.clock.set('2026-11-25T09:00:00Z');
    await jobs.tick();
    expect((await inbox('sales')).items.filter((n) => n.kind === 'due-soon').map((n) => n.orderNumber)).toEqual([
      later.number,
      soon.number,
    ]);
  });
});

describe('the alert list', () => {
  it('is there for everyone signed in, filters by kind, workflow and "told to me", and pages', async () => {
    const a = await create();
    const b = await create();
    h.clock.set('2026-11-26T12:00:00Z');
    expect((await h.as(null).get('/alerts')).statusCode).toBe(401);
    const all = json<{ items: Alert[]; nextCursor: string | null }>(await h.as('viewer').get('/alerts'));
    conforms(pageOf(AlertSchema), all);
    expect(all.items.map((x) => [x.number, x.kind])).toEqual([
      [a.number, 'stalled'],
      [b.number, 'stalled'],
      [a.number, 'escalated'],
      [b.number, 'escalated'],
    ]);
    const mine = (role: Parameters<Harness['as']>[0]) =>
      h
        .as(role)
        .get('/alerts?owner=me')
        .then((r) => json<{ items: Alert[] }>(r).items.map((x) => x.kind));
    expect(await mine('sales')).toEqual(['stalled', 'stalled']);
    expect(await mine('manager')).toEqual(['escalated', 'escalated']);
    expect(await mine('production')).toEqual([]);
    expect(json<{ items: Alert[] }>(await h.as('viewer').get('/alerts?kind=escalated')).items).toHaveLength(2);
    expect(json<{ items: Alert[] }>(await h.as('viewer').get('/alerts?workflow=nope')).items).toEqual([]);
    const first = json<{ items: Alert[]; nextCursor: string }>(await h.as('viewer').get('/alerts?limit=3'));
    const rest = json<{ items: Alert[]; nextCursor: string | null }>(
      await h.as('viewer').get(`/alerts?limit=3&cursor=${first.nextCursor}`),
    );
    expect([...first.items, ...rest.items]).toEqual(all.items);
    expect(rest.nextCursor).toBeNull();
    const bad = await h.as('viewer').get('/alerts?kind=late');
    expect(bad.statusCode).toBe(400);
    expect(json(bad).type).toBe('validation-failed');
    expect((await h.as('viewer').get('/alerts?cursor=abc')).statusCode).toBe(400);
  });
});
