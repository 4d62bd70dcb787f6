// Creating, finding, reading and editing orders through the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, newOrder, startHarness, writeCounts } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

type Order = {
  id: string;
  number: string;
  state: string;
  stage: string;
  version: number;
  fields: Record<string, unknown>;
  flags: string[];
  trackingUrl: string;
  dueDate: string | null;
  title: string;
  nextAction: string | null;
  stageLabel: string;
  ownerRole: string;
};
type Page = { items: Order[]; nextCursor: string | null };

describe('creating an order', () => {
  it('numbers it, puts it in the first stage with its next action, and gives it a tracking link', async () => {
    const res = await h.as('sales').post('/orders', newOrder());
    expect(res.statusCode).toBe(201);
    const order = json<Order>(res);
    expect(order).toMatchObject({
      number: expect.stringMatching(/^ORD-\d+$/),
      workflow: 'custom-apparel',
      state: 'active',
      stage: 'received',
      stageLabel: 'Order received',
      ownerRole: 'sales',
      nextAction: 'Confirm specs and artwork with the customer',
      priority: 'normal',
      version: 1,
      completedAt: null,
      customer: { name: 'Harbour FC', email: 'kit@harbourfc.example' },
      items: [{ sku: 'HD-NAVY-M', description: 'Navy hoodie M', quantity: 20 }],
      stageEnteredAt: h.clock.now().toISOString(),
      flags: [],
    });
    // 32 random bytes, base64url: 256 bits.
    expect(order.trackingUrl).toMatch(/^\/track\/[A-Za-z0-9_-]{43}$/);
  });

  it('needs the workflow, a title and the customer name, and the required workflow fields', async () => {
    const before = await writeCounts(h.db);
    const missingTitle = await h.as('sales').post('/orders', { workflow: 'custom-apparel', customer: { name: 'X' } });
    expect(missingTitle.statusCode).toBe(400);
    expect(json(missingTitle).type).toBe('validation-failed');
    const missingGarment = await h.as('sales').post('/orders', newOrder({ fields: { quantity: 5 } }));
    expect(missingGarment.statusCode).toBe(400);
    expect(json<{ errors: Array<{ path: string }> }>(missingGarment).errors.map((e) => e.path)).toContain('fields.garment');
    const badOption = await h.as('sales').post('/orders', newOrder({ fields: { garment: 'Kilt', quantity: 5 } }));
    expect(json<{ errors: Array<{ message: string }> }>(badOption).errors[0]!.message).toContain('must be one of');
    expect(await writeCounts(h.db)).toEqual(before);
  });

  it('refuses roles that may not create orders', async () => {
    for (const role of ['production', 'procurement', 'fulfillment', 'finance', 'viewer'] as const) {
      const res = await h.as(role).post('/orders', newOrder());
      expect(res.statusCode, role).toBe(403);
      expect(json(res).type).toBe('forbidden');
    }
  });
});

