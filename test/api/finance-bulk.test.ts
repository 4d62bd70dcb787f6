// Marking several orders invoiced in one call: all of them, each with its own event, or none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, startHarness, writeCounts } from '../support/harness.ts';
import { makeMiniHistory } from '../support/mini-history.ts';

let h: Harness;
let n: Record<'A' | 'B' | 'C' | 'D' | 'E', string>;
beforeAll(async () => {
  h = await startHarness();
  n = await makeMiniHistory(h);
});
afterAll(() => h.close());

const invoicedEvents = async (number: string) =>
  json<{ items: Array<{ type: string; data: Record<string, unknown> }> }>(
    await h.as('admin').get(`/orders/${number}/events`),
  ).items.filter((e) => e.type === 'order.invoiced');

describe('marking several orders invoiced at once', () => {
  it('is for finance, managers and admins only', async () => {
    for (const role of ['sales', 'viewer'] as const) {
      expect((await h.as(role).post('/finance/invoiced', { orders: [n.A] })).statusCode, role).toBe(403);
    }
  });

  it('refuses the lot, changing nothing, when one of them is not ready, naming it', async () => {
    const before = await writeCounts(h.db);
    const res = await h.as('finance').post('/finance/invoiced', { orders: [n.A, n.C] });
    expect(res.statusCode).toBe(409);
    expect(json<{ detail: string }>(res).detail).toContain(n.C);
    expect(await writeCounts(h.db)).toEqual(before);
    expect(await invoicedEvents(n.A)).toEqual([]);
    expect((await h.as('finance').post('/finance/invoiced', { orders: [] })).statusCode).toBe(400);
  });

  it('marks every one, each with its own event, and takes them off the list', async () => {
    const res = await h.as('finance').post('/finance/invoiced', { orders: [n.A, n.B], reference: 'Batch 12' });
    expect(res.statusCode, res.body).toBe(201);
    expect(json<{ marked: Array<{ number: string }> }>(res).marked.map((m) => m.number)).toEqual([n.A, n.B]);
    for (const number of [n.A, n.B]) expect(await invoicedEvents(number)).toHaveLength(1);
    const list = json<{ items: unknown[] }>(await h.as('finance').get('/finance/ready-to-invoice?workflow=mini'));
    expect(list.items).toEqual([]);
  });
});
