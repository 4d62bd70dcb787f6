// No lost updates: versions are checked in the database, numbers stay unique under concurrent creation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, newOrder, startHarness, writeCounts } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ poolSize: 20 });
});
afterAll(() => h.close());

async function created() {
  const res = await h.as('sales').post('/orders', newOrder());
  expect(res.statusCode).toBe(201);
  return json<{ id: string; number: string; version: number }>(res);
}

describe('optimistic concurrency', () => {
  it('refuses a stale If-Match with 409 and changes nothing', async () => {
    const order = await created();
    await h.as('sales').patch(`/orders/${order.number}`, { title: 'Team hoodies, 2nd run' });
    const before = await writeCounts(h.db);
    const res = await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'proof_approval' }, { 'if-match': '"1"' });
    expect(res.statusCode).toBe(409);
    expect(json(res)).toMatchObject({ type: 'version-conflict', currentVersion: 2 });
    expect(await writeCounts(h.db)).toEqual(before);
    expect(json(await h.as('sales').get(`/orders/${order.number}`))).toMatchObject({ stage: 'received', version: 2 });
  });

  it('refuses a stale expectedVersion in the body the same way', async () => {
    const order = await created();
    await h.as('sales').patch(`/orders/${order.id}`, { priority: 'rush' });
    const res = await h.as('sales').patch(`/orders/${order.id}`, { title: 'Lost edit', expectedVersion: 1 });
    expect(res.statusCode).toBe(409);
    expect(json(await h.as('sales').get(`/orders/${order.id}`)).title).toBe('Team hoodies');
  });

  it('of 20 concurrent moves of one order at the same version, exactly one wins', async () => {
    const order = await created();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'proof_approval', expectedVersion: order.version }),
      ),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(json(r).type).toBe('version-conflict');
    const events = json<{ items: Array<{ type: string }> }>(await h.as('sales').get(`/orders/${order.number}/events`)).items;
    expect(events.filter((e) => e.type === 'order.stage_changed')).toHaveLength(1);
    expect(json(await h.as('sales').get(`/orders/${order.number}`)).version).toBe(2);
  });

  it('moves 30 orders at once (sharing transactions), each exactly once, and refuses only the stale one among them', async () => {
    const orders = await Promise.all(Array.from({ length: 30 }, () => created()));
    const stale = orders[7]!;
    await h.as('sales').patch(`/orders/${stale.number}`, { priority: 'rush' });
    const results = await Promise.all(
      orders.map((o) =>
        h.as('sales').post(`/orders/${o.number}/transitions`, { to: 'proof_approval', expectedVersion: o.version }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(orders.map((o) => (o === stale ? 409 : 200)));
    for (const o of orders) {
      const after = json<{ stage: string; version: number; stageHistory: Array<{ stage: string; exitedAt: string | null }> }>(
        await h.as('sales').get(`/orders/${o.number}`),
      );
      if (o === stale) {
        expect(after).toMatchObject({ stage: 'received', version: 2 });
        continue;
      }
      expect(after).toMatchObject({ stage: 'proof_approval', version: 2 });
      // Each answer showed the order as it was stored.
      expect(json(results[orders.indexOf(o)]!).stageHistory).toEqual(after.stageHistory);
      expect(after.stageHistory.map((v) => [v.stage, v.exitedAt === null])).toEqual([
        ['received', false],
        ['proof_approval', true],
      ]);
      const events = json<{ items: Array<{ type: string }> }>(await h.as('sales').get(`/orders/${o.number}/events`)).items;
      expect(events.filter((e) => e.type === 'order.stage_changed')).toHaveLength(1);
    }
    expect(json<{ ok: boolean }>(await h.as('admin').get('/audit/verify')).ok).toBe(true);
  });

  it('applies every one of 10 concurrent edits that pinned no version: none is lost', async () => {
    const order = await created();
    const keys = ['print_method', 'colours', 'supplier_eta', 'tracking_number', 'proof_approved'] as const;
    const values: Record<string, unknown> = {
      print_method: 'DTG',
      colours: 3,
      supplier_eta: '2026-12-01',
      tracking_number: '1Z42',
      proof_approved: true,
    };
    const results = await Promise.all([
      ...keys.map((k) => h.as('sales').patch(`/orders/${order.number}`, { fields: { [k]: values[k] } })),
      ...['a', 'b', 'c', 'd', 'e'].map((x) => h.as('service').post(`/orders/${order.number}/comments`, { body: `note ${x}` })),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201, 201, 201, 201, 201]);
    const after = json<{ version: number; fields: Record<string, unknown> }>(await h.as('sales').get(`/orders/${order.number}`));
    expect(after.version).toBe(1 + keys.length);
    expect(after.fields).toMatchObject(values);
  });

  it('gives 50 concurrent creations 50 different, consecutive numbers', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => h.as('sales').post('/orders', newOrder({ title: `Rush ${i}` }))),
    );
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    const numbers = results.map((r) => Number(json<{ number: string }>(r).number.replace('ORD-', ''))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(50);
    expect(numbers[49]! - numbers[0]!).toBe(49);
    const later = json<{ number: string }>(await h.as('sales').post('/orders', newOrder()));
    expect(Number(later.number.replace('ORD-', ''))).toBe(numbers[49]! + 1);
  });
});
