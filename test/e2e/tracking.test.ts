// The customer's tracking page in a real browser, opened the way a customer opens it (no sign-in, a phone), and the
// role homes: each person lands on the view their job needs. Nothing may be blocked by the content security policy.
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, boardAs, demoOrder, launchChromium, newContext, type RunningServer, signIn, startServer } from './support.ts';

let server: RunningServer;
let browser: Browser;
let sales: Awaited<ReturnType<typeof apiAs>>;
let manager: Awaited<ReturnType<typeof apiAs>>;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  sales = await apiAs(server.url, 'sales');
  manager = await apiAs(server.url, 'manager');
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Console errors, page errors and CSP refusals on a page: a page that works has none. */
function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** Demo staff names: none may reach the customer. */
const STAFF = [
  'Ada Admin',
  'Morgan Price',
  'Sam Okafor',
  'Priya Natarajan',
  'Pablo Reyes',
  'Fran Müller',
  'Sofia Lindqvist',
  'Felix Bauer',
];
const INTERNAL = [
  ...STAFF,
  'Order received',
  'Awaiting customer proof approval',
  'Send the proof and chase',
  'Awaiting supplier confirmation',
  'unit_price',
  '77.77',
  'Only for the shop: margin is thin',
  'E2E Testing Ltd <',
  'qa@e2e.example',
  'proof_approval',
];

interface Order {
  id: string;
  number: string;
  trackingUrl: string;
  stage: string;
  fields: Record<string, unknown>;
}

