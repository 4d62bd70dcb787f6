// Fields marked visibleTo stay with the roles named: left out of every API answer (every GET route in the OpenAPI
// document, and the answers to writes), exports, webhooks scoped to a role, e-mails and the customer's page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/domain/roles.ts';
import { OutboxDispatcher } from '../../src/jobs/dispatcher.ts';
import { type Harness, json, newOrder, startHarness } from '../support/harness.ts';

/** The demo's unit price is for these roles only. */
const READERS: Role[] = ['sales', 'finance', 'manager', 'admin'];
const OTHERS = ROLES.filter((r) => !READERS.includes(r));
/** A price nobody could find in an answer by chance. */
const PRICE = '987.65';
const CHANGED_PRICE = '912.34';

let h: Harness;
let order: { id: string; number: string; trackingUrl: string };
let feedFile = '';
let getRoutes: string[] = [];

const drain = async () => {
  const dispatcher = new OutboxDispatcher(h.app);
  while ((await dispatcher.dispatchOnce()) > 0);
};

beforeAll(async () => {
  h = await startHarness();
  const doc = json<{ paths: Record<string, Record<string, unknown>> }>(await h.as(null).get('/openapi.json'));
  getRoutes = Object.entries(doc.paths)
    .filter(([, ops]) => 'get' in ops)
    .map(([path]) => path);
  // E-mail is queued (never sent here), so what it would say can be read.
  await h.as('admin').put('/settings', { email: { smtpUrl: 'smtp://127.0.0.1:9' }, webhooks: { allowPrivateNetworks: true } });
  for (const role of ROLES) {
    await h.as(role).put('/notifications/preferences', {
      emailKinds: ['stage-entered', 'stalled', 'escalated', 'at-risk', 'overdue', 'due-soon', 'ready-to-invoice'],
    });
  }
  await h.as('admin').post('/webhooks', {
    url: 'http://127.0.0.1:9/all',
    eventTypes: ['order.created', 'order.updated', 'order.ready_to_invoice'],
  });
  await h.as('admin').post('/webhooks', {
    url: 'http://127.0.0.1:9/floor',
    eventTypes: ['order.created', 'order.updated', 'order.ready_to_invoice'],
    role: 'production',
  });

  const created = await h
    .as('sales')
    .post(
      '/orders',
      newOrder({ fields: { garment: 'Hoodie', quantity: 40, artwork_url: 'https://files.example/a.pdf', unit_price: PRICE } }),
    );
  expect(created.statusCode).toBe(201);
  order = json(created);
  await h.as('sales').patch(`/orders/${order.number}`, { fields: { unit_price: CHANGED_PRICE } });
  // Through to "Shipped" (the invoice trigger), so finance, exports and ready-to-invoice have it too.
  await h.as('manager').post(`/orders/${order.number}/transitions`, { to: 'shipped', reason: 'Everything done at once' });
  await h.as('sales').post(`/orders/${order.number}/comments`, { body: 'priced' });
  feedFile = json<{ url: string }>(await h.as('viewer').post('/calendar-feeds', {}))
    .url.split('/')
    .pop()!;
  await drain();
});
afterAll(() => h.close());

/** No value of the field anywhere (a workflow's definition may name the field; only its values are kept back). */
const hidesPrice = (body: string) => !body.includes(PRICE) && !body.includes(CHANGED_PRICE);
/** An order-shaped answer: not even the key. */
const hidesField = (body: string) => hidesPrice(body) && !body.includes('"unit_price"');

/** A GET route's path with this test's order, workflow and feed filled in, and the query it needs. */
function filled(path: string): string {
  const url = path
    .replace('{id}', order.number)
    .replace('{key}', 'custom-apparel')
    .replace('{token}', order.trackingUrl.replace('/track/', ''))
    .replace('{file}', feedFile);
  return /\/(reports|forecast|board)/.test(url) ? `${url}?workflow=custom-apparel` : url;
}

