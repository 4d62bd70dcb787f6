// The order page, my queue, new order and admin in a real browser, against the demo workspace.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, boardAs, demoOrder, launchChromium, newContext, type RunningServer, startServer } from './support.ts';

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

const signedIn = (role: string, viewport?: { width: number; height: number }): Promise<Page> =>
  boardAs(browser, server.url, role, viewport);

describe('the order page', () => {
  it('edits a field, showing a mistake next to the field, and keeps the change with its history', async () => {
    const { number } = await sales.post<{ number: string }>('/orders', demoOrder('Edit my colours'));
    const page = await signedIn('sales');
    await page.goto(`${server.url}/orders/${number}`);
    const colours = page.getByLabel('Print colours');
    await colours.fill('20');
    await page.locator('[data-action="save-details"]').click();
    const error = page.locator('[data-field-error]');
    await error.waitFor();
    expect(await error.textContent()).toBe('Print colours must be at most 12');
    expect(await colours.getAttribute('aria-invalid')).toBe('true');

    await colours.fill('3');
    await page.locator('[data-action="save-details"]').click();
    await page.locator('[data-notice="success"]', { hasText: `${number} saved` }).waitFor();
    await expect
      .poll(async () => (await sales.get<{ fields: { colours?: number } }>(`/orders/${number}`)).fields.colours)
      .toBe(3);

    await page.reload();
    await page.getByLabel('Print colours').waitFor();
    expect(await page.getByLabel('Print colours').inputValue()).toBe('3');
    const change = page.locator('[data-event="order.updated"]').last();
    expect(await change.textContent()).toContain('Print colours');
    expect(await change.locator('ins').textContent()).toBe('3');
  });

  it('names the field in a refusal from the server, next to that field', async () => {
    const { number } = await sales.post<{ number: string }>('/orders', demoOrder('Short title'));
    const page = await signedIn('sales');
    await page.goto(`${server.url}/orders/${number}`);
    await page.locator('input[name="title"]').fill('x'.repeat(201));
    await page.locator('[data-action="save-details"]').click();
    const error = page.locator('[data-field-error]');
    await error.waitFor();
    expect(await error.textContent()).toBe('Title must be at most 200 characters');
    expect((await sales.get<{ title: string }>(`/orders/${number}`)).title).toBe('Short title');
  });

  it('says once that an order is on hold, with the reason', async () => {
    const { number } = await sales.post<{ number: string }>('/orders', demoOrder('Held for a reason'));
    await (await apiAs(server.url, 'manager')).post(`/orders/${number}/hold`, { reason: 'Waiting for the customer' });
    const page = await signedIn('sales');
    await page.goto(`${server.url}/orders/${number}`);
    await page.locator('.stage-now-next', { hasText: 'Waiting for the customer' }).waitFor();
    expect(await page.locator('main').getByText('On hold', { exact: true }).count()).toBe(1);
  });

  it('says in the history what Floorboard noticed, not its name and a code', async () => {
    type Listed = Array<{ number: string }> | { items: Array<{ number: string }> };
    type Event = { type: string; data: { dueDate?: string; expectedBy?: string } };
    const list = <T>(x: T[] | { items: T[] }): T[] => (Array.isArray(x) ? x : x.items);
    let found: { number: string; dueDate: string; expectedBy: string } | undefined;
    // The server sweeps a second after it starts, flagging the demo's orders that will miss their date.
    await expect
      .poll(
        async () => {
          for (const o of list(await sales.get<Listed>('/orders?flag=at-risk'))) {
            const events = list(await sales.get<Event[] | { items: Event[] }>(`/orders/${o.number}/events`));
            const e = events.find((x) => x.type === 'order.at_risk');
            if (e?.data.dueDate && e.data.expectedBy) {
              found = { number: o.number, dueDate: e.data.dueDate, expectedBy: e.data.expectedBy };
              return true;
            }
          }
          return false;
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    const page = await signedIn('manager');
    await page.goto(`${server.url}/orders/${found!.number}`);
    const line = page.locator('[data-event="order.at_risk"] .history-line').first();
    await line.waitFor();
    const text = (await line.textContent()) ?? '';
    const day = (iso: string) => String(Number(iso.slice(8, 10)));
    expect(text).toMatch(
      new RegExp(
        // A date this year reads "Wed 23 Dec", one in another year "14 Jan 2027".
        `^Flagged at risk: expected (\\w{3} )?${day(found!.expectedBy)} \\w{3}.*, due (\\w{3} )?${day(found!.dueDate)} \\w{3}`,
      ),
    );
    expect(text).not.toContain('Floorboard at risk');
  });

  it('offers a manager a field hidden from managers, empty and marked hidden, and saves what they type', async () => {
    const admin = await apiAs(server.url, 'admin');
    const { version: _v, ...wf } = await admin.get<{ version: number; fields: unknown[] }>('/workflows/custom-apparel');
    if (!wf.fields.some((f) => (f as { key: string }).key === 'cost_code')) {
      await admin.put('/workflows/custom-apparel', {
        ...wf,
        fields: [...wf.fields, { key: 'cost_code', label: 'Cost code', type: 'text', visibleTo: ['finance'] }],
      });
    }
    const { number } = await sales.post<{ number: string }>('/orders', demoOrder('Costed by finance'));
    const finance = await apiAs(server.url, 'finance');
    await (await apiAs(server.url, 'manager')).patch(`/orders/${number}`, { fields: { cost_code: 'CC-OLD' } });

    const salesPage = await signedIn('sales');
    await salesPage.goto(`${server.url}/orders/${number}`);
    await salesPage.getByLabel('Print colours').waitFor();
    expect(await salesPage.locator('[data-field="cost_code"]').count()).toBe(0);

    const page = await signedIn('manager');
    await page.goto(`${server.url}/orders/${number}`);
    const cost = page.getByLabel('Cost code');
    await cost.waitFor();
    expect(await cost.inputValue()).toBe('');
    expect(await page.content()).not.toContain('CC-OLD');
    expect(await page.locator('.field', { has: cost }).textContent()).toContain('Hidden from your role');
    await cost.fill('CC-NEW');
    await page.locator('[data-action="save-details"]').click();
    await page.locator('[data-notice="success"]', { hasText: `${number} saved` }).waitFor();
    await expect
      .poll(async () => (await finance.get<{ fields: { cost_code?: string } }>(`/orders/${number}`)).fields.cost_code)
      .toBe('CC-NEW');
  });

  it("shows the API's validation message next to the field it names", async () => {
    const { number } = await sales.post<{ number: string }>('/orders', demoOrder('Server says no'));
    const page = await signedIn('sales');
    await page.goto(`${server.url}/orders/${number}`);
    // The browser's own check is skipped here on purpose: the API must answer, field by field.
    await page.getByLabel('Customer e-mail').fill('kit@harbour.example');
    await page.getByLabel('Title').fill('x'.repeat(201));
    await page.locator('[data-action="save-details"]').click();
    const error = page.locator('[data-field-error]');
    await error.waitFor();
    expect((await error.textContent())?.length).toBeGreaterThan(0);
    expect(await page.getByLabel('Title').getAttribute('aria-invalid')).toBe('true');
  });

  it('moves an order on from its page and keeps every stage it went through on the timeline', async () => {
    const { number } = await sales.post<{ number: string }>(
      '/orders',
      demoOrder('Move me along', { artwork_url: 'https://files.example/art.pdf' }),
    );
    const page = await signedIn('sales');
    await page.goto(`${server.url}/orders/${number}`);
    await page.locator('.timeline-item').first().waitFor();
    await page.locator('[data-action="move-next"]').click();
    await page.locator('[data-notice="success"]', { hasText: `${number} moved to` }).waitFor();
    // The move's answer carries only the stage it is in now; the page still shows where it was before.
    // Read at once, before the live feed has the page fetch the order again.
    const stages = () => page.locator('.timeline-item .timeline-stage').allTextContents();
    expect(await stages()).toEqual(['Order received', 'Awaiting customer proof approval']);
    expect(await page.locator('.timeline-item.current .timeline-stage').textContent()).toBe('Awaiting customer proof approval');
    await page.reload();
    await expect.poll(stages).toEqual(['Order received', 'Awaiting customer proof approval']);
  });

  it('holds and resumes an order with a reason, and copies the tracking link', async () => {
    const { number } = await sales.post<{ number: string }>('/orders', demoOrder('Hold me'));
    const page = await signedIn('manager');
    await page.goto(`${server.url}/orders/${number}`);
    await page.getByRole('button', { name: 'Hold' }).click();
    await page.getByLabel('Reason').fill('Waiting for the deposit');
    await page.getByRole('button', { name: 'Put on hold' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    expect(await page.locator('.stage-now').textContent()).toContain('Waiting for the deposit');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Hold' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Tracking link' }).inputValue()).toMatch(/\/track\/[A-Za-z0-9_-]{40,}$/);
  });
});

describe('live', () => {
  it('updates an open order page and a queue when someone else changes the order', async () => {
    const { number } = await sales.post<{ number: string }>('/orders', demoOrder('Watched order'));
    const orderPage = await signedIn('manager');
    await orderPage.goto(`${server.url}/orders/${number}`);
    await orderPage.getByLabel('Carrier tracking number').waitFor();
    const queue = await signedIn('sales');
    await queue.goto(`${server.url}/queue`);
    await queue.locator(`[data-queue] [data-order="${number}"]`).waitFor();

    await sales.patch(`/orders/${number}`, { fields: { tracking_number: '1Z999', artwork_url: 'https://files.example/w.pdf' } });
    await expect.poll(() => orderPage.getByLabel('Carrier tracking number').inputValue(), { timeout: 3000 }).toBe('1Z999');
    await orderPage.locator('[data-event="order.updated"]').waitFor();

    await sales.post(`/orders/${number}/transitions`, { to: 'proof_approval' });
    await expect
      .poll(() => orderPage.locator('[data-current-stage]').getAttribute('data-current-stage'), { timeout: 3000 })
      .toBe('proof_approval');
    // Still sales' stage, so still in the queue, now with the next stage's action.
    await expect
      .poll(() => queue.locator(`[data-queue] [data-order="${number}"]`).textContent(), { timeout: 3000 })
      .toContain('Send the proof');
  });
});

describe('my queue', () => {
  it('lists the orders of my stages, longest waiting first, and moves one on with one button', async () => {
    const page = await signedIn('production');
    await page.goto(`${server.url}/queue`);
    const rows = page.locator('[data-queue] > li');
    await rows.first().waitFor();
    const numbers = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-order')));
    const orders = await Promise.all(
      numbers.map((n) => sales.get<{ stageEnteredAt: string; ownerRole: string }>(`/orders/${n}`)),
    );
    expect(orders.every((o) => o.ownerRole === 'production')).toBe(true);
    const entered = orders.map((o) => o.stageEnteredAt);
    expect(entered).toEqual([...entered].sort());

    const row = page.locator('[data-queue] > li', { has: page.locator('[data-action="move-next"]') }).first();
    const number = await row.getAttribute('data-order');
    const before = (await sales.get<{ stage: string }>(`/orders/${number}`)).stage;
    await row.locator('[data-action="move-next"]').click();
    await expect.poll(async () => (await sales.get<{ stage: string }>(`/orders/${number}`)).stage).not.toBe(before);
  });
});

describe('new order', () => {
  it('builds the form from the workflow fields and creates the order', async () => {
    const page = await signedIn('sales');
    await page.goto(`${server.url}/orders/new`);
    await page.locator('[data-action="create-order"]').click();
    await page.locator('[data-field-error]').first().waitFor();
    expect(await page.locator('[data-field-error]').allTextContents()).toEqual(
      expect.arrayContaining([
        'Title must not be empty',
        'Customer name must not be empty',
        'Garment is required',
        'Quantity is required',
      ]),
    );
    await page.getByLabel('Title').fill('Choir hoodies');
    await page.locator('input[name="customer"]').fill('Oakridge Choir');
    await page.getByLabel('Garment').selectOption('Hoodie');
    await page.getByLabel('Quantity').fill('30');
    await page.locator('[data-action="create-order"]').click();
    await page.locator('[data-order-page]').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Choir hoodies');
  });
});

describe('admin', () => {
  it('creates a user who can then sign in', async () => {
    const page = await signedIn('admin');
    await page.goto(`${server.url}/admin/users`);
    const form = page.locator('[data-form="new-user"]');
    await form.getByLabel('Name').fill('Quinn Quality');
    await form.getByLabel('E-mail').fill('quinn@demo.floorboard.test');
    await form.getByLabel('Role').selectOption('production');
    await form.getByLabel('Password').fill('short');
    await form.locator('[data-action="create-user"]').click();
    expect(await form.locator('[data-field-error]').textContent()).toBe('At least 8 characters');
    await form.getByLabel('Password').fill('quality-first-2026');
    await form.locator('[data-action="create-user"]').click();
    await page.locator('[data-user="quinn@demo.floorboard.test"]').waitFor();

    const quinn = await (await newContext(browser)).newPage();
    await quinn.goto(`${server.url}/board`);
    await quinn.getByLabel('E-mail').fill('quinn@demo.floorboard.test');
    await quinn.getByLabel('Password').fill('quality-first-2026');
    await quinn.getByRole('button', { name: 'Sign in' }).click();
    await quinn.locator('[data-board][data-ready="true"]').waitFor();
    expect(await quinn.locator('.whoami-name').textContent()).toBe('Quinn Quality');
  });
});

describe('the workflow editor', () => {
  it('refuses an empty next action beside the field, then saves a renamed stage as a new version', async () => {
    // An earlier test of this file may have saved a version already: the editor's save makes the next one.
    const { version: before } = await sales.get<{ version: number }>('/workflows/custom-apparel');
    const page = await signedIn('admin');
    await page.goto(`${server.url}/admin/workflows`);
    // Each stage opens its own panel from the list of stages.
    await page.locator('[data-open-stage="quality_check"]').click();
    const stage = page.locator('[data-stage-editor="quality_check"]');
    await stage.getByLabel('Next action').fill('');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    expect(await stage.locator('.field-error').textContent()).toBe('Say what the owner does next');

    await stage.getByLabel('Next action').fill('Inspect print quality and count against the order');
    await stage.getByLabel('Label').fill('Quality inspection');
    // Orders in the stage refer to its key: renaming keeps it, and the editor says so.
    expect(await stage.getByLabel('Key').inputValue()).toBe('quality_check');
    await stage.getByText('the key stays quality_check', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await expect
      .poll(
        async () =>
          (await sales.get<{ version: number; stages: Array<{ key: string; label: string }> }>('/workflows/custom-apparel'))
            .version,
      )
      .toBe(before + 1);
    const wf = await sales.get<{ stages: Array<{ key: string; label: string; stallHoursBasis?: string }> }>(
      '/workflows/custom-apparel',
    );
    expect(wf.stages.find((s) => s.key === 'quality_check')?.label).toBe('Quality inspection');
  });
});

describe('on a phone', () => {
  it('shows the board one column at a time and moves a card from its menu', async () => {
    const { number } = await sales.post<{ number: string }>(
      '/orders',
      demoOrder('Moved on the go', { artwork_url: 'https://files.example/phone.pdf' }),
    );
    const page = await signedIn('sales', { width: 390, height: 844 });
    const column = await page.locator('[data-stage="received"]').boundingBox();
    expect(column!.width).toBeGreaterThan(300);
    await page.locator(`[data-order="${number}"] [data-card-menu]`).click();
    await page.getByRole('menuitem', { name: /Move to Awaiting customer proof approval/ }).click();
    await page.locator(`[data-stage="proof_approval"] [data-order="${number}"]`).waitFor({ state: 'attached' });
    await expect.poll(async () => (await sales.get<{ stage: string }>(`/orders/${number}`)).stage).toBe('proof_approval');
  });

  it("opens a card's menu above the card when the window has no room below it", async () => {
    const { number } = await sales.post<{ number: string }>('/orders', demoOrder('Menu on a short window'));
    const page = await signedIn('sales', { width: 390, height: 430 });
    const button = page.locator(`[data-order="${number}"] [data-card-menu]`);
    await button.evaluate((element) => element.scrollIntoView({ block: 'end' }));
    await button.click();
    const menu = (await page.getByRole('menu').boundingBox())!;
    expect(menu.y).toBeGreaterThanOrEqual(0);
    expect(menu.y + menu.height).toBeLessThanOrEqual(430);
    await page.getByRole('menuitem', { name: 'Open order' }).click();
    await page.waitForURL(`**/orders/${number}`);
  });

  it("keeps a card's menu open beside its card while the board scrolls or updates under it", async () => {
    const { number } = await sales.post<{ number: string }>('/orders', demoOrder('Menu while scrolling'));
    const page = await signedIn('sales', { width: 390, height: 844 });
    const button = page.locator(`[data-order="${number}"] [data-card-menu]`);
    await button.click();
    // A live update that changes heights above the card, or the column measuring its cards, scrolls the page.
    await page.evaluate(() => window.scrollBy(0, 40));
    const [menu, anchor] = await Promise.all([page.getByRole('menu').boundingBox(), button.boundingBox()]);
    const besideIt = Math.min(
      Math.abs(menu!.y - (anchor!.y + anchor!.height + 4)),
      Math.abs(menu!.y + menu!.height + 4 - anchor!.y),
    );
    expect(besideIt).toBeLessThan(2);
    await page.getByRole('menuitem', { name: 'Open order' }).click();
    await page.waitForURL(`**/orders/${number}`);
  });
});
