// The workflow editor in a real browser, on SQLite and on PostgreSQL: stages reordered by dragging and by keyboard,
// a stage inserted in the middle keyed from its label, a select field's options edited as a list, a new version
// saved and read back through the API, and the API's refusal shown beside the input it names. And dates: a browser
// in another time zone and language reads every due date the workspace's way, on the board, the order page and the
// customer's tracking page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayInZone, longDay, mediumDay, shortDay } from '../../src/domain/date-format.ts';
import { apiAs, DATABASES, demoOrder, launchChromium, newContext, type RunningServer, signIn, startServer } from './support.ts';

interface Stage {
  key: string;
  label: string;
  requires?: string[];
  changesReturnTo?: string;
}
interface Wf {
  version: number;
  stages: Stage[];
  fields: Array<{ key: string; options?: string[] }>;
}

const SIGN_SHOP = {
  key: 'sign-shop',
  name: 'Sign shop',
  orderPrefix: 'SGN',
  stages: [
    { key: 'received', label: 'Order received', ownerRole: 'sales', nextAction: 'Confirm the order' },
    { key: 'print', label: 'Print', ownerRole: 'production', nextAction: 'Print the sign' },
    {
      key: 'artwork',
      label: 'Artwork approval',
      ownerRole: 'sales',
      nextAction: 'Send the proof',
      customerApproval: true,
      proofField: 'proof_url',
      changesReturnTo: 'received',
    },
    { key: 'pack', label: 'Pack', ownerRole: 'fulfillment', nextAction: 'Pack the sign' },
    { key: 'done', label: 'Done', ownerRole: 'fulfillment', nextAction: 'Nothing: it is complete' },
  ],
  fields: [
    { key: 'colour', label: 'Colour', type: 'select', options: ['Red', 'Blue'] },
    { key: 'proof_url', label: 'Proof', type: 'url' },
  ],
};

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** The stage keys in the order the list shows them. */
const listed = (page: Page) =>
  page.locator('[data-stage-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-stage-row')));

