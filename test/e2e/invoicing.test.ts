// Finance's invoicing page in a real browser: amounts in the workspace's currency, right-aligned, and several orders
// marked invoiced at once.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, launchChromium, newContext, type RunningServer, signIn, startServer } from './support.ts';

let server: RunningServer;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface Ready {
  items: Array<{ orderId: string; number: string; amount: string | null }>;
}

describe('the invoicing page', () => {
  it('writes amounts in the shop currency, right-aligned, and marks the selected orders invoiced in one go', async () => {
    const admin = await apiAs(server.url, 'admin');
    await admin.put('/settings', { currency: 'EUR' });
    const finance = await apiAs(server.url, 'finance');
    const ready = await finance.get<Ready>('/finance/ready-to-invoice?limit=200');
    expect(ready.items.length).toBeGreaterThanOrEqual(2);
    const page = await (await newContext(browser)).newPage();
    await signIn(page, server.url, 'finance');
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/invoicing`);
    await page.locator('[data-ready-to-invoice]').waitFor();
    expect(errors).toEqual([]);
    const first = ready.items.find((r) => r.amount !== null)!;
    const cell = page.locator(`tr[data-order="${first.number}"] [data-amount]`);
    const expected = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR', minimumFractionDigits: 2 }).format(
      Number(first.amount),
    );
    expect((await cell.textContent())?.trim()).toBe(expected);
    expect(await cell.evaluate((el) => getComputedStyle(el).textAlign)).toBe('right');
    expect(await page.locator('[data-invoice-totals]').textContent()).toContain('€');

    const [a, b] = ready.items;
    page.on('dialog', (d) => void d.accept('INV-BATCH-7'));
    await page.locator(`tr[data-order="${a!.number}"] [data-select]`).check();
    await page.locator(`tr[data-order="${b!.number}"] [data-select]`).check();
    await page.locator('[data-action="mark-selected-invoiced"]').click();
    await expect.poll(() => page.locator(`tr[data-order="${a!.number}"]`).count(), { timeout: 5000 }).toBe(0);
    expect(await page.locator(`tr[data-order="${b!.number}"]`).count()).toBe(0);
    for (const r of [a!, b!]) {
      const events = await finance.get<{ items: Array<{ type: string; data: { reference?: string } }> }>(
        `/orders/${r.number}/events`,
      );
      expect(events.items.filter((e) => e.type === 'order.invoiced').map((e) => e.data.reference)).toEqual(['INV-BATCH-7']);
    }
  });
});
