// First run in a real browser: `floorboard serve` on a fresh database (no --demo) opens setup instead of sign-in;
// the admin sets the shop up, invites a colleague, and the colleague opens the link, chooses a password and is in.
// On SQLite and on PostgreSQL.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, launchChromium, newContext, type RunningServer, startServer } from './support.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(DATABASES)('first run on %s', (db) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ demo: false, db });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('sets the workspace up, invites the team, and the invited person joins with their own password', async () => {
    const admin = await (
      await browser.newContext({ viewport: { width: 1440, height: 1000 }, timezoneId: 'America/Chicago' })
    ).newPage();
    await admin.goto(`${server.url}/`);
    await admin.getByRole('heading', { name: 'Set up your workspace' }).waitFor();
    // The browser's time zone is proposed.
    expect(await admin.getByLabel('Time zone').inputValue()).toBe('America/Chicago');

    // A mistake is named next to its field and nothing is sent.
    await admin.locator('[data-action="complete-setup"]').click();
    await admin.getByText('Enter your name').waitFor();

    await admin.getByLabel('Your name').fill('Maria Okafor');
    await admin.getByLabel('E-mail').fill('maria@harbourprint.example');
    await admin.getByLabel('Password').fill('a long secret phrase');
    await admin.getByLabel('Shop name').fill('Harbour Print Co');
    await admin.getByLabel('Sat').check();
    await admin.getByLabel('Day starts').fill('07:30');
    await admin.locator('[data-template="signs-banners"] input').check();
    await admin.locator('[data-action="complete-setup"]').click();

    await admin.getByRole('heading', { name: 'Add your team' }).waitFor();
    await admin.getByLabel('E-mail of person 1').fill('tom@harbourprint.example');
    await admin.getByLabel('Name of person 1').fill('Tom Reyes');
    await admin.getByLabel('Role of person 1').selectOption('production');
    await admin.getByLabel('E-mail of person 2').fill('ana@harbourprint.example');
    await admin.getByLabel('Role of person 2').selectOption('sales');
    await admin.locator('[data-action="send-invites"]').click();
    // No e-mail is set up: each link is shown to copy.
    const link = admin.locator('[data-invite="tom@harbourprint.example"] [data-invite-link]');
    await link.waitFor();
    const url = await link.inputValue();
    expect(url).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(await admin.locator('[data-invite-link]').count()).toBe(2);

    // The shop is set up as chosen.
    const settings = await admin.evaluate(async () => (await fetch('/api/v1/settings')).json());
    expect(settings.email.shopName).toBe('Harbour Print Co');
    expect(settings.calendar).toMatchObject({ timeZone: 'America/Chicago', workingDays: [1, 2, 3, 4, 5, 6], dayStart: '07:30' });
    await admin.locator('[data-action="go-to-board"]').click();
    await admin.locator('[data-board][data-ready="true"]').waitFor();
    expect(await admin.locator('[data-board]').textContent()).toContain('Awaiting visual approval');

    // Tom opens his link in his own browser, chooses a password and is signed in.
    const tom = await (await newContext(browser)).newPage();
    await tom.goto(url.replace(/^https?:\/\/[^/]+/, server.url));
    await tom.getByRole('heading', { name: 'Join Harbour Print Co' }).waitFor();
    expect(await tom.getByLabel('Your name').inputValue()).toBe('Tom Reyes');
    await tom.getByLabel('Choose a password').fill('toms own password');
    await tom.locator('[data-action="accept-invite"]').click();
    await tom.waitForURL(`${server.url}/`);
    await expect
      .poll(async () => tom.evaluate(async () => (await (await fetch('/api/v1/auth/me')).json()).user?.role))
      .toBe('production');

    // The link works once.
    const again = await (await newContext(browser)).newPage();
    await again.goto(url.replace(/^https?:\/\/[^/]+/, server.url));
    await again.getByRole('heading', { name: 'This link does not work' }).waitFor();

    // Setup is closed: a fresh browser gets sign-in, and Tom signs in with the password he chose.
    const later = await (await newContext(browser)).newPage();
    await later.goto(`${server.url}/`);
    await later.getByRole('heading', { name: 'Sign in' }).waitFor();
    await later.getByLabel('E-mail').fill('tom@harbourprint.example');
    await later.getByLabel('Password').fill('toms own password');
    await later.getByRole('button', { name: 'Sign in' }).click();
    await later
      .getByRole('button', { name: /Tom Reyes|Sign out/ })
      .first()
      .waitFor();
  });
});
