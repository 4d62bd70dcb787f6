// Two people editing one order at once in two browsers: a later save never silently overwrites the earlier one.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, boardAs, demoOrder, launchChromium, type RunningServer, startServer } from './support.ts';

let server: RunningServer;
let browser: Browser;
let sales: Awaited<ReturnType<typeof apiAs>>;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  sales = await apiAs(server.url, 'sales');
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openOrder(role: string, number: string): Promise<Page> {
  const page = await boardAs(browser, server.url, role);
  await page.goto(`${server.url}/orders/${number}`);
  await page.locator('[data-form="details"]').waitFor();
  return page;
}

const versionOn = async (page: Page) => Number(await page.locator('[data-order-page]').getAttribute('data-version'));
const current = (number: string) => sales.get<{ title: string; priority: string; version: number }>(`/orders/${number}`);

describe('two people editing one order', () => {
  it('tells the later saver which field changed under them and lets them choose, losing nothing', async () => {
    const { number } = await sales.post<{ number: string }>('/orders', demoOrder('Original title'));
    const b = await openOrder('sales', number);
    const a = await openOrder('manager', number);
    const before = await versionOn(b);

    await b.locator('input[name="title"]').fill('Title typed by B');
    await a.locator('input[name="title"]').fill('Title saved by A');
    await a.locator('[data-action="save-details"]').click();
    await a.locator('[data-notice="success"]', { hasText: `${number} saved` }).waitFor();
    // B's page hears of A's save from the live feed, while B's box still holds B's text.
    await expect.poll(() => versionOn(b), { timeout: 15_000 }).toBeGreaterThan(before);
    expect(await b.locator('input[name="title"]').inputValue()).toBe('Title typed by B');

    await b.locator('[data-action="save-details"]').click();
    const conflict = b.locator('[data-conflict]');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('Title');
    expect(await conflict.textContent()).toContain('Title saved by A');
    expect(await conflict.textContent()).toContain('Title typed by B');
    // Nothing was overwritten: A's title stands until B decides.
    expect((await current(number)).title).toBe('Title saved by A');

    await conflict.getByLabel('Keep mine').check();
    await b.locator('[data-action="save-details"]').click();
    await b.locator('[data-notice="success"]', { hasText: `${number} saved` }).waitFor();
    expect((await current(number)).title).toBe('Title typed by B');
    // The history still holds A's title, as the one B replaced knowingly.
    const events = await sales.get<{ items: Array<{ type: string }> }>(`/orders/${number}/events`);
    expect(JSON.stringify(events)).toContain('Title saved by A');
  });

  it('takes the other person’s value when asked, and sends nothing of its own for that field', async () => {
    const { number } = await sales.post<{ number: string }>('/orders', demoOrder('Take theirs original'));
    const b = await openOrder('sales', number);
    const a = await openOrder('manager', number);
    const before = await versionOn(b);
    await b.locator('input[name="title"]').fill('B loses this one');
    await a.locator('input[name="title"]').fill('A keeps this one');
    await a.locator('[data-action="save-details"]').click();
    await a.locator('[data-notice="success"]', { hasText: `${number} saved` }).waitFor();
    await expect.poll(() => versionOn(b), { timeout: 15_000 }).toBeGreaterThan(before);

    await b.locator('[data-action="save-details"]').click();
    const conflict = b.locator('[data-conflict]');
    await conflict.getByLabel('Take theirs').check();
    await conflict.locator('[data-action="resolve-conflict"]').click();
    await conflict.waitFor({ state: 'detached' });
    expect(await b.locator('input[name="title"]').inputValue()).toBe('A keeps this one');
    expect((await current(number)).title).toBe('A keeps this one');
  });

  it('keeps both when the two people changed different fields, and says so', async () => {
    const { number } = await sales.post<{ number: string }>('/orders', demoOrder('Separate fields'));
    const b = await openOrder('sales', number);
    const a = await openOrder('manager', number);
    const before = await versionOn(b);

    await b.locator('input[name="title"]').fill('New title from B');
    await a.locator('select[name="priority"]').selectOption('low');
    await a.locator('[data-action="save-details"]').click();
    await a.locator('[data-notice="success"]', { hasText: `${number} saved` }).waitFor();
    await expect.poll(() => versionOn(b), { timeout: 15_000 }).toBeGreaterThan(before);

    await b.locator('[data-action="save-details"]').click();
    const notice = b.locator('[data-notice="success"]', { hasText: `${number} saved` });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Priority');
    const now = await current(number);
    expect(now.title).toBe('New title from B');
    expect(now.priority).toBe('low');
  });
});
