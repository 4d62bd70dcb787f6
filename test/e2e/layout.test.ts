// Screens that fit: no page scrolls sideways on a phone, a tablet, a laptop or a wide monitor, and the wall screen
// shows every stage of the workflow at once, without the navigation, where the whole floor can read it.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, DATABASES, demoOrder, launchChromium, newContext, type RunningServer, signIn, startServer } from './support.ts';

const WIDTHS = [
  { width: 390, height: 844 },
  { width: 768, height: 1024 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
];

/**
 * How far the page reaches past the window's right edge, and the outermost elements that reach there (those inside
 * a box that scrolls or clips within the window do not widen the page and are left out).
 */
async function overflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; culprits: string[] }> {
  return page.evaluate(() => {
    const innerWidth = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    const culprits: string[] = [];
    if (scrollWidth > innerWidth) {
      const reaches = (el: Element) => el.getBoundingClientRect().right > innerWidth + 0.5;
      const clipped = (el: Element) => {
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
          if (getComputedStyle(a).overflowX !== 'visible' && !reaches(a)) return true;
        }
        return false;
      };
      for (const el of document.body.querySelectorAll('*')) {
        if (!reaches(el) || clipped(el)) continue;
        if (el.parentElement && reaches(el.parentElement) && el.parentElement !== document.body) continue;
        const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${[...el.classList].map((c) => `.${c}`).join('')}`;
        culprits.push(`${name} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`);
        if (culprits.length >= 5) break;
      }
    }
    return { scrollWidth, innerWidth, culprits };
  });
}

/** Opens a path and waits for its page to be on screen, not the loading placeholder. */
async function open(page: Page, url: string, ready: string): Promise<void> {
  await page.goto(url);
  await page.locator(ready).first().waitFor({ state: 'attached' });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

describe.each(DATABASES)('screens that fit (%s)', (db) => {
  let server: RunningServer;
  let browser: Browser;
  let pages: Array<{ name: string; path: string; ready: string }>;
  let stages: string[];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ db }), launchChromium()]);
    const sales = await apiAs(server.url, 'sales');
    const order = await sales.post<{ number: string; trackingUrl: string }>('/orders', demoOrder('Layout check hoodies'));
    const workflow = await sales.get<{ stages: Array<{ key: string }> }>('/workflows/custom-apparel');
    stages = workflow.stages.map((s) => s.key);
    pages = [
      { name: 'board', path: '/board', ready: '[data-board][data-ready="true"]' },
      { name: 'queue', path: '/queue', ready: 'main h1' },
      { name: 'order', path: `/orders/${order.number}`, ready: 'main h1' },
      { name: 'station view', path: `/station/${order.number}`, ready: 'main h1' },
      { name: 'scan', path: '/scan', ready: 'main h1' },
      { name: 'reports', path: '/reports', ready: 'main h1' },
      { name: 'admin', path: '/admin', ready: 'main h1' },
      { name: 'settings', path: '/settings', ready: 'main h1' },
      { name: 'customers', path: '/customers', ready: 'main h1' },
      { name: 'notifications', path: '/notifications', ready: 'main h1' },
      { name: 'account', path: '/account', ready: 'main h1' },
      { name: 'tracking page', path: order.trackingUrl, ready: '.order-number' },
    ];
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('no page is wider than the window at 390, 768, 1440 or 1920 px', async () => {
    const context = await newContext(browser, WIDTHS[0]);
    const page = await context.newPage();
    await signIn(page, server.url, 'admin');
    const wider: string[] = [];
    for (const size of WIDTHS) {
      await page.setViewportSize(size);
      for (const { name, path, ready } of pages) {
        await open(page, `${server.url}${path}`, ready);
        const o = await overflow(page);
        if (o.scrollWidth > o.innerWidth) {
          wider.push(`${name} at ${size.width} px is ${o.scrollWidth} px wide: ${o.culprits.join(', ') || 'no element found'}`);
        }
      }
    }
    await context.close();
    expect(wider).toEqual([]);
    // Twelve pages at four widths: a minute on a quiet machine, more on a busy one.
  }, 240_000);

  it('the wall screen shows every stage of the demo workflow, without the navigation, at 1440×900 and 1920×1080', async () => {
    expect(stages).toHaveLength(9);
    const context = await newContext(browser, WIDTHS[2]);
    const page = await context.newPage();
    await signIn(page, server.url, 'manager');
    await page.getByRole('button', { name: 'Wall screen' }).click();
    for (const size of WIDTHS.slice(2)) {
      await page.setViewportSize(size);
      await open(page, `${server.url}/board?workflow=custom-apparel`, '[data-board][data-ready="true"]');
      await expect.poll(() => page.locator('nav[aria-label="Main"]').count()).toBe(0);
      const placed = await page.evaluate(
        (keys) =>
          keys.map((key) => {
            const r = document.querySelector(`[data-stage="${key}"]`)?.getBoundingClientRect();
            return { key, left: r?.left ?? -1, right: r?.right ?? Number.POSITIVE_INFINITY, top: r?.top ?? -1 };
          }),
        stages,
      );
      const outside = placed.filter((c) => c.left < 0 || c.right > size.width || c.top < 0 || c.top > size.height);
      expect(outside, `stage columns not wholly on a ${size.width}×${size.height} screen`).toEqual([]);
      expect((await overflow(page)).scrollWidth).toBeLessThanOrEqual(size.width);
      // Each column's count is big enough to read across the floor (at least 1.5 times the page's own text).
      const sizes = await page.evaluate(() => ({
        count: Number.parseFloat(getComputedStyle(document.querySelector('.column-count')!).fontSize),
        body: Number.parseFloat(getComputedStyle(document.body).fontSize),
      }));
      expect(sizes.count).toBeGreaterThanOrEqual(sizes.body * 1.5);
    }
    // Leaving the wall screen brings the navigation back.
    await page.getByRole('button', { name: /Leave wall screen/ }).click();
    await expect.poll(() => page.locator('nav[aria-label="Main"]').count()).toBe(1);
    await context.close();
  });
});