describe('reading and finding orders', () => {
  it('reads an order by id and by number, with an ETag of its version', async () => {
    const order = json<Order>(await h.as('sales').post('/orders', newOrder()));
    const byId = await h.as('viewer').get(`/orders/${order.id}`);
    const byNumber = await h.as('viewer').get(`/orders/${order.number}`);
    expect(json(byId)).toEqual(json(byNumber));
    expect(byId.headers.etag).toBe('"1"');
    expect((await h.as('viewer').get('/orders/ORD-999999')).statusCode).toBe(404);
  });

  it('finds orders by number, title or customer, case-insensitively', async () => {
    const order = json<Order>(
      await h.as('sales').post('/orders', newOrder({ title: 'Choir robes', customer: { name: 'Kingsbridge Choral Society' } })),
    );
    for (const q of [order.number, 'choir ROBES', 'kingsbridge']) {
      const page = json<Page>(await h.as('service').get(`/orders?q=${encodeURIComponent(q)}`));
      expect(
        page.items.map((o) => o.number),
        q,
      ).toEqual([order.number]);
    }
    expect(json<Page>(await h.as('service').get('/orders?q=%25')).items).toEqual([]);
  });

  it('pages through a long list with a cursor, newest first, never repeating an order', async () => {
    for (let i = 0; i < 7; i++) {
      h.clock.advanceHours(0.01);
      await h.as('sales').post('/orders', newOrder({ title: `Paging ${i}`, customer: { name: 'Paging Ltd' } }));
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = json<Page>(await h.as('viewer').get(`/orders?q=paging&limit=3${cursor ? `&cursor=${cursor}` : ''}`));
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((o) => o.title));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Paging 6', 'Paging 5', 'Paging 4', 'Paging 3', 'Paging 2', 'Paging 1', 'Paging 0']);
  });

  it('filters by stage, state, due date, "my queue" and flags', async () => {
    const late = json<Order>(
      await h
        .as('sales')
        .post('/orders', newOrder({ title: 'Late one', customer: { name: 'Filter Co' }, dueDate: '2026-11-20' })),
    );
    const moved = json<Order>(
      await h.as('sales').post('/orders', newOrder({ title: 'Moved one', customer: { name: 'Filter Co' } })),
    );
    await h.as('sales').post(`/orders/${moved.number}/transitions`, { to: 'proof_approval' });
    await h.as('sales').patch(`/orders/${moved.number}`, { fields: { proof_approved: true } });
    await h.as('sales').post(`/orders/${moved.number}/transitions`, { to: 'supplier_confirmation' });
    const numbers = async (role: Parameters<Harness['as']>[0], query: string) =>
      json<Page>(await h.as(role).get(`/orders?q=filter+co&${query}`))
        .items.map((o) => o.number)
        .sort();

    expect(await numbers('viewer', 'stage=supplier_confirmation')).toEqual([moved.number]);
    expect(await numbers('viewer', 'dueBefore=2026-11-21')).toEqual([late.number]);
    expect(await numbers('viewer', 'flag=overdue')).toEqual([late.number]);
    expect(json<Order>(await h.as('viewer').get(`/orders/${late.number}`)).flags).toContain('overdue');
    expect(await numbers('procurement', 'owner=me')).toEqual([moved.number]);
    expect(await numbers('sales', 'owner=me')).toEqual([late.number]);
    expect(await numbers('production', 'owner=me')).toEqual([]);

    // "Order received" stalls after 8 working hours and escalates after 16. The default business
    // calendar works Monday to Friday, 08:00 to 17:00 UTC, and these orders came in on Tuesday just
    // after 09:00: a day later (Wednesday 09:0x) they have sat about 8.9 working hours, and another
    // 8 hours (Wednesday 17:0x, closing time) bring them to about 16.9.
    h.clock.advanceHours(24);
    expect(await numbers('viewer', 'flag=stalled')).toEqual([late.number]);
    expect(await numbers('viewer', 'flag=escalated')).toEqual([]);
    h.clock.advanceHours(8);
    expect(await numbers('viewer', 'flag=escalated')).toEqual([late.number]);
    expect(json<Order>(await h.as('viewer').get(`/orders/${late.number}`)).flags).toEqual(['stalled', 'escalated', 'overdue']);
    await h.as('manager').post(`/orders/${late.number}/hold`, { reason: 'Customer on holiday' });
    expect(await numbers('viewer', 'flag=on-hold')).toEqual([late.number]);
    expect(await numbers('viewer', 'state=on_hold')).toEqual([late.number]);
    expect(await numbers('viewer', 'flag=stalled')).toEqual([]);
  });
});

describe('editing an order', () => {
  it('records each changed detail with its value before and after, and bumps the version once', async () => {
    const order = json<Order>(await h.as('sales').post('/orders', newOrder()));
    const res = await h.as('service').patch(`/orders/${order.number}`, {
      dueDate: '2026-12-11',
      priority: 'rush',
      fields: { quantity: 60, print_method: 'Embroidery', artwork_url: null },
    });
    expect(res.statusCode).toBe(200);
    const edited = json<Order>(res);
    expect(edited).toMatchObject({ version: 2, dueDate: '2026-12-11', priority: 'rush' });
    expect(edited.fields).toEqual({ garment: 'Hoodie', quantity: 60, print_method: 'Embroidery' });
    const events = json<{ items: Array<{ type: string; data: { changes?: unknown } }> }>(
      await h.as('sales').get(`/orders/${order.number}/events`),
    ).items;
    expect(events.at(-1)).toMatchObject({
      type: 'order.updated',
      data: {
        changes: [
          { field: 'dueDate', before: '2026-12-18', after: '2026-12-11' },
          { field: 'priority', before: 'normal', after: 'rush' },
          { field: 'fields.quantity', before: 40, after: 60 },
          { field: 'fields.print_method', before: null, after: 'Embroidery' },
          { field: 'fields.artwork_url', before: 'https://files.example/harbour.pdf', after: null },
        ],
      },
    });
  });

  it('changes nothing and records nothing when the edit repeats current values', async () => {
    const order = json<Order>(await h.as('sales').post('/orders', newOrder()));
    const before = await writeCounts(h.db);
    const res = await h.as('sales').patch(`/orders/${order.number}`, { title: 'Team hoodies', fields: { quantity: 40 } });
    expect(json<Order>(res).version).toBe(1);
    expect(await writeCounts(h.db)).toEqual(before);
  });

  it('refuses to clear a required field or edit a cancelled order', async () => {
    const order = json<Order>(await h.as('sales').post('/orders', newOrder()));
    const clear = await h.as('sales').patch(`/orders/${order.number}`, { fields: { garment: null } });
    expect(clear.statusCode).toBe(400);
    await h.as('manager').post(`/orders/${order.number}/cancel`, { reason: 'Duplicate' });
    const edit = await h.as('sales').patch(`/orders/${order.number}`, { title: 'Too late' });
    expect(edit.statusCode).toBe(409);
    expect(json(edit).type).toBe('order-not-active');
  });
});
