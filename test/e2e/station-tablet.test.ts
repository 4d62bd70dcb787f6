// A shared station tablet in a real browser, on SQLite and PostgreSQL: an admin creates a station, the tablet opens
// its link, one person switches in by PIN and moves an order (the history names them), hands over to another whose
// move names them in turn, and a tablet left alone signs its person out and asks "Who are you?" again.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiAs,
  boardAs,
  DATABASES,
  DEMO_PASSWORD,
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

type Order = { number: string };
type Event = { type: string; actor: { name: string } };

describe.each(DATABASES)('a station tablet on %s', (db) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ db });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  async function switchIn(tablet: Page, name: string, pin: string) {
    await tablet.getByRole('heading', { name: 'Who are you?' }).waitFor();
    await tablet.getByRole('button', { name, exact: true }).click();
    for (const digit of pin) await tablet.locator('.station-pad').getByRole('button', { name: digit, exact: true }).click();
    await tablet.getByRole('button', { name: 'Sign in' }).click();
    await tablet.locator('.station-bar').getByText(name).waitFor();
  }

  async function moveOnTablet(tablet: Page, number: string) {
    await tablet.goto(`${server.url}/station/${number}`);
    await tablet.locator('[data-station-done]').click();
    await tablet.locator('[data-outcome="done"]').waitFor();
  }

  it('records the person who switched in, not the tablet, and signs them out when idle', async () => {
    const admin = await boardAs(browser, server.url, 'admin');
    await admin.goto(`${server.url}/admin/stations`);
    await admin.getByLabel('Station name').fill('Press tablet');
    // Half a minute: the shortest idle time a station may have.
    await admin.getByLabel('Idle minutes').fill('0.5');
    await admin.getByRole('button', { name: 'Create station' }).click();
    const link = (await admin.locator('[data-station-link]').textContent())!;
    expect(link).toMatch(new RegExp(`^${server.url}/tablet#[\\w-]{40,}$`));
    await admin.context().close();

    const people: Record<string, { name: string; pin: string }> = {};
    for (const [role, pin] of [
      ['production', '4711'],
      ['manager', '8642'],
    ] as const) {
      const api = await apiAs(server.url, role);
      await api.put('/auth/pin', { currentPassword: DEMO_PASSWORD, pin });
      people[role] = { name: (await api.get<{ user: { name: string } }>('/auth/me')).user.name, pin };
    }
    const sales = await apiAs(server.url, 'sales');
    const manager = await apiAs(server.url, 'manager');
    const orders: Order[] = [];
    for (const title of ['Tablet hoodies A', 'Tablet hoodies B']) {
      const order = await sales.post<Order>('/orders', demoOrder(title, { artwork_url: 'https://files.example/a.pdf' }));
      await manager.post(`/orders/${order.number}/transitions`, { to: 'scheduled', reason: 'set up for the test' });
      orders.push(order);
    }
    const lastMover = async (number: string) =>
      (await manager.get<{ items: Event[] }>(`/orders/${number}/events`)).items
        .filter((e) => e.type === 'order.stage_changed')
        .at(-1)?.actor.name;

    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const tablet = await context.newPage();
    await tablet.clock.install();
    await tablet.goto(link);

    await switchIn(tablet, people.production!.name, people.production!.pin);
    await moveOnTablet(tablet, orders[0]!.number);
    expect(await lastMover(orders[0]!.number)).toBe(people.production!.name);

    await tablet.getByRole('button', { name: 'Switch person' }).click();
    await switchIn(tablet, people.manager!.name, people.manager!.pin);
    await moveOnTablet(tablet, orders[1]!.number);
    expect(await lastMover(orders[1]!.number)).toBe(people.manager!.name);

    // Left alone past the idle time: signed out, back to "Who are you?", and the session is gone on the server too.
    await tablet.clock.fastForward(31_000);
    await tablet.getByRole('heading', { name: 'Who are you?' }).waitFor();
    const me = await tablet.evaluate(async () => (await fetch('/api/v1/auth/session')).json());
    expect(me).toMatchObject({ user: null });
    await context.close();
  });
});
