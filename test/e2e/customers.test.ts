// Customers in a real browser, on SQLite and on PostgreSQL: the new-order form offers a customer on record as the
// name is typed and the order joins that record; two records of one customer are merged from the customer's page
// and its orders are seen together.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, boardAs, DATABASES, demoOrder, launchChromium, type RunningServer, startServer } from './support.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

interface Customer {
  id: string;
  name: string;
}

describe.each(DATABASES)('customers on %s', (db) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ db });
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('picks an existing customer from the new-order form as the name is typed', async () => {
    const api = await apiAs(server.url, 'sales');
    const [copper] = (await api.get<{ items: Customer[] }>('/customers?q=copper')).items;
    expect(copper?.name).toBe('Copper Kettle Café');

    const page = await boardAs(browser, server.url, 'sales');
    await page.goto(`${server.url}/orders/new`);
    await page.getByLabel('Title').fill('Café aprons');
    await page.getByRole('combobox', { name: 'Customer' }).fill('kettle');
    await page.locator('[data-customer-option="Copper Kettle Café"]').click();
    expect(await page.getByRole('combobox', { name: 'Customer' }).inputValue()).toBe('Copper Kettle Café');
    await page.locator('[data-customer-picked]').waitFor();
    await page.getByLabel('Garment').selectOption('T-shirt');
    await page.getByLabel('Quantity').fill('12');
    await page.locator('[data-action="create-order"]').click();
    await page.waitForURL(/\/orders\/ORD-\d+$/);
    const number = page.url().split('/').pop()!;
    const order = await api.get<{ customerId: string; customer: { name: string } }>(`/orders/${number}`);
    expect(order).toMatchObject({ customerId: copper!.id, customer: { name: 'Copper Kettle Café' } });

    // The order page leads to the customer, where the new order is among the open ones.
    await page.locator('[data-customer-link]').click();
    await page.locator('[data-customer-page="Copper Kettle Café"]').waitFor();
    await page.locator(`[data-orders="open"] [data-order="${number}"]`).waitFor();
  });

  it('merges two records of one customer from the customer page and shows their orders together', async () => {
    const api = await apiAs(server.url, 'sales');
    const [lantern] = (await api.get<{ items: Customer[] }>('/customers?q=lantern')).items;
    const before = await api.get<{ items: Array<{ number: string }> }>(`/customers/${lantern!.id}/orders?limit=500`);
    const strays = [
      await api.post<{ number: string; customerId: string }>('/orders', {
        ...demoOrder('Programme bags'),
        customer: { name: 'Lantern Theatre Company', email: null },
      }),
      await api.post<{ number: string; customerId: string }>('/orders', {
        ...demoOrder('Usher shirts'),
        customer: { name: 'Lantern Theatre Company', email: null },
      }),
    ];
    expect(strays[0]!.customerId).not.toBe(lantern!.id);
    expect(strays[1]!.customerId).toBe(strays[0]!.customerId);

    const page = await boardAs(browser, server.url, 'sales');
    await page.goto(`${server.url}/customers`);
    await page.locator('[data-control="customer-search"]').fill('lantern');
    await page.locator('[data-customer="Lantern Theatre Company"]').waitFor();
    await page.locator('[data-customer="The Lantern Theatre"] a').click();
    await page.locator('[data-customer-page="The Lantern Theatre"]').waitFor();

    await page.locator('[data-control="merge-search"]').fill('Lantern Theatre Company');
    await page.locator('[data-merge-candidate="Lantern Theatre Company"]').click();
    await page.locator('[data-action="merge"]').click();
    for (const o of strays) await page.locator(`[data-orders="open"] [data-order="${o.number}"]`).waitFor();
    const after = await api.get<{ items: Array<{ number: string }> }>(`/customers/${lantern!.id}/orders?limit=500`);
    expect(after.items.map((o) => o.number).sort()).toEqual(
      [...before.items.map((o) => o.number), ...strays.map((o) => o.number)].sort(),
    );

    // The record merged away is gone from the list, and its page leads to the one kept.
    await page.goto(`${server.url}/customers`);
    await page.locator('[data-control="customer-search"]').fill('lantern');
    await page.locator('[data-customer="The Lantern Theatre"]').waitFor();
    expect(await page.locator('[data-customer="Lantern Theatre Company"]').count()).toBe(0);
    await page.goto(`${server.url}/customers/${strays[0]!.customerId}`);
    await page.getByRole('link', { name: 'Open the customer' }).click();
    await page.locator('[data-customer-page="The Lantern Theatre"]').waitFor();
    const audit = await (await apiAs(server.url, 'admin')).get<{ ok: boolean }>('/audit/verify');
    expect(audit.ok).toBe(true);
  });
});
