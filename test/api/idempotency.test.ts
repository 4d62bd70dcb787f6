// Idempotency-Key on POST /orders: a client that retries after a lost answer gets the first answer, never a second order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, newOrder, startHarness, writeCounts } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

interface OrderBody {
  id: string;
  number: string;
  version: number;
}

const key = (name: string) => ({ 'idempotency-key': `${name}-${Math.random().toString(36).slice(2)}` });

/** How many orders, and events about orders, exist: what a duplicate create would add to. */
async function orderCounts() {
  const counts = await writeCounts(h.db);
  return { orders: counts.orders ?? 0, events: counts.events ?? 0, stageVisits: counts.stage_visits ?? 0 };
}

describe('a repeated create with the same Idempotency-Key', () => {
  it('answers the first answer again, with 201, and creates no second order', async () => {
    const headers = key('retry');
    const first = await h.as('sales').post('/orders', newOrder(), headers);
    expect(first.statusCode).toBe(201);
    const before = await writeCounts(h.db);

    const again = await h.as('sales').post('/orders', newOrder(), headers);
    expect(again.statusCode).toBe(201);
    expect(json<OrderBody>(again)).toEqual(json<OrderBody>(first));
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(await writeCounts(h.db)).toEqual(before);

    const listed = json<{ items: OrderBody[] }>(await h.as('viewer').get('/orders?q=Team%20hoodies&limit=500')).items;
    expect(listed.filter((o) => o.id === json<OrderBody>(first).id)).toHaveLength(1);
  });

  it('still answers the first answer after the order has moved on', async () => {
    const headers = key('late-retry');
    const first = json<OrderBody>(await h.as('sales').post('/orders', newOrder(), headers));
    await h.as('sales').patch(`/orders/${first.number}`, { priority: 'rush' });
    const again = await h.as('sales').post('/orders', newOrder(), headers);
    expect(again.statusCode).toBe(201);
    expect(json<OrderBody>(again)).toMatchObject({ id: first.id, number: first.number, version: 1 });
  });

  it('treats the same body with its members in another order as the same request', async () => {
    const headers = key('reordered');
    const body = newOrder();
    const first = json<OrderBody>(await h.as('sales').post('/orders', body, headers));
    const before = await orderCounts();
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await h.as('sales').post('/orders', reordered, headers);
    expect(again.statusCode).toBe(201);
    expect(json<OrderBody>(again).id).toBe(first.id);
    expect(await orderCounts()).toEqual(before);
  });

  it('refuses the same key with another body as idempotency-key-reused, creating nothing', async () => {
    const headers = key('reused');
    const first = await h.as('sales').post('/orders', newOrder(), headers);
    expect(first.statusCode).toBe(201);
    const before = await writeCounts(h.db);

    const other = await h.as('sales').post('/orders', newOrder({ title: 'Something else entirely' }), headers);
    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toContain('application/problem+json');
    expect(json(other)).toMatchObject({ type: 'idempotency-key-reused', status: 422 });
    expect(await writeCounts(h.db)).toEqual(before);
  });

  it('does not remember a request that was refused, so a corrected retry may reuse the key', async () => {
    const headers = key('refused-first');
    const before = await writeCounts(h.db);
    const refused = await h.as('sales').post('/orders', newOrder({ dueDate: '2026-02-30' }), headers);
    expect(refused.statusCode).toBe(400);
    expect(await writeCounts(h.db)).toEqual(before);
    const corrected = await h.as('sales').post('/orders', newOrder(), headers);
    expect(corrected.statusCode).toBe(201);
  });

  it('does not let a role that may not create orders read an answer through a key', async () => {
    const headers = key('forbidden');
    await h.as('sales').post('/orders', newOrder(), headers);
    const res = await h.as('viewer').post('/orders', newOrder(), headers);
    expect(res.statusCode).toBe(403);
    expect(json(res).type).toBe('forbidden');
  });
});

describe('keys belong to the user who sent them', () => {
  it('creates two orders when two users happen to send the same key', async () => {
    const headers = { 'idempotency-key': 'order-from-the-shop-form' };
    const before = await orderCounts();
    const bySales = await h.as('sales').post('/orders', newOrder(), headers);
    const byManager = await h.as('manager').post('/orders', newOrder(), headers);
    expect(bySales.statusCode).toBe(201);
    expect(byManager.statusCode).toBe(201);
    expect(json<OrderBody>(byManager).id).not.toBe(json<OrderBody>(bySales).id);
    expect(json<OrderBody>(byManager).number).not.toBe(json<OrderBody>(bySales).number);
    expect((await orderCounts()).orders).toBe(before.orders + 2);

    // And each user's repeat still finds their own first answer.
    const salesAgain = await h.as('sales').post('/orders', newOrder(), headers);
    expect(json<OrderBody>(salesAgain).id).toBe(json<OrderBody>(bySales).id);
    const managerAgain = await h.as('manager').post('/orders', newOrder(), headers);
    expect(json<OrderBody>(managerAgain).id).toBe(json<OrderBody>(byManager).id);
  });

  it("does not mistake another user's key for a reuse, even with another body", async () => {
    const headers = { 'idempotency-key': 'another-shared-key' };
    expect((await h.as('sales').post('/orders', newOrder(), headers)).statusCode).toBe(201);
    const res = await h.as('manager').post('/orders', newOrder({ title: 'Different order' }), headers);
    expect(res.statusCode).toBe(201);
  });
});

describe('concurrent repeats', () => {
  it('create exactly one order when ten identical requests with one key arrive at once', async () => {
    const headers = key('burst');
    const before = await orderCounts();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => h.as('sales').post('/orders', newOrder({ title: 'Burst order' }), headers)),
    );
    for (const res of answers) expect(res.statusCode, res.body).toBe(201);
    const ids = new Set(answers.map((res) => json<OrderBody>(res).id));
    const numbers = new Set(answers.map((res) => json<OrderBody>(res).number));
    expect(ids.size).toBe(1);
    expect(numbers.size).toBe(1);
    const after = await orderCounts();
    expect(after.orders).toBe(before.orders + 1);
    // One order.created event, one stage visit: the losers' work left no trace.
    expect(after.stageVisits).toBe(before.stageVisits + 1);
    expect(after.events).toBe(before.events + 1);
  });

  it('give every different key its own order when ten arrive at once', async () => {
    const before = await orderCounts();
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => h.as('sales').post('/orders', newOrder(), { 'idempotency-key': `parallel-${i}` })),
    );
    for (const res of answers) expect(res.statusCode, res.body).toBe(201);
    expect(new Set(answers.map((res) => json<OrderBody>(res).number)).size).toBe(10);
    expect((await orderCounts()).orders).toBe(before.orders + 10);
  });
});
