// The Import page in a real browser: upload a CSV, map a status value that matches no stage, read the preview,
// confirm, find the orders on the board with their history, and undo the import.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, boardAs, launchChromium, type RunningServer, startServer } from './support.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const CSV = [
  'Order No,Title,Customer,Customer email,Garment,Quantity,Due date,Status,Order received,On press,Shipped',
  'WB-301,Whiteboard hoodies,Harbour Rowing,kit@harbourrowing.example,Hoodie,40,2027-01-20,At the printer,2026-11-02 09:00,2026-11-12 10:30,',
  'WB-302,Whiteboard tees,Lumen Studio,hello@lumen.example,T-shirt,120,2027-01-25,At the printer,2026-11-05 14:00,2026-11-16 08:15,',
  'WB-303,Whiteboard caps,Copper Kettle,,Cap,25,2027-02-01,Order received,2026-11-20 11:00,,',
  '',
].join('\r\n');

describe('the Import page', () => {
  it('imports a CSV with an unmatched status mapped by hand, shows the orders on the board, and undoes it', async () => {
    const page = await boardAs(browser, server.url, 'manager');
    await page.getByRole('link', { name: 'Import' }).click();
    await page.getByRole('heading', { name: 'Import orders' }).waitFor();
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'whiteboard.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.locator('[data-action="read-file"]').click();

    // The columns found, with the proposed mapping.
    await page.getByRole('heading', { name: 'Columns' }).waitFor();
    expect(await page.locator('[data-mapping="stage"]').inputValue()).toBe('Status');
    expect(await page.locator('[data-mapping="fields.garment"]').inputValue()).toBe('Garment');
    // "At the printer" matches no stage: it is listed with its count, and the row errors name it.
    const unmatched = page.locator('[data-status-value="At the printer"]');
    expect(await unmatched.locator('td').nth(1).textContent()).toBe('2');
    expect(await page.locator('[data-issues="errors"]').textContent()).toContain('At the printer');
    expect(await page.locator('[data-action="confirm-import"]').isDisabled()).toBe(true);

    await unmatched.getByRole('combobox').selectOption('on_press');
    await page.locator('[data-action="check-again"]').click();
    await page.getByRole('heading', { name: 'Ready to import' }).waitFor();
    expect(await page.locator('[data-import-counts]').textContent()).toContain('3 new orders');
    // The preview shows each order as a card with its stages, dated from the file.
    const card = page.locator('[data-preview="WB-301"]');
    expect(await card.textContent()).toContain('Whiteboard hoodies');
    expect(await card.locator('.import-timeline li').count()).toBe(2);
    expect(await card.textContent()).toContain('In On press');

    await page.locator('[data-action="confirm-import"]').click();
    const done = page.locator('[data-import-done]');
    await done.waitFor();
    const importId = await done.getAttribute('data-import-done');
    expect(importId).toBeTruthy();

    // The orders are on the board, in the stage the file put them in, with the file's dates.
    const manager = await apiAs(server.url, 'manager');
    const found = await manager.get<{ items: Array<{ number: string; stage: string; state: string; stageEnteredAt: string }> }>(
      '/orders?q=Whiteboard',
    );
    const hoodies = found.items.find((o) => o.stage === 'on_press' && o.stageEnteredAt.startsWith('2026-11-12'));
    expect(found.items).toHaveLength(3);
    expect(hoodies).toBeTruthy();
    const board = await browser.newPage();
    await board.context().addCookies(await page.context().cookies());
    await board.goto(`${server.url}/board?workflow=custom-apparel`);
    await board.locator(`[data-stage="on_press"] [data-order="${hoodies!.number}"]`).waitFor();

    // Undo cancels the orders it made.
    await done.locator('[data-action="undo-import"]').click();
    await page.locator('[data-import-undone]').waitFor();
    expect(await page.locator('[data-import-undone]').textContent()).toContain('3 orders cancelled');
    const after = await manager.get<{ items: Array<{ state: string }> }>('/orders?q=Whiteboard');
    expect(after.items.every((o) => o.state === 'cancelled')).toBe(true);
  });
});