describe('the tracking page, as a customer sees it', () => {
  it('shows plain-language progress on a phone, nothing internal in its HTML or API calls, and takes the proof approval', async () => {
    const order = await sales.post<Order>(
      '/orders',
      demoOrder('Choir hoodies', { artwork_url: 'https://files.example/choir.pdf', unit_price: '77.77' }),
    );
    await sales.post(`/orders/${order.number}/transitions`, { to: 'proof_approval' });
    await sales.patch(`/orders/${order.number}`, { fields: { proof_url: 'https://files.example/proofs/choir-v2.pdf' } });
    await sales.post(`/orders/${order.number}/comments`, { body: 'Only for the shop: margin is thin' });

    // A customer: no cookies, a phone.
    const context = await newContext(browser, { width: 390, height: 844 });
    const page = await context.newPage();
    const errors = watchForErrors(page);
    // Everything the page fetches from the server (its HTML, its API calls, its own refreshes), read on the way through.
    const fetched: Array<{ method: string; path: string; body: string }> = [];
    await page.route(
      (url) => url.origin === server.url && !url.pathname.endsWith('/stream') && !url.pathname.startsWith('/track-assets/'),
      async (route) => {
        const res = await route.fetch();
        const body = await res.text();
        fetched.push({ method: route.request().method(), path: new URL(route.request().url()).pathname, body });
        await route.fulfill({ response: res, body });
      },
    );

    await page.goto(`${server.url}${order.trackingUrl}`);
    await page.locator('[data-live="on"]').waitFor();
    expect(await page.locator('.order-number').textContent()).toBe(`Order ${order.number}`);
    expect(await page.locator('h1').textContent()).toBe('Choir hoodies');
    expect(await page.locator('[data-customer-status]').textContent()).toBe('Waiting for your proof approval');
    expect(await page.locator('[data-delivery]').textContent()).toMatch(
      /^((Expected|Promised) delivery: |We promised .+; on current progress we expect )/,
    );
    expect(await page.locator('[data-note="approval"]').textContent()).toContain('Check the proof');
    expect(await page.locator('[data-proof]').getAttribute('href')).toBe('https://files.example/proofs/choir-v2.pdf');
    const steps = page.locator('[data-step]');
    expect(await steps.count()).toBe(9);
    expect(await steps.nth(0).getAttribute('data-step')).toBe('done');
    expect(await steps.nth(1).getAttribute('data-step')).toBe('current');
    expect(await steps.nth(1).locator('time').count()).toBe(1);
    // One column that fits the phone: nothing runs off the side.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Its own code only: none of the staff app's.
    const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.src));
    expect(scripts).toEqual([`${server.url}/track-assets/track.js`]);

    // It prints cleanly: the buttons stay off the paper.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('[data-action="approve"]').isVisible()).toBe(false);
    expect(await page.locator('[data-customer-status]').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    await page.locator('[data-action="approve"]').click();
    await expect
      .poll(() => page.locator('[data-customer-status]').textContent(), { timeout: 5000 })
      .toBe('Sourcing your garments');
    expect(await page.locator('[data-approval]').count()).toBe(0);
    // The customer is thanked for the approval.
    expect(await page.locator('.approval-result').textContent()).toContain('Thank you for approving your proof');
    const after = await sales.get<Order>(`/orders/${order.number}`);
    expect(after.stage).toBe('supplier_confirmation');
    expect(after.fields.proof_approved).toBe(true);
    const events = (
      await sales.get<{ items: Array<{ type: string; actor: { kind: string; name: string } }> }>(`/orders/${order.number}/events`)
    ).items;
    expect(events.find((e) => e.type === 'order.customer_approved')?.actor).toMatchObject({
      kind: 'customer',
      name: 'E2E Testing Ltd',
    });

    // Someone at the shop moves it on: the open page follows by itself.
    await sales.patch(`/orders/${order.number}`, { fields: { supplier_eta: '2099-12-01' } });
    await manager.post(`/orders/${order.number}/transitions`, { to: 'scheduled', reason: 'Blanks in stock' });
    await expect
      .poll(() => page.locator('[data-customer-status]').textContent(), { timeout: 5000 })
      .toBe('Scheduled for production');

    const html = await page.content();
    const calls = fetched.filter((f) => f.path.startsWith('/api/'));
    expect(calls.map((c) => c.method)).toContain('POST');
    expect(calls.every((c) => c.path.startsWith('/api/v1/track/'))).toBe(true);
    expect(fetched.length).toBeGreaterThan(2);
    for (const text of [html, ...fetched.map((f) => f.body)]) {
      for (const internal of INTERNAL) expect(text, internal).not.toContain(internal);
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it('asks for changes with a message, and the order goes back', async () => {
    const order = await sales.post<Order>('/orders', demoOrder('Banner tees', { artwork_url: 'https://files.example/b.pdf' }));
    await sales.post(`/orders/${order.number}/transitions`, { to: 'proof_approval' });
    await sales.patch(`/orders/${order.number}`, { fields: { proof_url: 'https://files.example/proofs/banner.pdf' } });
    const page = await (await newContext(browser)).newPage();
    const errors = watchForErrors(page);
    await page.goto(`${server.url}${order.trackingUrl}`);
    await page.getByLabel('What should we change?').fill('The logo should be navy, not black');
    await page.locator('[data-action="request-changes"]').click();
    await expect.poll(() => page.locator('[data-customer-status]').textContent(), { timeout: 5000 }).toBe('We have your order');
    expect((await sales.get<Order>(`/orders/${order.number}`)).stage).toBe('received');
    expect(errors).toEqual([]);
  });

  it('answers an unknown or rotated link with a plain page, not the sign-in page', async () => {
    const order = await sales.post<Order>('/orders', demoOrder('Rotated tees'));
    await sales.post(`/orders/${order.number}/tracking/rotate`, {});
    const page = await (await newContext(browser)).newPage();
    const errors = watchForErrors(page);
    const res = await page.goto(`${server.url}${order.trackingUrl}`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('This tracking link does not work');
    expect(await page.getByLabel('Password').count()).toBe(0);
    // The browser logs the 404 of the page itself; nothing else may go wrong.
    expect(errors.filter((e) => !/status of 404/.test(e))).toEqual([]);
  });
});

describe('role homes', () => {
  it('lands each role on its own view, with nothing blocked by the content security policy', async () => {
    const cases: Array<[string, string]> = [
      ['production', '[data-queue], .queue-page'],
      ['service', '[data-control="order-search"]'],
      ['finance', '[data-home="invoicing"]'],
      ['sales', '[data-home="sales"]'],
    ];
    for (const [role, landmark] of cases) {
      const context = await newContext(browser);
      const page = await context.newPage();
      const errors = watchForErrors(page);
      await page.goto(`${server.url}/`);
      await page.getByLabel('E-mail').fill(`${role}@demo.floorboard.test`);
      await page.getByLabel('Password').fill('floorboard-demo');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator(landmark).first().waitFor();
      // Before signing in, the app asks who is signed in and hears 401: the browser logs that, and it is expected.
      expect(
        errors.filter((e) => !/status of 401/.test(e)),
        role,
      ).toEqual([]);
      await context.close();
    }
  });

  it('lets customer service find an order by customer e-mail and see what the customer sees beside where it is', async () => {
    const order = await sales.post<Order>('/orders', {
      ...demoOrder('Search me'),
      customer: { name: 'Findable Florists', email: 'orders@findable-florists.example' },
    });
    const page = await (await newContext(browser)).newPage();
    await signIn(page, server.url, 'service');
    await page.goto(`${server.url}/search`);
    await page.locator('[data-control="order-search"]').fill('findable-florists');
    const row = page.locator(`[data-search-results] [data-order="${order.number}"]`);
    await row.waitFor();
    expect(await row.locator('[data-internal-stage]').textContent()).toContain('Order received');
    expect(await row.locator('[data-customer-status]').textContent()).toBe('We have your order');
    await page.locator('[data-control="order-search"]').fill(order.number);
    await expect.poll(() => page.locator('[data-search-results] [data-order]').count()).toBe(1);
  });

  it('shows a manager the board with its alerts', async () => {
    const page = await boardAs(browser, server.url, 'manager');
    const errors = watchForErrors(page);
    await page.reload();
    await page.locator('[data-board][data-ready="true"]').waitFor();
    // The demo always has stalled orders somewhere.
    await page.locator('[data-alerts]').waitFor();
    expect(Number(await page.locator('[data-alerts]').getAttribute('data-alerts'))).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});