describe('a field visible to some roles', () => {
  it('is in the answers of the roles it is for', async () => {
    for (const role of READERS) {
      const one = json<{ fields: Record<string, unknown> }>(await h.as(role).get(`/orders/${order.number}`));
      expect(one.fields.unit_price, role).toBe(CHANGED_PRICE);
      const exported = await h.as(role).get('/export/orders.csv');
      expect(exported.body, role).toContain(CHANGED_PRICE);
    }
  });

  it('is left out of every GET route in the OpenAPI document for every other role', async () => {
    const paths = getRoutes.filter((p) => !p.endsWith('/stream') && !p.includes('{deliveryId}') && p.startsWith('/api/v1/'));
    expect(paths.length).toBeGreaterThan(30);
    const leaks: string[] = [];
    let answered = 0;
    for (const role of OTHERS) {
      for (const path of paths) {
        const url = filled(path).replace(/^\/api\/v1/, '');
        const res = await h.as(role).get(url);
        if (res.statusCode === 200) answered += 1;
        const orderShaped = /^\/(orders|export\/orders|finance)/.test(url);
        if (!(orderShaped ? hidesField(res.body) : hidesPrice(res.body))) leaks.push(`${role} GET ${url} (${res.statusCode})`);
      }
    }
    expect(leaks).toEqual([]);
    // Most of them answered for real: this is not a test of refusals.
    expect(answered).toBeGreaterThan(OTHERS.length * 25);
  });

  it('is left out of the answers to writes by those roles', async () => {
    const fresh = json<{ number: string }>(await h.as('sales').post('/orders', newOrder({ title: 'Write answers' })));
    const answers = [
      await h.as('service').patch(`/orders/${fresh.number}`, { title: 'Edited by service' }),
      await h.as('service').post(`/orders/${fresh.number}/comments`, { body: 'hello' }),
      await h.as('manager').post(`/orders/${fresh.number}/transitions`, { to: 'scheduled', reason: 'Rushed' }),
    ];
    answers.push(await h.as('production').post(`/orders/${fresh.number}/hold`, { reason: 'Screens not ready' }));
    answers.push(await h.as('production').post(`/orders/${fresh.number}/resume`));
    answers.push(await h.as('production').post(`/orders/${fresh.number}/transitions`, { to: 'on_press' }));
    answers.push(await h.as('production').post(`/orders/${fresh.number}/cancel`, { reason: 'Customer cancelled' }));
    for (const [i, res] of answers.entries()) {
      expect(res.statusCode, res.body).toBeLessThan(300);
      if (i !== 2) expect(hidesField(res.body), res.body).toBe(true);
    }
    // The manager who moved it sees the price in the same answer shape.
    expect(answers[2]!.body).toContain('18.50');
  });

  it('is left out of webhooks scoped to a role that may not see it, and sent to an unscoped one', async () => {
    const rows = await h.db.kysely
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
      .select(['w.url', 'd.event_type', 'd.payload'])
      .where('d.order_key', '=', order.id)
      .execute();
    const floor = rows.filter((r) => r.url.endsWith('/floor'));
    const all = rows.filter((r) => r.url.endsWith('/all'));
    expect(floor.map((r) => r.event_type).sort()).toEqual(['order.created', 'order.ready_to_invoice', 'order.updated']);
    for (const r of floor) expect(hidesField(r.payload), `${r.event_type}: ${r.payload}`).toBe(true);
    expect(all.find((r) => r.event_type === 'order.created')?.payload).toContain(PRICE);
    expect(all.find((r) => r.event_type === 'order.ready_to_invoice')?.payload).toContain(CHANGED_PRICE);
    // The other fields still travel.
    expect(floor.find((r) => r.event_type === 'order.created')?.payload).toContain('"quantity":40');
  });

  it('shows a webhook its role, and lets an admin change it', async () => {
    const hooks = json<{ items: Array<{ id: string; url: string; role: string | null }> }>(
      await h.as('admin').get('/webhooks'),
    ).items;
    const floor = hooks.find((w) => w.url.endsWith('/floor'))!;
    expect(floor.role).toBe('production');
    expect(hooks.find((w) => w.url.endsWith('/all'))!.role).toBeNull();
    const changed = await h.as('admin').patch(`/webhooks/${floor.id}`, { role: 'finance' });
    expect(json(changed).role).toBe('finance');
    expect((await h.as('admin').patch(`/webhooks/${floor.id}`, { role: 'nobody' })).statusCode).toBe(400);
  });

  it('is in no e-mail, to staff or to the customer', async () => {
    const mails = await h.db.kysely.selectFrom('emails').select(['kind', 'to_address', 'body', 'subject']).execute();
    expect(mails.some((m) => m.kind === 'customer-update')).toBe(true);
    expect(mails.some((m) => m.kind === 'notification')).toBe(true);
    for (const m of mails) expect(hidesPrice(`${m.subject}\n${m.body}`), `${m.kind} to ${m.to_address}`).toBe(true);
  });

  it("is not on the customer's tracking page", async () => {
    const page = await h.server.inject({ method: 'GET', url: order.trackingUrl });
    expect(page.statusCode).toBe(200);
    expect(hidesField(page.body)).toBe(true);
  });
});
