// Finance: the ready-to-invoice list with exact amounts, its CSV, and marking an order invoiced as an event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as R from '../../src/http/report-schemas.ts';
import { type Harness, json, startHarness, writeCounts } from '../support/harness.ts';
import { makeMiniHistory } from '../support/mini-history.ts';

let h: Harness;
let n: Record<'A' | 'B' | 'C' | 'D' | 'E', string>;
beforeAll(async () => {
  h = await startHarness();
  n = await makeMiniHistory(h);
});
afterAll(() => h.close());

interface Ready {
  items: Array<{ number: string; amount: string | null; lines: Array<Record<string, unknown>>; readySince: string }>;
  totals: { orders: number; amount: string; withoutAmount: number };
  nextCursor: string | null;
}

describe('ready to invoice', () => {
  it('lists the orders that reached the invoice stage, with amounts added up exactly', async () => {
    const res = await h.as('finance').get('/finance/ready-to-invoice?workflow=mini');
    expect(res.statusCode, res.body).toBe(200);
    const body = json<Ready>(res);
    expect(R.ReadyList.safeParse(body).success).toBe(true);
    // A: 18.50 x 40 = 740.00; B: 0.3333 x 3 = 0.9999. C is still in Make, D was cancelled, E is in To do.
    expect(body.items.map((i) => [i.number, i.amount, i.readySince])).toEqual([
      [n.A, '740.00', '2026-11-25T10:00:00.000Z'],
      [n.B, '0.9999', '2026-11-27T09:00:00.000Z'],
    ]);
    expect(body.items[0]!.lines).toEqual([
      { field: 'unit_price', label: 'Unit price', value: '18.50', quantity: 40, amount: '740.00' },
    ]);
    expect(body.totals).toEqual({ orders: 2, amount: '740.9999', withoutAmount: 0 });
  });

  it('pages through the list, with totals over all of it', async () => {
    const first = json<Ready>(await h.as('manager').get('/finance/ready-to-invoice?workflow=mini&limit=1'));
    expect(first.items.map((i) => i.number)).toEqual([n.A]);
    expect(first.totals.orders).toBe(2);
    const second = json<Ready>(
      await h.as('manager').get(`/finance/ready-to-invoice?workflow=mini&limit=1&cursor=${first.nextCursor}`),
    );
    expect(second.items.map((i) => i.number)).toEqual([n.B]);
    expect(second.nextCursor).toBeNull();
  });

  it('exports the list as CSV', async () => {
    const res = await h.as('admin').get('/finance/ready-to-invoice.csv?workflow=mini');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('number,workflow,title,customer,customer_email,stage,ready_since,completed_at,due_date,amount,lines');
    expect(lines[1]).toContain(
      `${n.A},mini,Order A,Acme,,done,2026-11-25T10:00:00.000Z,2026-11-25T15:00:00.000Z,2026-11-27,740.00,`,
    );
    expect(lines).toHaveLength(3);
  });

  it('is for finance, managers and admins only', async () => {
    for (const role of ['sales', 'production', 'viewer'] as const) {
      expect((await h.as(role).get('/finance/ready-to-invoice')).statusCode, role).toBe(403);
      expect((await h.as(role).post(`/orders/${n.A}/invoiced`, {})).statusCode, role).toBe(403);
    }
  });
});

describe('marking invoiced', () => {
  it('records an order.invoiced event without changing the order, and takes it off the list', async () => {
    const before = json<{ version: number }>(await h.as('finance').get(`/orders/${n.A}`));
    h.clock.set('2026-12-01T13:00:00.000Z');
    const res = await h.as('finance').post(`/orders/${n.A}/invoiced`, { reference: 'INV-2026-0042' });
    expect(res.statusCode, res.body).toBe(201);
    const mark = json(res);
    expect(R.InvoiceMark.safeParse(mark).success).toBe(true);
    expect(mark).toMatchObject({ number: n.A, invoicedAt: '2026-12-01T13:00:00.000Z', reference: 'INV-2026-0042' });
    const after = json<{ version: number }>(await h.as('finance').get(`/orders/${n.A}`));
    expect(after.version).toBe(before.version);
    const events = json<{ items: Array<{ type: string; data: Record<string, unknown>; orderVersion: number }> }>(
      await h.as('viewer').get(`/orders/${n.A}/events`),
    ).items;
    const invoiced = events.filter((e) => e.type === 'order.invoiced');
    expect(invoiced).toEqual([expect.objectContaining({ data: { reference: 'INV-2026-0042' }, orderVersion: before.version })]);
    const list = json<Ready>(await h.as('finance').get('/finance/ready-to-invoice?workflow=mini'));
    expect(list.items.map((i) => i.number)).toEqual([n.B]);
    expect(list.totals.amount).toBe('0.9999');
  });

  it('refuses a second mark, and an order not yet shipped or cancelled, changing nothing', async () => {
    const counts = await writeCounts(h.db);
    const again = await h.as('finance').post(`/orders/${n.A}/invoiced`, { reference: 'again' });
    expect(again.statusCode).toBe(409);
    expect(json(again).type).toBe('conflict');
    const early = await h.as('finance').post(`/orders/${n.C}/invoiced`, {});
    expect(early.statusCode).toBe(409);
    expect(json(early).detail).toContain('has not reached Ship');
    const cancelled = await h.as('finance').post(`/orders/${n.D}/invoiced`, {});
    expect(cancelled.statusCode).toBe(409);
    expect(json(cancelled).type).toBe('order-not-active');
    expect((await h.as('finance').post('/orders/MIN-99999/invoiced', {})).statusCode).toBe(404);
    expect(await writeCounts(h.db)).toEqual(counts);
  });

  it('keeps the audit chain intact', async () => {
    const res = await h.as('admin').get('/audit/verify');
    expect(json(res)).toMatchObject({ ok: true });
  });
});
