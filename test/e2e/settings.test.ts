// The Settings page in a real browser, on SQLite and PostgreSQL, as an admin clicks it: a new time zone moves a
// stalled flag and an eta on the board at once; a test e-mail reaches a local SMTP server and its answer shows;
// a country's public holidays are loaded into the calendar; a webhook is created, its secret shown once, and paused.
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiAs,
  boardAs,
  DATABASES,
  DEMO_PASSWORD,
  demoEmail,
  launchChromium,
  type RunningServer,
  startServer,
} from './support.ts';

let browser: Browser;
let smtp: SMTPServer;
let smtpPort = 0;
const inbox: Array<{ to: string[]; raw: string }> = [];

beforeAll(async () => {
  browser = await launchChromium();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback(null, 'Queued as E2E-7');
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const HOUR = 3_600_000;
/** IANA writes fixed offsets with the sign reversed: UTC+5 is Etc/GMT-5. */
const zoneOf = (offset: number) => (offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`);

/**
 * Two fixed-offset zones for the moment the test runs: in `open` the shop has been open for the last two hours, in
 * `closed` it is night there. Whatever the hour, the same order is stalled in one and not the other, and expected on
 * different local dates: either `open` is mid-day (done today) and `closed` 10-12 hours ahead (done tomorrow there),
 * or `open` is late evening (done tomorrow morning) and `closed` just past midnight of the same day (done today).
 */
function zonePair(now: number): { open: number; closed: number } {
  const utcHour = (now % (24 * HOUR)) / HOUR;
  const local = (offset: number) => (((utcHour + offset) % 24) + 24) % 24;
  for (const ahead of [12, 11, 10]) {
    for (let open = -12; open + ahead <= 14; open++) {
      const there = local(open) + ahead;
      if (local(open) >= 9.5 && local(open) <= 18.5 && there >= 23 && there <= 29.5) return { open, closed: open + ahead };
    }
  }
  for (let open = 14; open >= -12; open--) {
    if (local(open) < 20.1 || local(open) > 21.8) continue;
    for (let closed = -12; closed <= 14; closed++) {
      const there = local(open) - (open - closed);
      if (there >= 0.5 && there <= 5) return { open, closed };
    }
  }
  throw new Error(`no pair of zones for ${new Date(now).toISOString()}`);
}

/**
 * A line whose history (15 orders, each four hours in "Make", all inside the working day of both zones) sets the
 * eta, and one order that entered "Make" two hours ago: 1.5 working hours make it stalled.
 */
async function seedLine(url: string, zones: { open: number; closed: number }): Promise<string> {
  const admin = await apiAs(url, 'admin');
  await admin.put('/settings', {
    calendar: {
      timeZone: zoneOf(zones.closed),
      workingDays: [1, 2, 3, 4, 5, 6, 7],
      dayStart: '06:00',
      dayEnd: '22:00',
      holidays: [],
    },
  });
  await admin.post('/workflows', {
    key: 'tz_line',
    name: 'Time-zone line',
    orderPrefix: 'TZ',
    stages: [
      { key: 'make', label: 'Make', ownerRole: 'production', nextAction: 'Make it', stallAfterHours: 1.5 },
      { key: 'done', label: 'Done', ownerRole: 'production', nextAction: 'Nothing' },
    ],
    fields: [],
  });
  const now = Date.now();
  // Yesterday 06:00-10:00 in the open zone: inside the closed zone's working day too, whichever pair was chosen.
  const openDay = new Date(now + zones.open * HOUR);
  const began = Date.UTC(openDay.getUTCFullYear(), openDay.getUTCMonth(), openDay.getUTCDate() - 1, 6, 0) - zones.open * HOUR;
  const rows = ['ref,stage,at,title,customer'];
  for (let i = 1; i <= 15; i++) {
    rows.push(`H-${i},Make,${new Date(began).toISOString()},Past parcel ${i},Bolt Ltd`);
    rows.push(`H-${i},Done,${new Date(began + 4 * HOUR).toISOString()},,`);
  }
  rows.push(`NOW-1,Make,${new Date(now - 2 * HOUR).toISOString()},Parcel in the making,Bolt Ltd`);
  await admin.post('/imports', {
    workflow: 'tz_line',
    source: 'csv-events',
    content: `${rows.join('\n')}\n`,
    mapping: { reference: 'ref', stage: 'stage', at: 'at', title: 'title', customerName: 'customer' },
  });
  const open = await admin.get<{ items: Array<{ number: string }> }>('/orders?workflow=tz_line&state=active');
  expect(open.items).toHaveLength(1);
  return open.items[0]!.number;
}

async function cardOf(page: Page, number: string): Promise<{ flags: string[]; eta: string | null }> {
  const card = page.locator(`[data-stage="make"] [data-order="${number}"]`);
  await card.waitFor();
  await card.locator('[data-eta]').waitFor();
  return {
    flags: await card.locator('[data-flag]').evaluateAll((els) => els.map((e) => e.getAttribute('data-flag') ?? '')),
    eta: await card.locator('[data-eta]').getAttribute('data-eta'),
  };
}

async function openSettings(page: Page, section: string): Promise<void> {
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: section }).click();
}

describe.each(DATABASES)('the Settings page on %s', (db) => {
  let server: RunningServer;
  let page: Page;
  let zones: { open: number; closed: number };
  let number: string;

  beforeAll(async () => {
    // An empty workspace with its first admin: the demo's seeding is not needed here and takes a minute on a busy machine.
    server = await startServer({
      db,
      demo: false,
      env: { FLOORBOARD_ADMIN_EMAIL: demoEmail('admin'), FLOORBOARD_ADMIN_PASSWORD: DEMO_PASSWORD },
    });
    zones = zonePair(Date.now());
    number = await seedLine(server.url, zones);
    page = await boardAs(browser, server.url, 'admin');
  }, 180_000);
  afterAll(async () => {
    await page?.context().close();
    await server?.stop();
  });

  it('moves the stalled flag and the eta on the board as soon as the time zone is saved', async () => {
    await page.locator('[data-control="workflow"]').selectOption('tz_line');
    const before = await cardOf(page, number);
    // Night in the shop's zone: it has hardly worked on the order since it came in.
    expect(before.flags).not.toContain('stalled');
    expect(before.eta).not.toBeNull();

    await openSettings(page, 'Time zone and calendar');
    await page.locator('[data-time-zone]').selectOption(zoneOf(zones.open));
    await page.locator('[data-action="save-calendar"]').click();
    await page.getByText('Calendar saved').waitFor();

    await page.getByRole('link', { name: 'Board', exact: true }).click();
    await page.locator(`[data-stage="make"] [data-order="${number}"] [data-flag="stalled"]`).waitFor();
    const after = await cardOf(page, number);
    expect(after.flags).toContain('stalled');
    // Counted in the new zone, the order is expected on another local date.
    expect(after.eta).not.toBe(before.eta);
    const order = await (await apiAs(server.url, 'admin')).get<{ flags: string[]; eta: { p50: string } }>(`/orders/${number}`);
    expect(order.flags).toContain('stalled');
    expect(order.eta.p50).toBe(after.eta);
  });

  it("sends a test e-mail to the SMTP server and shows the server's answer", async () => {
    await openSettings(page, 'E-mail');
    await page.locator('[data-smtp-url]').fill(`smtp://127.0.0.1:${smtpPort}`);
    await page.locator('[data-test-to]').fill(`owner-${db}@print.example`);
    await page.locator('[data-action="send-test-email"]').click();
    const answer = page.locator('[data-smtp-answer]');
    await answer.waitFor();
    expect(await answer.getAttribute('data-sent')).toBe('true');
    expect(await answer.locator('[data-server-answer]').textContent()).toContain('Queued as E2E-7');
    expect(inbox.some((m) => m.to.includes(`owner-${db}@print.example`) && /Subject: Test e-mail/.test(m.raw))).toBe(true);

    // A server that is not there: the page says so in plain words.
    await page.locator('[data-smtp-url]').fill('smtp://127.0.0.1:1');
    await page.locator('[data-action="send-test-email"]').click();
    await page.locator('[data-smtp-answer][data-sent="false"]').waitFor();
    expect(await page.locator('[data-smtp-error]').textContent()).toMatch(/Nothing answers at 127\.0\.0\.1:1/);
  });

  it("loads a country's public holidays and adds them to the calendar", async () => {
    await openSettings(page, 'Time zone and calendar');
    await page.locator('[data-holiday-country]').selectOption('GB');
    await page.getByLabel('Year').fill('2027');
    await page.locator('[data-action="load-holidays"]').click();
    await page.locator('[data-holiday-region]').selectOption('ENG');
    await page.getByText('in England, United Kingdom, 2027').waitFor();
    const found = page.locator('[data-found-holidays] li');
    expect(await found.allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('2027-12-25 · Christmas Day')]),
    );
    await page.locator('[data-action="add-public-holidays"]').click();
    await page.locator('[data-holiday="2027-12-25"]').waitFor();
    await page.locator('[data-holiday="2027-01-01"]').waitFor();
    const saved = await (await apiAs(server.url, 'admin')).get<{ calendar: { holidays: string[]; timeZone: string } }>(
      '/settings',
    );
    expect(saved.calendar.holidays).toEqual(expect.arrayContaining(['2027-01-01', '2027-03-26', '2027-12-25']));
    // Scotland's 2 January is not England's.
    expect(saved.calendar.holidays).not.toContain('2027-01-04');
    expect(saved.calendar.timeZone).toBe(zoneOf(zones.open));
  });

  it('creates a webhook, shows its secret once, and pauses it', async () => {
    await openSettings(page, 'Webhooks');
    const allow = page.locator('[data-allow-private]');
    if (!(await allow.isChecked())) {
      await allow.check();
      await page.getByText('Private addresses allowed').waitFor();
    }
    await page.locator('[data-webhook-url]').fill('http://127.0.0.1:9/floorboard');
    await page.locator('[data-event-type="order.created"]').check();
    await page.locator('[data-action="create-webhook"]').click();
    const secret = await page.locator('[data-secret-value]').textContent();
    expect(secret).toMatch(/^whsec_/);
    const row = page.locator('[data-webhook="http://127.0.0.1:9/floorboard"]');
    await row.waitFor();

    await row.locator('[data-action="pause-webhook"]').click();
    await page.locator('[data-webhook="http://127.0.0.1:9/floorboard"][data-active="false"]').waitFor();
    const hooks = await (await apiAs(server.url, 'admin')).get<{
      items: Array<{ url: string; active: boolean; eventTypes: string[] }>;
    }>('/webhooks');
    const hook = hooks.items.find((h) => h.url === 'http://127.0.0.1:9/floorboard')!;
    expect(hook).toMatchObject({ active: false });
    expect(hook.eventTypes.sort()).toEqual(['order.created', 'order.stage_changed']);
    expect(JSON.stringify(hooks)).not.toContain(secret!);

    // Shown once: after a reload the page has no secret to show.
    await page.reload();
    await row.waitFor();
    expect(await page.locator('[data-secret-value]').count()).toBe(0);
  });

  it('sets the language dates are written in, showing a sample as it is typed', async () => {
    await openSettings(page, 'Shop and tracking page');
    const locale = page.locator('[data-locale]');
    await locale.fill('de-DE');
    await page.getByText('Fr., 18. Dez.').waitFor();
    await page.locator('[data-action="save-shop"]').click();
    await page.getByText('Shop settings saved').waitFor();
    const settings = await (await apiAs(server.url, 'admin')).get<{ locale: string }>('/settings');
    expect(settings.locale).toBe('de-DE');
  });
});