describe.each(DATABASES)('the workflow editor on %s', (db) => {
  let server: RunningServer;
  let admin: Awaited<ReturnType<typeof apiAs>>;
  let page: Page;

  beforeAll(async () => {
    server = await startServer({ db });
    admin = await apiAs(server.url, 'admin');
    await admin.post('/workflows', SIGN_SHOP);
    page = await (await newContext(browser, { width: 1440, height: 1000 })).newPage();
    await signIn(page, server.url, 'admin');
    await page.goto(`${server.url}/admin/workflows`);
    await page.locator('#wf-pick').selectOption('sign-shop');
    await page.locator('[data-stage-row="received"]').waitFor();
    // Seeding the demo on PostgreSQL takes a while on a busy machine.
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('reorders by dragging and by keyboard, inserts a keyed stage, edits options as a list, and saves a new version', async () => {
    // The number prefix hint names this workflow's prefix.
    await page.getByText('Orders are numbered SGN-1001, SGN-1002, …').waitFor();

    // Drag "Artwork approval" by its handle above "Print".
    const handle = (await page.locator('[data-drag-stage="artwork"]').boundingBox())!;
    const print = (await page.locator('[data-stage-row="print"] .wf-stage-line').boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2 - 10, { steps: 3 });
    await page.mouse.move(handle.x + handle.width / 2, print.y + print.height / 2, { steps: 10 });
    await page.locator('[data-stage-row="print"][data-drop-target]').waitFor();
    await page.mouse.up();
    await expect.poll(() => listed(page)).toEqual(['received', 'artwork', 'print', 'pack', 'done']);

    // By keyboard: Space lifts "Print", the down arrow moves it past "Pack", Space drops it.
    await page.locator('[data-drag-stage="print"]').focus();
    await page.keyboard.press('Space');
    // Lifted and measured: from here the arrow keys move it.
    await page.locator('[data-over-stage="print"]').waitFor({ state: 'attached' });
    await page.keyboard.press('ArrowDown');
    await page.locator('[data-stage-row="pack"][data-drop-target]').waitFor();
    await page.keyboard.press('Space');
    await expect.poll(() => listed(page)).toEqual(['received', 'artwork', 'pack', 'print', 'done']);

    // Insert a stage after "Artwork approval": its key comes from its label.
    await page.getByRole('button', { name: 'Insert a stage after Artwork approval' }).click();
    const added = page.locator('.wf-stage-panel');
    await added.getByLabel('Label').fill('Design and proof');
    expect(await added.getByLabel('Key').inputValue()).toBe('design_and_proof');
    await added.getByLabel('Next action').fill('Draw the sign up');
    await added.getByLabel('Owner role').selectOption('production');
    expect(await listed(page)).toEqual(['received', 'artwork', 'design_and_proof', 'pack', 'print', 'done']);

    // Renaming a saved stage keeps its key, and the panel says so.
    await page.locator('[data-open-stage="done"]').click();
    const done = page.locator('[data-stage-editor="done"]');
    await done.getByLabel('Label').fill('Delivered');
    await done.getByText('Renamed from “Done”: the key stays done', { exact: false }).waitFor();

    // Printing needs the colour: chosen from the compact picker, not a checkbox per field.
    await page.locator('[data-open-stage="print"]').click();
    const printing = page.locator('[data-stage-editor="print"]');
    await printing.getByLabel('Must be filled before leaving').selectOption('colour');
    await printing.locator('[data-required-field="colour"]').waitFor();

    // The colour's options as a list: add Green, move it above Blue, remove Red.
    const colour = page.locator('[data-field-editor="colour"]');
    await colour.getByRole('button', { name: '+ Add option' }).click();
    await colour.getByLabel('Option 3 of Colour').fill('Green');
    await colour.getByRole('button', { name: 'Move option Green up' }).click();
    await colour.getByRole('button', { name: 'Remove option Red' }).click();
    expect(await colour.locator('[data-option]').evaluateAll((li) => li.map((x) => x.getAttribute('data-option')))).toEqual([
      'Green',
      'Blue',
    ]);

    await page.getByRole('button', { name: 'Save as new version' }).click();
    await expect.poll(async () => (await admin.get<Wf>('/workflows/sign-shop')).version).toBe(2);
    const wf = await admin.get<Wf>('/workflows/sign-shop');
    expect(wf.stages.map((s) => s.key)).toEqual(['received', 'artwork', 'design_and_proof', 'pack', 'print', 'done']);
    expect(wf.stages.find((s) => s.key === 'design_and_proof')).toMatchObject({
      label: 'Design and proof',
      ownerRole: 'production',
      nextAction: 'Draw the sign up',
    });
    expect(wf.stages.find((s) => s.key === 'done')?.label).toBe('Delivered');
    expect(wf.stages.find((s) => s.key === 'print')?.requires).toEqual(['colour']);
    expect(wf.fields.find((f) => f.key === 'colour')?.options).toEqual(['Green', 'Blue']);
  });

  it("shows the API's refusal beside the input it names, on the stage it names, and saves nothing", async () => {
    await page.locator('#wf-pick').selectOption('sign-shop');
    await page.locator('[data-stage-row="design_and_proof"]').waitFor();
    // Moving "Order received" below "Artwork approval" leaves the approval's "send back to" pointing forward.
    await page.locator('[data-drag-stage="received"]').focus();
    await page.keyboard.press('Space');
    await page.locator('[data-over-stage="received"]').waitFor({ state: 'attached' });
    await page.keyboard.press('ArrowDown');
    await page.locator('[data-stage-row="artwork"][data-drop-target]').waitFor();
    await page.keyboard.press('Space');
    await expect.poll(() => listed(page)).toEqual(['artwork', 'received', 'design_and_proof', 'pack', 'print', 'done']);
    await page.getByRole('button', { name: 'Save as new version' }).click();

    const artwork = page.locator('[data-stage-editor="artwork"]');
    await artwork.locator('[data-field-error]').waitFor();
    expect(await artwork.locator('[data-field-error]').textContent()).toBe('Changes go back to an earlier stage');
    await page.locator('[data-stage-row="artwork"].needs-work').waitFor();
    expect((await admin.get<Wf>('/workflows/sign-shop')).version).toBe(2);
  });

  it("writes due dates the workspace's way on the board, the order page and the tracking page, whatever the browser's zone", async () => {
    // The workspace is 25 hours ahead of the browser: they are never on the same calendar day.
    const settings = await admin.get<{ calendar: Record<string, unknown> }>('/settings');
    await admin.put('/settings', { calendar: { ...settings.calendar, timeZone: 'Pacific/Kiritimati' }, locale: 'en-GB' });
    const workspace = { locale: 'en-GB', timeZone: 'Pacific/Kiritimati' };
    const now = Date.now();
    const due = addDays(dayInZone(now, workspace.timeZone), 3);
    const sales = await apiAs(server.url, 'sales');
    const order = await sales.post<{ number: string; trackingUrl: string }>('/orders', {
      ...demoOrder('Dated the shop’s way'),
      dueDate: due,
    });

    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'en-US',
      timezoneId: 'Pacific/Pago_Pago',
    });
    const reader = await context.newPage();
    await signIn(reader, server.url, 'sales');
    const card = reader.locator(`[data-order="${order.number}"] .card-due`);
    const cardText = await card.textContent();
    expect(cardText).toBe(`due in 3 days · ${shortDay(due, workspace, now)}`);
    expect(await card.getAttribute('title')).toBe(`Due ${mediumDay(due, workspace, now)}`);

    await reader.goto(`${server.url}/orders/${order.number}`);
    await reader.getByText(`due in 3 days · ${mediumDay(due, workspace, now)}`, { exact: true }).waitFor();

    await reader.goto(`${server.url}${order.trackingUrl}`);
    expect(await reader.locator('[data-delivery]').textContent()).toContain(longDay(due, workspace, now));

    // The browser's own way ("Dec 8") appears nowhere.
    const browserWay = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
      new Date(`${due}T12:00:00Z`),
    );
    for (const text of [cardText, await reader.locator('[data-delivery]').textContent()]) {
      expect(text).not.toContain(browserWay);
    }
    await context.close();
  });
});
