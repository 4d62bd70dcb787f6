// Files on an order in a real browser, on SQLite and PostgreSQL: sales attach a proof on the order page and show it to
// the customer; the customer opens the tracking page, sees the proof, and approves it; the order moves on, and the
// history names the proof, its upload and the customer's view of it.
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOM_APPAREL } from '../../src/demo/custom-apparel.ts';
import {
  apiAs,
  boardAs,
  DATABASES,
  DEMO_PASSWORD,
  demoEmail,
  demoOrder,
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

interface Order {
  id: string;
  number: string;
  stage: string;
  trackingUrl: string;
  fields: Record<string, unknown>;
}
interface Event {
  type: string;
  actor: { kind: string; name: string };
  data: Record<string, unknown>;
}

/** Console errors, page errors and CSP refusals: a page that works has none. */
function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** Whether an <img> has loaded a real picture. */
const drawn = (page: Page, selector: string) =>
  page.locator(selector).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);

describe.each(DATABASES)('files on %s', (db) => {
  let server: RunningServer;
  beforeAll(async () => {
    // A workspace of its own, without the demo's history (seeding it is slow on a busy machine): an admin, the
    // apparel workflow, and the salesperson who attaches the proof.
    server = await startServer({
      db,
      demo: false,
      env: { FLOORBOARD_ADMIN_EMAIL: demoEmail('admin'), FLOORBOARD_ADMIN_PASSWORD: DEMO_PASSWORD },
    });
    const admin = await apiAs(server.url, 'admin');
    await admin.post('/workflows', CUSTOM_APPAREL);
    await admin.post('/users', { email: demoEmail('sales'), name: 'Sam Okafor', role: 'sales', password: DEMO_PASSWORD });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('upload a proof and approve it as the customer', async () => {
    const sales = await apiAs(server.url, 'sales');
    const order = await sales.post<Order>(
      '/orders',
      demoOrder('Relay team vests', { artwork_url: 'https://files.example/relay.pdf' }),
    );
    await sales.post(`/orders/${order.number}/transitions`, { to: 'proof_approval' });
    const proof = await QRCode.toBuffer(`Proof for ${order.number}`, { type: 'png', width: 240 });

    // Sales attach the proof on the order page and show it to the customer.
    const staff = await boardAs(browser, server.url, 'sales');
    const staffErrors = watchForErrors(staff);
    await staff.goto(`${server.url}/orders/${order.number}`);
    const panel = staff.locator('[data-files-panel]');
    await panel.getByText('No files yet.').waitFor();
    // The order waits for the customer's approval: a proof is what gets attached here.
    expect(await panel.locator('select[name="file-kind"]').inputValue()).toBe('proof');
    await panel.getByLabel('Show to the customer on the tracking page').check();
    await panel.locator('input[type="file"]').setInputFiles({ name: 'relay-proof-v1.png', mimeType: 'image/png', buffer: proof });
    const row = panel.locator('[data-file]');
    await row.waitFor();
    expect(await row.getAttribute('data-visibility')).toBe('customer');
    expect(await row.getAttribute('data-kind')).toBe('proof');
    expect(await row.locator('.file-name').textContent()).toBe('relay-proof-v1.png');
    await expect.poll(() => drawn(staff, '[data-file] img'), { timeout: 5000 }).toBe(true);

    // A file that is not a picture or PDF is refused with the reason, and nothing is added.
    await panel.locator('input[type="file"]').setInputFiles({
      name: 'logo.svg',
      mimeType: 'image/svg+xml',
      buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    });
    await expect
      .poll(() => panel.locator('[data-files-error]').textContent(), { timeout: 5000 })
      .toContain('PNG, JPEG, WebP, GIF or PDF');
    expect(await panel.locator('[data-file]').count()).toBe(1);
    const fileId = (await row.getAttribute('data-file'))!;

    // The customer: no sign-in, a phone.
    const context = await newContext(browser, { width: 390, height: 844 });
    const customer = await context.newPage();
    const customerErrors = watchForErrors(customer);
    await customer.goto(`${server.url}${order.trackingUrl}`);
    await customer.locator('[data-live="on"]').waitFor();
    expect(await customer.locator('[data-customer-status]').textContent()).toBe('Waiting for your proof approval');
    const shown = customer.locator(`[data-proof-file="${fileId}"] img`);
    expect(await shown.getAttribute('alt')).toBe('Your proof: relay-proof-v1.png');
    await expect.poll(() => drawn(customer, `[data-proof-file="${fileId}"] img`), { timeout: 5000 }).toBe(true);
    expect(await customer.locator('[data-proof-file] img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(240);

    await customer.locator('[data-action="approve"]').click();
    await expect
      .poll(() => customer.locator('[data-customer-status]').textContent(), { timeout: 5000 })
      .toBe('Sourcing your garments');
    expect(await customer.locator('.approval-result').textContent()).toContain('Thank you for approving your proof');

    const after = await sales.get<Order>(`/orders/${order.number}`);
    expect(after.stage).toBe('supplier_confirmation');
    expect(after.fields.proof_approved).toBe(true);
    const events = (await sales.get<{ items: Event[] }>(`/orders/${order.number}/events`)).items;
    expect(events.find((e) => e.type === 'order.customer_approved')).toMatchObject({
      actor: { kind: 'customer', name: 'E2E Testing Ltd' },
      data: { proofFile: fileId },
    });
    expect(events.find((e) => e.type === 'file.attached')).toMatchObject({
      actor: { kind: 'user' },
      data: { fileId, name: 'relay-proof-v1.png', visibility: 'customer', kind: 'proof' },
    });
    expect(events.some((e) => e.type === 'file.downloaded' && e.actor.kind === 'customer' && e.data.via === 'tracking')).toBe(
      true,
    );

    // The order page follows by itself: the history names the upload and the approval.
    await staff.locator('[data-history] [data-event="order.customer_approved"]').waitFor({ timeout: 10_000 });
    expect(await staff.locator('[data-history] [data-event="file.attached"]').textContent()).toContain(
      'attached relay-proof-v1.png',
    );
    expect(customerErrors).toEqual([]);
    expect(staffErrors.filter((e) => !/status of 415/.test(e))).toEqual([]);
    await context.close();
    await staff.context().close();
  });
});
