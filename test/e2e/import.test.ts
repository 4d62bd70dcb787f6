// The Import page in a real browser, on SQLite and PostgreSQL: upload a CSV (mapping a status value that matches no
// stage by hand), a CSV event log, an Excel workbook and a Trello board export; read each preview's stage timelines
// against the file; confirm; find the orders on the board with the file's dates; and undo an import.
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayInZone, mediumDay, timestamp } from '../../src/domain/date-format.ts';
import { csvRecords, fixture, type TrelloBoard, trelloFixture, trelloListMoves } from '../support/import-files.ts';
import { apiAs, boardAs, DATABASES, launchChromium, type RunningServer, startServer } from './support.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** A stage visit as the file gives it: the stage's label and when the order entered it. */
type Visit = { label: string; at: string };
type OrderItem = { id: string; number: string; title: string };

/** The demo workspace writes dates in British English on UTC, whatever the browser's own locale and zone. */
const WORKSPACE = { locale: 'en-GB', timeZone: 'UTC' };

/** The day the preview prints for an instant: the workspace's day, written by the app's one formatter. */
const dayText = async (_page: Page, iso: string) => mediumDay(dayInZone(iso, WORKSPACE.timeZone), WORKSPACE, Date.now());

/** An instant as the order page's timeline prints it, on the workspace's clock. */
const stampText = async (_page: Page, iso: string) => timestamp(iso, WORKSPACE);

/** Opens the Import page, picks the workflow, uploads the file and waits for the check. */
async function upload(page: Page, workflow: string, file: { name: string; mimeType: string; buffer: Buffer }, source?: string) {
  await page.getByRole('link', { name: 'Import' }).click();
  await page.getByRole('heading', { name: 'Import orders' }).waitFor();
  await page.locator('select[name="workflow"]').selectOption(workflow);
  await page.locator('input[type="file"]').setInputFiles(file);
  if (source) await page.locator('select[name="source"]').selectOption(source);
  await page.locator('[data-action="read-file"]').click();
  await page.locator('[data-import-check]').waitFor();
}

/** The preview card of one order shows its stages in order, each dated from the file. */
async function expectTimeline(page: Page, reference: string, visits: Visit[]) {
  const card = page.locator(`[data-preview="${reference}"]`);
  expect(await card.locator('.import-timeline-stage').allTextContents(), reference).toEqual(visits.map((v) => v.label));
  const days = await card.locator('.import-timeline li > .small').allTextContents();
  expect(
    days.map((d) => d.split(' · ')[0]),
    reference,
  ).toEqual(await Promise.all(visits.map((v) => dayText(page, v.at))));
}

async function confirmImport(page: Page): Promise<void> {
  await page.getByRole('heading', { name: 'Ready to import' }).waitFor();
  await page.locator('[data-action="confirm-import"]').click();
  await page.locator('[data-import-done]').waitFor();
}

const CSV = [
  'Order No,Title,Customer,Customer email,Garment,Quantity,Due date,Status,Order received,On press,Shipped',
  'WB-301,Whiteboard hoodies,Harbour Rowing,kit@harbourrowing.example,Hoodie,40,2027-01-20,At the printer,2026-11-02 09:00,2026-11-12 10:30,',
  'WB-302,Whiteboard tees,Lumen Studio,hello@lumen.example,T-shirt,120,2027-01-25,At the printer,2026-11-05 14:00,2026-11-16 08:15,',
  'WB-303,Whiteboard caps,Copper Kettle,,Cap,25,2027-02-01,Order received,2026-11-20 11:00,,',
  '',
].join('\r\n');

