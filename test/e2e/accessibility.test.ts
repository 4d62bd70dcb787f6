// Every page of the app, and the customer's tracking page, checked with axe-core in a real browser on SQLite and
// PostgreSQL: no serious or critical violation anywhere. And the board works from the keyboard, with each move read
// out to a screen reader through a live region.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessibilityProblems,
  apiAs,
  boardAs,
  DATABASES,
  demoOrder,
  expectAccessible,
  launchChromium,
  newContext,
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

/** Waits until the page has drawn its data: a heading, nothing busy, no "Loading…" left. */
async function settled(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(
    () => !document.querySelector('[aria-busy="true"]') && !/Loading/.test(document.body.textContent ?? ''),
    undefined,
    { timeout: 15_000 },
  );
}

describe.each(DATABASES)('accessibility on %s', (db) => {
  let server: RunningServer;
  let admin: Awaited<ReturnType<typeof apiAs>>;

  beforeAll(async () => {
    server = await startServer({ db });
    admin = await apiAs(server.url, 'admin');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('the sign-in page', async () => {
    const page = await (await newContext(browser)).newPage();
    await page.goto(`${server.url}/board`);
    await page.getByLabel('E-mail').waitFor();
    await expectAccessible(page, 'sign-in');
    await page.context().close();
  });

  it('every page of the app, signed in', async () => {
    const order = await admin.post<{ number: string; trackingUrl: string }>('/orders', demoOrder('Checked for access'));
    const [customer] = (await admin.get<{ items: Array<{ id: string }> }>('/customers')).items;
    // Every page is checked before failing, so one run names every page's problems.
    const failures: string[] = [];
    const check = async (page: Page, label: string) => {
      const problems = await accessibilityProblems(page, label);
      if (problems) failures.push(problems);
    };
    const page = await boardAs(browser, server.url, 'admin');
    await settled(page);
    await check(page, 'board');

    const pages = [
      '/queue',
      `/orders/${order.number}`,
      '/orders/new',
      `/station/${order.number}`,
      '/scan',
      '/reports',
      '/admin',
      '/settings',
      '/customers',
      `/customers/${customer!.id}`,
      '/notifications',
      '/account',
      '/import',
      '/invoicing',
    ];
    for (const path of pages) {
      await page.goto(`${server.url}${path}`);
      await settled(page);
      await check(page, path);
    }

    // The wall screen: the board in large text for a screen on the shop floor.
    await page.goto(`${server.url}/board`);
    await settled(page);
    await page.getByRole('button', { name: 'Wall screen' }).click();
    await page.waitForFunction(() => document.documentElement.dataset.scale === 'large');
    await check(page, 'wall screen');
    await page.getByRole('button', { name: 'Wall screen' }).click();
    await page.context().close();

    // The customer's tracking page: no sign-in.
    const customerPage = await (await newContext(browser, { width: 390, height: 844 })).newPage();
    await customerPage.goto(`${server.url}${order.trackingUrl}`);
    await customerPage.locator('h1').waitFor();
    await check(customerPage, 'tracking page');
    await customerPage.context().close();
    expect(failures).toEqual([]);
  });

  it('moves a card with the keyboard and says so in a live region', async () => {
    const sales = await apiAs(server.url, 'sales');
    const { number } = await sales.post<{ number: string }>(
      '/orders',
      demoOrder('Moved by keys', { artwork_url: 'https://files.example/keys-a11y.pdf' }),
    );
    const page = await boardAs(browser, server.url, 'sales');
    const card = (stage: string) => `[data-stage="${stage}"] [data-order="${number}"]`;
    await page.locator(`${card('received')} .card-link`).focus();
    await page.keyboard.press('Shift+ArrowRight');
    await page.locator(card('proof_approval')).waitFor();
    const live = page.locator('[aria-live="polite"][role="status"]', { hasText: `${number} moved to` });
    await live.waitFor();
    const moved = await sales.get<{ stageLabel: string }>(`/orders/${number}`);
    expect(await live.textContent()).toContain(`${number} moved to ${moved.stageLabel}`);
    await page.context().close();
  });
});
