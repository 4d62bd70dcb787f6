// The shop floor in a real browser, on SQLite and PostgreSQL: a printed traveller's QR code opens the station view on a
// phone, "Done" moves the order as the signed-in person, a refused move reads in plain words; the board prints the
// travellers of the cards a person selects; the scan page takes a handheld scanner's typed number.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readQrCode, renderPages } from '../support/pdf.ts';
import {
  apiAs,
  boardAs,
  DATABASES,
  DEMO_PASSWORD,
  demoEmail,
  demoOrder,
  launchChromium,
  type RunningServer,
  startServer,
} from './support.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const PHONE = { width: 390, height: 844 };

/** A traveller as the person printing it gets it: the PDF's bytes. */
async function travellerPdf(url: string, role: string, number: string): Promise<Buffer> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: demoEmail(role), password: DEMO_PASSWORD }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const res = await fetch(`${url}/api/v1/orders/${number}/traveller.pdf?paper=letter`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

type Order = { id: string; number: string; stage: string; version: number };
type Event = { type: string; actor: { name: string }; data: Record<string, unknown> };

describe.each(DATABASES)('the shop floor on %s', (db) => {
  let server: RunningServer;
  let sales: Awaited<ReturnType<typeof apiAs>>;
  let manager: Awaited<ReturnType<typeof apiAs>>;
  beforeAll(async () => {
    server = await startServer({ db });
    sales = await apiAs(server.url, 'sales');
    manager = await apiAs(server.url, 'manager');
    // The QR code leads to where this server answers.
    await (await apiAs(server.url, 'admin')).put('/settings', { publicUrl: server.url });
    // Seeding the demo workspace takes a while on a busy machine.
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  async function orderIn(stage: string, title: string): Promise<Order> {
    const order = await sales.post<Order>('/orders', demoOrder(title, { artwork_url: 'https://files.example/a.pdf' }));
    await manager.post(`/orders/${order.number}/transitions`, { to: stage, reason: 'set up for the test' });
    return order;
  }

  it("opens the station view from a traveller's QR code on a phone; Done moves the order as the signed-in person", async () => {
    const order = await orderIn('scheduled', 'Station hoodies');
    const [page1] = renderPages(await travellerPdf(server.url, 'production', order.number));
    const stationUrl = readQrCode(page1!);
    expect(stationUrl).toBe(`${server.url}/station/${order.number}`);

    const page = await boardAs(browser, server.url, 'production', PHONE);
    await page.goto(stationUrl!);
    await page.locator(`[data-station="${order.number}"]`).waitFor();
    await expect.poll(() => page.locator('[data-current-stage]').textContent()).toBe('Production scheduled');
    expect(await page.locator('.station-next').textContent()).toContain('Book press time and burn the screens');
    // The buttons are big enough for a thumb on a phone, and nothing spills sideways.
    const done = page.locator('[data-station-done]');
    expect(await done.textContent()).toBe('Done: move to On press');
    expect((await done.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    await done.click();
    await page.locator('[data-outcome="done"]').waitFor();
    expect(await page.locator('[data-outcome="done"]').textContent()).toBe('Moved to On press.');
    await expect.poll(() => page.locator('[data-current-stage]').getAttribute('data-current-stage')).toBe('on_press');

    const me = await (await apiAs(server.url, 'production')).get<{ user: { name: string } }>('/auth/me');
    const history = await manager.get<{ items: Event[] }>(`/orders/${order.number}/events`);
    const move = history.items.filter((e) => e.type === 'order.stage_changed').at(-1)!;
    expect(move.data).toMatchObject({ from: 'scheduled', to: 'on_press' });
    expect(move.actor.name).toBe(me.user.name);
    await page.context().close();
  });

  it('says in plain words why a move is refused, and changes nothing', async () => {
    const order = await orderIn('supplier_confirmation', 'Not mine yet');
    const page = await boardAs(browser, server.url, 'production', PHONE);
    await page.goto(`${server.url}/station/${order.number}`);
    await page.locator('[data-station-done]').click();
    const refusal = page.locator('[data-outcome="refused"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(
      `Only Procurement (or a manager) can move ${order.number} on from Awaiting supplier confirmation. Nothing was changed.`,
    );
    expect(await refusal.getAttribute('role')).toBe('alert');
    expect((await manager.get<Order>(`/orders/${order.number}`)).stage).toBe('supplier_confirmation');

    // Reporting a problem reaches the order's history as a problem of the stage it is in.
    await page.getByRole('button', { name: 'Report a problem' }).click();
    await page.getByLabel('What is the problem?').fill('Blanks arrived in the wrong colour');
    await page.getByRole('button', { name: 'Send to Procurement' }).click();
    await page.locator('[data-outcome="done"]').waitFor();
    const history = await manager.get<{ items: Event[] }>(`/orders/${order.number}/events`);
    expect(history.items.at(-1)).toMatchObject({
      type: 'comment.added',
      data: { body: 'Blanks arrived in the wrong colour', problem: true, stage: 'supplier_confirmation' },
    });
    await page.context().close();
  });

  it('opens the station view from the scan page when a handheld scanner types the number and Enter', async () => {
    const order = await orderIn('scheduled', 'Scan me');
    const page = await boardAs(browser, server.url, 'production', PHONE);
    await page.goto(`${server.url}/scan`);
    // The box has the focus at once: a handheld scanner types into whatever has it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('scan-number');
    await page.keyboard.type('#?! not a code');
    await page.keyboard.press('Enter');
    expect(await page.locator('.station-refused').textContent()).toContain('That is not an order number');
    await page.getByLabel('Order number').fill('');
    await page.keyboard.type(order.number);
    await page.keyboard.press('Enter');
    await page.locator(`[data-station="${order.number}"]`).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/station/${order.number}`);
    await page.context().close();
  });

  it('prints the travellers of the cards selected on the board, in board order, without breaking the cards', async () => {
    const first = await orderIn('scheduled', 'Print me first');
    const second = await orderIn('on_press', 'Print me second');
    const page = await boardAs(browser, server.url, 'production');
    await page.getByRole('button', { name: 'Select to print' }).click();
    await page.locator(`[data-select-card="${second.number}"]`).check();
    await page.locator(`[data-select-card="${first.number}"]`).check();
    expect(await page.locator('[data-selected-count]').getAttribute('data-selected-count')).toBe('2');
    const printed = page.waitForResponse((r) => r.url().endsWith('/api/v1/travellers.pdf'));
    await page.locator('[data-print-selected]').click();
    const response = await printed;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    expect(JSON.parse(response.request().postData()!)).toEqual({ orders: [first.number, second.number], paper: 'a4' });
    // The card's keys still work while selecting: Enter on its title opens the order.
    await page.locator(`[data-order="${first.number}"] .card-link`).focus();
    await page.keyboard.press('Enter');
    await page.locator(`[data-order-page="${first.number}"]`).waitFor();
    expect(await page.locator('[data-print-traveller]').getAttribute('href')).toBe(
      `/api/v1/orders/${first.number}/traveller.pdf?paper=a4`,
    );
    await page.context().close();
  });
});
