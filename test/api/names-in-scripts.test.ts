// Names in many scripts: the order search and the reports' customer filter find the same orders on SQLite and on
// PostgreSQL, whatever the case (and the Unicode form) a name is typed in.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, json, newOrder, startHarness } from '../support/harness.ts';

/** A customer's name as stored, a search that must find it, and the name typed another way for the report filter. */
const NAMES = [
  { name: 'Ölmühle Köln', search: 'ÖLMÜHLE', typed: 'ölmühle köln' },
  { name: 'Großbäckerei Weiß', search: 'GROSSBÄCKEREI', typed: 'GROSSBÄCKEREI WEISS' },
  { name: 'İstanbul Tekstil', search: 'istanbul', typed: 'İSTANBUL TEKSTİL' },
  { name: 'Kırmızı Baskı', search: 'KıRMıZı', typed: 'kırmızı baskı' },
  { name: 'ΟΔΟΣ ΣΠΑΡΤΗΣ', search: 'οδος', typed: 'Οδος Σπαρτης' },
  { name: 'Москва Швейная', search: 'МОСКВА', typed: 'МОСКВА ШВЕЙНАЯ' },
  { name: '東京印刷', search: '印刷', typed: '東京印刷' },
  { name: 'مطبعة القاهرة', search: 'القاهرة', typed: 'مطبعة القاهرة' },
  { name: '🎽 Running Club', search: '🎽 RUNNING', typed: '🎽 running club' },
  // Stored composed (NFC), typed decomposed (NFD): the same letters.
  { name: 'Café Crème', search: 'CAFE\u0301', typed: 'cafe\u0301 cre\u0300me' },
] as const;

let h: Harness;
const numbers = new Map<string, string>();
beforeEach(async () => {
  h = await startHarness();
  numbers.clear();
  for (const n of NAMES) {
    const res = await h.as('sales').post('/orders', newOrder({ title: 'Aprons', customer: { name: n.name, email: null } }));
    expect(res.statusCode, res.body).toBe(201);
    numbers.set(n.name, json<{ number: string }>(res).number);
  }
  // An order whose name only looks alike, to show the search is not matching everything.
  await h.as('sales').post('/orders', newOrder({ title: 'Aprons', customer: { name: 'Olmuhle Koln', email: null } }));
});
afterEach(() => h.close());

describe('names in many scripts, on both databases', () => {
  it('the order search finds each order by its customer in any case', async () => {
    for (const n of NAMES) {
      const res = await h.as('viewer').get(`/orders?q=${encodeURIComponent(n.search)}`);
      expect(res.statusCode, res.body).toBe(200);
      const found = json<{ items: Array<{ number: string }> }>(res).items.map((o) => o.number);
      expect(found, `${n.search} → ${n.name}`).toEqual([numbers.get(n.name)]);
    }
  });

  it('the work-in-progress and throughput reports narrow to the customer typed in any case', async () => {
    for (const n of NAMES) {
      const customer = `workflow=custom-apparel&customer=${encodeURIComponent(n.typed)}`;
      const wip = json<{ total: number; orders: Array<{ number: string }> }>(
        await h.as('viewer').get(`/reports/wip?${customer}`),
      );
      expect(
        wip.orders.map((o) => o.number),
        `wip for ${n.typed}`,
      ).toEqual([numbers.get(n.name)]);
      expect(wip.total).toBe(1);
      const throughput = json<{ started: number }>(await h.as('viewer').get(`/reports/throughput?${customer}`));
      expect(throughput.started, `throughput for ${n.typed}`).toBe(1);
    }
  });

  it('lists a customer typed two ways as one', async () => {
    await h.as('sales').post('/orders', newOrder({ customer: { name: 'ÖLMÜHLE KÖLN', email: null } }));
    await h.as('sales').post('/orders', newOrder({ customer: { name: 'ΟΔΟΣ ΣΠΑΡΤΗΣ', email: null } }));
    const res = await h.as('viewer').get('/reports/customers?workflow=custom-apparel');
    expect(res.statusCode, res.body).toBe(200);
    const items = json<{ items: Array<{ name: string; orders: number }> }>(res).items;
    expect(items).toHaveLength(NAMES.length + 1);
    expect(items.filter((c) => c.orders === 2).map((c) => c.name.toLowerCase())).toEqual(
      expect.arrayContaining(['ölmühle köln', 'οδος σπαρτης']),
    );
  });
});
