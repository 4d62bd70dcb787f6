// Notifications in two browsers: the procurement buyer moves an order into production's stage, and the production
// planner's bell counts it at once, without a reload; the planner opens the inbox, follows the notice to the order
// (which marks it read), marks the rest read, and chooses a daily digest. On SQLite and on PostgreSQL.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, boardAs, DATABASES, demoOrder, launchChromium, type RunningServer, startServer } from './support.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

type Inbox = { items: Array<{ id: number; orderNumber: string; readAt: string | null }>; unreadCount: number };

const bellCount = async (page: Page) => Number(await page.locator('[data-bell]').getAttribute('data-unread'));

describe.each(DATABASES)('notifications on %s', (db) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ db });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('rings the bell live in another browser, leads to the order, and marks read', async () => {
    const manager = await apiAs(server.url, 'manager');
    const production = await apiAs(server.url, 'production');
    const { number } = await manager.post<{ number: string }>(
      '/orders',
      demoOrder('Bell ringer', {
        artwork_url: 'https://files.example/bell.pdf',
        proof_approved: true,
        supplier_eta: '2099-01-15',
      }),
    );
    for (const to of ['proof_approval', 'supplier_confirmation']) await manager.post(`/orders/${number}/transitions`, { to });

    // B, the production planner, watches the board; the bell shows what is unread now.
    const planner = await boardAs(browser, server.url, 'production');
    await planner.locator('[data-live="live"]').waitFor();
    const before = (await production.get<{ unreadCount: number }>('/notifications/unread-count')).unreadCount;
    await expect.poll(() => bellCount(planner), { timeout: 15_000 }).toBe(before);

    // A, the buyer, moves the order on into production's stage from its page, in another browser.
    const buyer = await boardAs(browser, server.url, 'procurement');
    await buyer.goto(`${server.url}/orders/${number}`);
    await buyer.locator('[data-action="move-next"]').click();
    await buyer.locator('[data-notice="success"]', { hasText: `${number} moved to` }).waitFor();

    // B's bell counts it without a reload.
    await expect.poll(() => bellCount(planner), { timeout: 15_000 }).toBeGreaterThan(before);
    expect(await planner.locator('[data-bell]').getAttribute('aria-label')).toMatch(/^Notifications: \d+ unread$/);

    await planner.locator('[data-bell]').click();
    await planner.locator('[data-inbox]').waitFor();
    const item = planner.locator('[data-inbox] > li', { has: planner.locator(`[data-open-order="${number}"]`) });
    expect(await item.getAttribute('data-read')).toBe('false');
    expect(await item.textContent()).toContain(`${number} is ready for you`);
    // Newest first: the new notice leads the list.
    expect(await planner.locator('[data-inbox] > li').first().locator('[data-open-order]').getAttribute('data-open-order')).toBe(
      number,
    );

    await item.locator(`[data-open-order="${number}"]`).click();
    await planner.waitForURL(`${server.url}/orders/${number}`);
    await planner.locator(`[data-order-page="${number}"]`).waitFor();
    const mine = async () =>
      (await production.get<Inbox>('/notifications?limit=500')).items.find((n) => n.orderNumber === number);
    await expect.poll(async () => (await mine())?.readAt ?? null, { timeout: 15_000 }).not.toBeNull();

    // Back in the inbox, everything is marked read at once; the bell goes quiet.
    await planner.locator('[data-bell]').click();
    await planner.locator('[data-inbox]').waitFor();
    expect(await planner.locator(`[data-inbox] > li:has([data-open-order="${number}"])`).getAttribute('data-read')).toBe('true');
    await planner.locator('[data-action="mark-all-read"]').click();
    await expect.poll(() => bellCount(planner), { timeout: 15_000 }).toBe(0);
    expect((await production.get<Inbox>('/notifications')).unreadCount).toBe(0);
    expect(await planner.locator('[data-inbox] > li[data-read="false"]').count()).toBe(0);

    // The planner chooses a daily digest for hand-offs, at 06:00.
    const prefs = planner.locator('[data-notice-preferences]');
    await prefs.locator('tr[data-kind="stage-entered"] input[value="digest"]').check();
    await prefs.locator('select[name="digestHour"]').selectOption('6');
    await prefs.locator('[data-action="save-notice-preferences"]').click();
    await planner.locator('[data-notice="success"]', { hasText: 'Notification choices saved' }).waitFor();
    expect(await production.get('/notifications/preferences')).toMatchObject({ digestKinds: ['stage-entered'], digestHour: 6 });
  });
});
