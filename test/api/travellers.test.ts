// Printed job travellers: read back as a person (the text) and as scanners (the QR code and the Code 128 barcode).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOM_APPAREL } from '../../src/demo/custom-apparel.ts';
import { type Harness, json, newOrder, startHarness } from '../support/harness.ts';
import { pdfInfo, pdfText, readCode128, readQrCode, renderPages } from '../support/pdf.ts';

const PUBLIC_URL = 'https://floor.harbour-print.example';

let h: Harness;
let order: { id: string; number: string };
beforeAll(async () => {
  h = await startHarness();
  expect((await h.as('admin').put('/settings', { publicUrl: PUBLIC_URL })).statusCode).toBe(200);
  order = json(
    await h.as('sales').post('/orders', newOrder({ fields: { ...(newOrder().fields as object), print_method: 'Screen print' } })),
  );
});
afterAll(() => h.close());

async function traveller(path: string, role: 'production' | 'admin' | 'finance' = 'production') {
  const res = await h.as(role).get(path);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  return res.rawPayload;
}

describe("an order's traveller", () => {
  it('carries a QR code that opens the station view and a Code 128 barcode of the order number', async () => {
    const pdf = await traveller(`/orders/${order.number}/traveller.pdf`);
    const [page, ...more] = renderPages(pdf);
    expect(more).toHaveLength(0);
    expect(readQrCode(page!)).toBe(`${PUBLIC_URL}/station/${order.number}`);
    expect(readCode128(page!)).toBe(order.number);
  });

  it('shows the customer, due date, priority, the floor-visible fields, the items and the stages with their owners', async () => {
    const text = pdfText(await traveller(`/orders/${order.id}/traveller.pdf`));
    expect(text).toContain(order.number);
    expect(text).toContain('Harbour FC');
    expect(text).toContain('2026-12-18');
    expect(text).toContain('NORMAL');
    expect(text).toMatch(/Garment\s+Hoodie/);
    expect(text).toMatch(/Print method\s+Screen print/);
    expect(text).toContain('Navy hoodie M');
    for (const stage of CUSTOM_APPAREL.stages) {
      expect(text).toMatch(new RegExp(`${stage.label}(\\s+\\(now\\))?\\s+owner: ${stage.ownerRole}`));
    }
    expect(text).toMatch(/Order received\s+\(now\)/);
  });

  it('never shows a price or a field hidden from the shop floor, even when an admin or finance prints it', async () => {
    for (const role of ['production', 'admin', 'finance'] as const) {
      const text = pdfText(await traveller(`/orders/${order.number}/traveller.pdf`, role));
      expect(text).not.toContain('18.50');
      expect(text).not.toContain('Unit price');
      expect(text).toContain('Garment');
    }
  });

  it('comes in A4 and US Letter', async () => {
    const a4 = pdfInfo(await traveller(`/orders/${order.number}/traveller.pdf?paper=a4`));
    expect([Math.round(a4.width), Math.round(a4.height), a4.pages]).toEqual([595, 842, 1]);
    const letter = pdfInfo(await traveller(`/orders/${order.number}/traveller.pdf?paper=letter`));
    expect([Math.round(letter.width), Math.round(letter.height), letter.pages]).toEqual([612, 792, 1]);
    const unchosen = pdfInfo(await traveller(`/orders/${order.number}/traveller.pdf`));
    expect(Math.round(unchosen.width)).toBe(595);
  });

  it('reprinted after a change shows the version it was printed at and the new details', async () => {
    const before = pdfText(await traveller(`/orders/${order.number}/traveller.pdf`));
    const { version } = json<{ version: number }>(await h.as('sales').get(`/orders/${order.number}`));
    expect(before).toContain(`version ${version} · printed`);
    const edited = await h.as('sales').patch(`/orders/${order.number}`, { fields: { print_method: 'Embroidery' } });
    expect(edited.statusCode, edited.body).toBe(200);
    const after = pdfText(await traveller(`/orders/${order.number}/traveller.pdf`));
    expect(after).toContain(`version ${version + 1} · printed`);
    expect(after).toMatch(/Print method\s+Embroidery/);
    expect(after).not.toContain('Screen print');
  });

  it('ticks the stages the order has passed and marks the one it is in', async () => {
    const moved = json(await h.as('sales').post('/orders', newOrder({ title: 'Moved on' })));
    expect(
      (await h.as('manager').post(`/orders/${moved.number}/transitions`, { to: 'scheduled', reason: 'rush' })).statusCode,
    ).toBe(200);
    const text = pdfText(await traveller(`/orders/${moved.number}/traveller.pdf`));
    expect(text).toMatch(/Production scheduled\s+\(now\)/);
    expect(text).not.toMatch(/Order received\s+\(now\)/);
  });

  it('is refused without credentials and answers 404 for an unknown order', async () => {
    expect((await h.as(null).get(`/orders/${order.number}/traveller.pdf`)).statusCode).toBe(401);
    const missing = await h.as('production').get('/orders/ORD-999999/traveller.pdf');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    const badPaper = await h.as('production').get(`/orders/${order.number}/traveller.pdf?paper=a3`);
    expect(badPaper.statusCode).toBe(400);
    expect(json(badPaper).type).toBe('validation-failed');
  });
});

describe('many travellers at once', () => {
  it('prints one page per order, in the order asked, each with its own codes', async () => {
    const more = [];
    for (const title of ['Scarves', 'Caps']) more.push(json(await h.as('sales').post('/orders', newOrder({ title }))));
    const numbers = [order.number, more[0]!.number as string, more[1]!.id as string];
    const res = await h.as('production').post('/travellers.pdf', { orders: numbers, paper: 'letter' });
    expect(res.statusCode, res.body).toBe(200);
    expect(pdfInfo(res.rawPayload)).toMatchObject({ pages: 3, width: 612, height: 792 });
    const pages = renderPages(res.rawPayload);
    const expected = [order.number, more[0]!.number, more[1]!.number];
    expect(pages.map(readCode128)).toEqual(expected);
    expect(pages.map(readQrCode)).toEqual(expected.map((n) => `${PUBLIC_URL}/station/${n}`));
    const text = pdfText(res.rawPayload);
    expect(text.split('\f').filter((p) => p.trim()).length).toBe(3);
    expect(text).toContain('Scarves');
  });

  it('refuses the whole print when one order is unknown, and bad input by name', async () => {
    const res = await h.as('production').post('/travellers.pdf', { orders: [order.number, 'ORD-424242'] });
    expect(res.statusCode).toBe(404);
    expect(json(res).detail).toContain('ORD-424242');
    const empty = await h.as('production').post('/travellers.pdf', { orders: [] });
    expect(empty.statusCode).toBe(400);
    expect(JSON.stringify(json(empty))).toContain('orders');
    expect((await h.as(null).post('/travellers.pdf', { orders: [order.number] })).statusCode).toBe(401);
  });
});