describe.each(DATABASES)('the Import page on %s', (db) => {
  let server: RunningServer;
  // One API session for the file: the API rate-limits sign-ins.
  let manager: Awaited<ReturnType<typeof apiAs>>;
  beforeAll(async () => {
    server = await startServer({ db });
    manager = await apiAs(server.url, 'manager');
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** The workflow's stage keys by label, to read the file's labels as the stages the API records. */
  const stageKeys = async (workflow: string) => {
    const wf = await manager.get<{ stages: Array<{ key: string; label: string }> }>(`/workflows/${workflow}`);
    return new Map(wf.stages.map((s) => [s.label, s.key]));
  };

  /** The order titled `title` as the API has it, with its stage history. */
  const orderTitled = async (title: string) => {
    const found = await manager.get<{ items: OrderItem[] }>(`/orders?q=${encodeURIComponent(title)}`);
    const item = found.items.find((o) => o.title === title);
    expect(item, title).toBeTruthy();
    return manager.get<OrderItem & { stageHistory: Array<{ stage: string; enteredAt: string }> }>(`/orders/${item!.id}`);
  };

  /** Each order is where the file says, with the file's dates: in the API, and on its page's timeline. */
  const expectImported = async (page: Page, workflow: string, orders: Array<{ title: string; visits: Visit[] }>) => {
    const keys = await stageKeys(workflow);
    const view = await page.context().newPage();
    for (const { title, visits } of orders) {
      const order = await orderTitled(title);
      expect(
        order.stageHistory.map((v) => [v.stage, v.enteredAt]),
        title,
      ).toEqual(visits.map((v) => [keys.get(v.label), new Date(v.at).toISOString()]));
      await view.goto(`${server.url}/orders/${order.number}`);
      await view.locator(`[data-order-page="${order.number}"] [data-timeline]`).waitFor();
      expect(await view.locator('[data-timeline] .timeline-stage').allTextContents(), title).toEqual(visits.map((v) => v.label));
      const meta = await view.locator('[data-timeline] .timeline-meta').allTextContents();
      expect(
        meta.map((m) => m.split(' · ')[1]),
        title,
      ).toEqual(await Promise.all(visits.map((v) => stampText(view, v.at))));
    }
    await view.close();
  };

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

  it('imports a CSV event log: one order per case, its timeline the rows in time order, dated from the file', async () => {
    const file = fixture('event-log.csv');
    const keys = await stageKeys('custom-apparel');
    const rows = csvRecords(file);
    const cases = [...new Set(rows.map((r) => r.case_id!))].map((reference) => {
      const own = rows.filter((r) => r.case_id === reference);
      return {
        reference,
        title: own.find((r) => r.title)!.title!,
        visits: own
          .filter((r) => keys.has(r.activity!))
          .sort((a, b) => a.timestamp!.localeCompare(b.timestamp!))
          .map((r) => ({ label: r.activity!, at: r.timestamp! })),
      };
    });
    const page = await boardAs(browser, server.url, 'manager');
    // The file is named .csv: the manager says it is an event log.
    await upload(page, 'custom-apparel', { name: 'cases.csv', mimeType: 'text/csv', buffer: Buffer.from(file) }, 'csv-events');
    expect(await page.locator('[data-mapping="reference"]').inputValue()).toBe('case_id');
    expect(await page.locator('[data-mapping="stage"]').inputValue()).toBe('activity');
    expect(await page.locator('[data-mapping="at"]').inputValue()).toBe('timestamp');
    // The title and the order fields are chosen by hand, then checked again.
    await page.locator('[data-mapping="title"]').selectOption('title');
    await page.locator('[data-mapping="fields.garment"]').selectOption('garment');
    await page.locator('[data-mapping="fields.quantity"]').selectOption('quantity');
    await page.locator('[data-action="check-again"]').click();
    await page.locator('[data-action="confirm-import"]:not([disabled])').waitFor();
    expect(await page.locator('[data-import-counts]').textContent()).toContain(`${cases.length} new orders`);
    for (const c of cases) {
      expect(await page.locator(`[data-preview="${c.reference}"] .card-title`).textContent()).toBe(c.title);
      await expectTimeline(page, c.reference, c.visits);
    }
    await confirmImport(page);
    await expectImported(page, 'custom-apparel', cases);
  });

  it('imports an Excel workbook: its first sheet, with date cells as the stage dates', async () => {
    const keys = await stageKeys('custom-apparel');
    const d = (s: string) => new Date(`${s}Z`);
    const header = ['Order No', 'Title', 'Customer', 'Garment', 'Quantity', 'Due date', 'Status', 'Order received', 'On press'];
    const rows: unknown[][] = [
      [
        'XL-401',
        'Workbook hoodies',
        'Harbour FC',
        'Hoodie',
        12,
        d('2027-01-20T00:00:00'),
        'On press',
        d('2026-11-02T09:30:00'),
        d('2026-11-16T14:00:00'),
      ],
      [
        'XL-402',
        'Workbook caps',
        'Lumen Studio',
        'Cap',
        300,
        d('2027-01-22T00:00:00'),
        'Order received',
        d('2026-11-20T10:00:00'),
        null,
      ],
    ];
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('Orders');
    sheet.addRow(header);
    for (const r of rows) sheet.addRow(r);
    wb.addWorksheet('Notes').addRow(['this sheet is not read']);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    const orders = rows.map((r) => ({
      reference: r[0] as string,
      title: r[1] as string,
      visits: header
        .map((h, i) => ({ label: h, at: r[i] }))
        .filter((v): v is { label: string; at: Date } => keys.has(v.label) && v.at instanceof Date)
        .sort((a, b) => a.at.getTime() - b.at.getTime())
        .map((v) => ({ label: v.label, at: v.at.toISOString() })),
    }));

    const page = await boardAs(browser, server.url, 'manager');
    // The page knows a workbook by its name.
    await upload(page, 'custom-apparel', {
      name: 'orders.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer,
    });
    expect(await page.locator('select[name="source"]').inputValue()).toBe('xlsx');
    expect(await page.locator('[data-mapping="stage"]').inputValue()).toBe('Status');
    expect(await page.locator('[data-import-counts]').textContent()).toContain(`${rows.length} new orders`);
    for (const o of orders) await expectTimeline(page, o.reference, o.visits);
    await confirmImport(page);
    await expectImported(page, 'custom-apparel', orders);
  });

  it('imports a Trello board: lists as stages, cards as orders, each timeline the dates of its list moves', async () => {
    const name = 'trello-notes-test-board-export.json';
    const board = trelloFixture(name) as TrelloBoard;
    const workflow = 'notes-board';
    await (await apiAs(server.url, 'admin')).post('/workflows', {
      key: workflow,
      name: 'Notes board',
      orderPrefix: 'NTB',
      stages: board.lists.map((l) => ({
        key: l.name.toLowerCase().replace(/\W+/g, '_'),
        label: l.name,
        ownerRole: 'production',
        nextAction: `Work through ${l.name}`,
      })),
      fields: [],
    });
    const listName = (id: string) => board.lists.find((l) => l.id === id)!.name;
    const cards = board.cards.map((card) => ({
      reference: card.id,
      title: card.name.trim(),
      comments: board.actions.filter((a) => a.type === 'commentCard' && a.data.card.id === card.id).length,
      visits: trelloListMoves(board, card.id).map((m) => ({ label: listName(m.list), at: m.at })),
    }));

    const page = await boardAs(browser, server.url, 'manager');
    await upload(page, workflow, { name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(board)) });
    expect(await page.locator('select[name="source"]').inputValue()).toBe('trello');
    // Each list is proposed as the stage of the same name.
    for (const l of board.lists)
      expect(await page.locator(`[data-list="${l.name}"]`).inputValue()).toBe(l.name.toLowerCase().replace(/\W+/g, '_'));
    expect(await page.locator('[data-import-counts]').textContent()).toContain(`${cards.length} new orders`);
    for (const c of cards) {
      await expectTimeline(page, c.reference, c.visits);
      if (c.comments > 0)
        expect(await page.locator(`[data-preview="${c.reference}"]`).textContent()).toContain(`${c.comments} comments`);
    }
    await confirmImport(page);
    await expectImported(page, workflow, cards);
  });
});
