// The Reports page, the quote form and the forecast dates on cards and orders, in a real browser against the demo
// workspace: every figure on screen is checked against the API's answer to the same question.
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediumDay, shortDay } from '../../src/domain/date-format.ts';
import { apiAs, boardAs, launchChromium, type RunningServer, startServer } from './support.ts';

let server: RunningServer;
let browser: Browser;
let manager: Awaited<ReturnType<typeof apiAs>>;
let sales: Awaited<ReturnType<typeof apiAs>>;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  [manager, sales] = await Promise.all([apiAs(server.url, 'manager'), apiAs(server.url, 'sales')]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const SECTIONS = ['throughput', 'lead-time', 'stage-times', 'flow', 'wip', 'on-time', 'rework', 'capacity'] as const;

interface Throughput {
  weeks: Array<{ week: string; started: number; completed: number }>;
  started: number;
  completed: number;
}

function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** "13.8 days": how the page writes a number of days. */
function daysText(d: number): string {
  const r = Math.round(d * 10) / 10;
  return `${r} ${r === 1 ? 'day' : 'days'}`;
}

/**
 * A YYYY-MM-DD date as the page writes it ("Tue 22 Dec", or "18 Dec 2027"): the demo workspace's way (British
 * English, UTC), written by the app's one formatter, whatever the browser's own locale.
 */
async function dateInPage(_page: Page, date: string, style: 'calendar' | 'short'): Promise<string> {
  const workspace = { locale: 'en-GB', timeZone: 'UTC' };
  return style === 'calendar' ? mediumDay(date, workspace, Date.now()) : shortDay(date, workspace, Date.now());
}

const section = (page: Page, name: string) => page.locator(`[data-report="${name}"]`);

async function allReady(page: Page): Promise<void> {
  for (const name of SECTIONS) await page.locator(`[data-report="${name}"][data-ready="true"]`).waitFor();
}

/** The throughput table's weeks as the page shows them. */
function throughputTable(page: Page) {
  return section(page, 'throughput')
    .locator('tbody tr[data-week]')
    .evaluateAll((rows) =>
      rows.map((r) => ({
        week: r.getAttribute('data-week'),
        started: Number(r.querySelector('[data-started]')?.textContent),
        completed: Number(r.querySelector('[data-completed]')?.textContent),
      })),
    );
}

describe('the Reports page', () => {
  it('shows every report as a chart and a table with the same figures as the API', async () => {
    const page = await boardAs(browser, server.url, 'manager');
    const errors = watchForErrors(page);
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL(/\/reports/);
    await allReady(page);

    for (const name of SECTIONS) {
      const s = section(page, name);
      // A chart drawn on a canvas, announced with a sentence, and a table of the figures.
      expect(await s.locator('[data-chart] canvas').count(), name).toBeGreaterThan(0);
      const chart = s.locator('[data-chart]').first();
      expect(await chart.getAttribute('role'), name).toBe('img');
      expect((await chart.getAttribute('aria-label'))?.length, name).toBeGreaterThan(30);
      expect(await s.locator('table').count(), name).toBeGreaterThan(0);
      expect(await s.locator('[data-empty]').count(), name).toBe(0);
    }

    // The date inputs show the period the API chose (the last 12 weeks).
    const throughput = await manager.get<Throughput & { scope: { from: string; to: string } }>(
      '/reports/throughput?workflow=custom-apparel',
    );
    expect(await page.locator('[data-control="from"]').inputValue()).toBe(throughput.scope.from);
    expect(await page.locator('[data-control="to"]').inputValue()).toBe(throughput.scope.to);

    // Throughput: every week's started and completed counts.
    await section(page, 'throughput').getByText('Show table').click();
    expect(await throughputTable(page)).toEqual(throughput.weeks);
    expect(throughput.completed).toBeGreaterThan(0);

    // Lead time: p50/p85/p95 in words.
    const lead = await manager.get<{ leadTime: { days: { p50: number; p85: number; p95: number } } }>(
      '/reports/lead-time?workflow=custom-apparel',
    );
    const summary = section(page, 'lead-time').locator('[data-lead-summary]');
    expect(await summary.locator('[data-p50]').textContent()).toBe(daysText(lead.leadTime.days.p50));
    expect(await summary.locator('[data-p85]').textContent()).toBe(daysText(lead.leadTime.days.p85));
    expect(await summary.locator('[data-p95]').textContent()).toBe(daysText(lead.leadTime.days.p95));

    // Stage times: the bottleneck named, with the API's reason.
    const stages = await manager.get<{ bottleneck: { stage: string; label: string; why: string } }>(
      '/reports/stage-times?workflow=custom-apparel',
    );
    const bottleneck = section(page, 'stage-times').locator('[data-bottleneck]');
    expect(await bottleneck.getAttribute('data-bottleneck')).toBe(stages.bottleneck.stage);
    expect(await bottleneck.textContent()).toContain(`Bottleneck: ${stages.bottleneck.label} — ${stages.bottleneck.why}`);

    // Cumulative flow: a row per day.
    const flow = await manager.get<{ days: string[] }>('/reports/flow?workflow=custom-apparel');
    expect(await section(page, 'flow').locator('tbody tr[data-day]').count()).toBe(flow.days.length);

    // Work in progress: the open orders, worst first, each linking to its order page.
    const wip = await manager.get<{ total: number; orders: Array<{ number: string; band: string }> }>(
      '/reports/wip?workflow=custom-apparel',
    );
    const rows = section(page, 'wip').locator('[data-table="wip-orders"] tbody tr');
    expect(await rows.evaluateAll((r) => r.map((e) => e.getAttribute('data-order')))).toEqual(
      wip.orders.slice(0, 200).map((o) => o.number),
    );
    const first = wip.orders[0]!;
    await section(page, 'wip').getByText('Show tables').click();
    expect(await rows.first().getByRole('link', { name: first.number }).getAttribute('href')).toBe(`/orders/${first.number}`);
    expect(await section(page, 'wip').locator('[data-total]').textContent()).toBe(`${wip.total} orders`);

    // On time: the rate as a big number, and the late orders with their days late.
    const onTime = await manager.get<{ rate: number; lateOrders: Array<{ number: string; daysLate: number }> }>(
      '/reports/on-time?workflow=custom-apparel',
    );
    expect(await section(page, 'on-time').locator('[data-rate]').textContent()).toBe(`${Math.round(onTime.rate * 100)}%`);
    for (const late of onTime.lateOrders) {
      const row = section(page, 'on-time').locator(`[data-table="late-orders"] tr[data-order="${late.number}"]`);
      expect(await row.locator('[data-days-late]').textContent()).toBe(String(late.daysLate));
    }

    // Rework: how many moves went back, and along which path.
    const rework = await manager.get<{ reworks: number; paths: Array<{ from: string; to: string; count: number }> }>(
      '/reports/rework?workflow=custom-apparel',
    );
    expect(await section(page, 'rework').locator('[data-reworks]').textContent()).toBe(String(rework.reworks));
    for (const p of rework.paths) {
      const row = section(page, 'rework').locator(`tr[data-path="${p.from}>${p.to}"]`);
      expect(await row.locator('td').last().textContent()).toBe(String(p.count));
    }

    // Capacity: the open orders per stage against the weekly pace.
    const capacity = await manager.get<{ stages: Array<{ stage: string; open: number }> }>(
      '/forecast/capacity?workflow=custom-apparel&weeks=12',
    );
    for (const s of capacity.stages) {
      expect(await section(page, 'capacity').locator(`tr[data-stage="${s.stage}"] [data-open]`).textContent(), s.stage).toBe(
        String(s.open),
      );
    }

    // Tooltips on hover, and nothing refused by the content security policy on the way (ECharts' HTML tooltips
    // would be: they carry inline styles).
    for (const name of ['throughput', 'wip']) {
      const chart = section(page, name).locator('[data-chart]').first();
      await chart.scrollIntoViewIfNeeded();
      const box = (await chart.boundingBox())!;
      for (const x of [0.3, 0.5, 0.7, 0.9]) {
        await page.mouse.move(box.x + box.width * x, box.y + box.height * 0.8, { steps: 4 });
        await page.waitForTimeout(150);
      }
    }
    expect(errors).toEqual([]);
  });

  it('filters by priority, customer and workflow, keeping the filters in the address', async () => {
    const admin = await apiAs(server.url, 'admin');
    await admin.post('/workflows', {
      key: 'embroidery',
      name: 'Embroidery',
      orderPrefix: 'EMB',
      stages: [
        { key: 'received', label: 'Received', ownerRole: 'sales', nextAction: 'Check the design' },
        { key: 'stitched', label: 'Stitched', ownerRole: 'production', nextAction: 'Ship it' },
      ],
      fields: [],
    });
    const page = await boardAs(browser, server.url, 'manager');
    await page.goto(`${server.url}/reports?workflow=custom-apparel`);
    await allReady(page);
    const all = await manager.get<Throughput>('/reports/throughput?workflow=custom-apparel');
    const rush = await manager.get<Throughput>('/reports/throughput?workflow=custom-apparel&priority=rush');
    const rushAndHigh = await manager.get<Throughput>('/reports/throughput?workflow=custom-apparel&priority=high,rush');
    expect(rush.started).toBeLessThan(all.started);

    await page.getByRole('checkbox', { name: 'Rush' }).check();
    await expect.poll(() => new URL(page.url()).searchParams.get('priority')).toBe('rush');
    await expect.poll(() => throughputTable(page)).toEqual(rush.weeks);
    await page.getByRole('checkbox', { name: 'High' }).check();
    await expect.poll(() => new URL(page.url()).searchParams.get('priority')).toBe('high,rush');
    await expect.poll(() => throughputTable(page)).toEqual(rushAndHigh.weeks);

    // The CSV link asks for the same figures, and answers CSV with its header row.
    const href = await section(page, 'throughput').locator('[data-csv]').getAttribute('href');
    expect(href).toBe('/api/v1/reports/throughput.csv?workflow=custom-apparel&priority=high%2Crush');
    const csv = await page.context().request.get(`${server.url}${href}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split(/\r\n/);
    expect(lines[0]).toBe('week,started,completed');
    expect(lines.slice(1).map((l) => l.split(',').map((v, i) => (i ? Number(v) : v)))).toEqual(
      rushAndHigh.weeks.map((w) => [w.week, w.started, w.completed]),
    );
    for (const name of SECTIONS) {
      const link = await section(page, name).locator('[data-csv]').getAttribute('href');
      const res = await page.context().request.get(`${server.url}${link}`);
      expect(res.status(), name).toBe(200);
      expect(res.headers()['content-type'], name).toMatch(/^text\/csv/);
      expect((await res.text()).split('\r\n')[0], name).toMatch(/^[a-z_]+,[a-z0-9_,-]+$/);
    }

    // A shared address opens the same view.
    await page.reload();
    await allReady(page);
    expect(await page.getByRole('checkbox', { name: 'Rush' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'High' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Normal' }).isChecked()).toBe(false);
    await expect.poll(() => throughputTable(page)).toEqual(rushAndHigh.weeks);

    // One customer's figures.
    await page.getByRole('checkbox', { name: 'Rush' }).uncheck();
    await page.getByRole('checkbox', { name: 'High' }).uncheck();
    const customers = await manager.get<{ items: Array<{ name: string; orders: number }> }>(
      '/reports/customers?workflow=custom-apparel',
    );
    const customer = customers.items[0]!.name;
    await page.locator('[data-control="customer"]').selectOption(customer);
    await expect.poll(() => new URL(page.url()).searchParams.get('customer')).toBe(customer);
    expect(new URL(page.url()).searchParams.get('priority')).toBeNull();
    const theirs = await manager.get<Throughput>(
      `/reports/throughput?workflow=custom-apparel&customer=${encodeURIComponent(customer)}`,
    );
    await expect.poll(() => throughputTable(page)).toEqual(theirs.weeks);

    // Another workflow, without any history yet: the reports say so in words, not as empty charts.
    await page.locator('[data-control="workflow"]').selectOption('embroidery');
    await expect.poll(() => new URL(page.url()).searchParams.get('workflow')).toBe('embroidery');
    expect(new URL(page.url()).searchParams.get('customer')).toBeNull();
    await allReady(page);
    expect(await section(page, 'throughput').locator('[data-empty]').textContent()).toBe(
      'No orders started or completed in this period.',
    );
    expect(await section(page, 'lead-time').locator('[data-empty]').textContent()).toBe('No orders completed in this period.');
    expect(await section(page, 'on-time').locator('[data-empty]').textContent()).toBe('No orders completed in this period.');
    expect(await section(page, 'wip').locator('[data-empty]').textContent()).toBe('No open orders right now.');
    for (const name of SECTIONS) expect(await section(page, name).locator('[data-chart]').count(), name).toBe(0);

    // Its quote says why there is no date.
    const quote = await manager.get<{ message: string; enoughHistory: boolean }>('/forecast/quote?workflow=embroidery');
    expect(quote.enoughHistory).toBe(false);
    const form = page.locator('[data-form="quote"]');
    expect(await form.locator('#quote-workflow').inputValue()).toBe('embroidery');
    await form.getByRole('button', { name: 'Get a date' }).click();
    expect(await page.locator('[data-quote="embroidery"] [data-quote-message]').textContent()).toBe(quote.message);
  });

  it("shows the API's own words when it refuses a filter", async () => {
    const page = await boardAs(browser, server.url, 'manager');
    const long = 'x'.repeat(201);
    const res = await page
      .context()
      .request.get(`${server.url}/api/v1/reports/throughput?workflow=custom-apparel&customer=${long}`);
    expect(res.status()).toBe(400);
    const { detail } = (await res.json()) as { detail: string };
    await page.goto(`${server.url}/reports?workflow=custom-apparel&customer=${long}`);
    const error = section(page, 'throughput').locator('[data-report-error]');
    await error.waitFor();
    expect(await error.textContent()).toBe(detail);
    expect(await section(page, 'rework').locator('[data-report-error]').textContent()).toBe(detail);
  });
});

describe('the quote form', () => {
  it('gives sales the dates the forecast gives, with the history and queue behind them', async () => {
    const page = await boardAs(browser, server.url, 'sales');
    // From the Sales home, and from the main navigation.
    await page.goto(`${server.url}/sales`);
    await page.locator('[data-action="open-quote"]').click();
    await page.waitForURL(/\/quote$/);
    expect(await page.locator('nav[aria-label="Main"] [aria-current="page"]').textContent()).toBe('Quote');

    await page.locator('#quote-workflow').selectOption('custom-apparel');
    await page.getByRole('button', { name: 'Get a date' }).click();
    const answer = page.locator('[data-quote="custom-apparel"]');
    await answer.waitFor();
    const quote = await sales.get<{
      enoughHistory: boolean;
      p50: string;
      p85: string;
      basedOn: { orders: number };
      queue: Array<{ open: number }>;
    }>('/forecast/quote?workflow=custom-apparel');
    expect(quote.enoughHistory).toBe(true);

    const p50 = answer.locator('time[data-p50]');
    const p85 = answer.locator('time[data-p85]');
    expect(await p50.getAttribute('datetime')).toBe(quote.p50);
    expect(await p85.getAttribute('datetime')).toBe(quote.p85);
    expect(await p50.textContent()).toBe(await dateInPage(page, quote.p50, 'calendar'));
    expect(await p85.textContent()).toBe(await dateInPage(page, quote.p85, 'calendar'));
    expect(await answer.locator('.quote-dates').textContent()).toBe(
      `An order started today would be done by ${await p50.textContent()}, and by ${await p85.textContent()} with 85% confidence.`,
    );
    const basedOn = answer.locator('[data-based-on]');
    expect(await basedOn.getAttribute('data-based-on')).toBe(String(quote.basedOn.orders));
    expect(await basedOn.textContent()).toContain(`based on ${quote.basedOn.orders} past orders`);
    const queued = quote.queue.reduce((n, s) => n + s.open, 0);
    expect(await basedOn.locator('[data-queue-total]').textContent()).toBe(`${queued} orders`);
    expect(await answer.locator('[data-table="quote-queue"] tbody tr').count()).toBe(quote.queue.length);
  });

  it('is not in the navigation of roles that do not quote', async () => {
    const page = await boardAs(browser, server.url, 'production');
    const nav = page.locator('nav[aria-label="Main"]');
    await nav.getByRole('link', { name: 'Reports' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Quote' }).count()).toBe(0);
  });
});

describe('expected done dates', () => {
  it('shows the forecast on a board card and on the order page', async () => {
    const board = await manager.get<{
      columns: Array<{ cards: Array<{ number: string; state: string; eta: { p50: string; p85: string } | null }> }>;
    }>('/board?workflow=custom-apparel');
    // Near the top of their column, so the board has them on screen.
    const cards = board.columns.flatMap((c) => c.cards.slice(0, 3));
    const forecast = cards.find((c) => c.eta !== null);
    const none = cards.find((c) => c.eta === null);
    expect(forecast).toBeDefined();
    const eta = forecast!.eta!;

    const page = await boardAs(browser, server.url, 'manager');
    const card = page.locator(`[data-board] [data-order="${forecast!.number}"]`);
    await card.scrollIntoViewIfNeeded();
    const shown = card.locator('[data-eta]');
    expect(await shown.getAttribute('data-eta')).toBe(eta.p50);
    expect(await shown.textContent()).toBe(`ETA ${await dateInPage(page, eta.p50, 'short')}`);
    expect(await shown.getAttribute('title')).toBe(
      `Expected done ${await dateInPage(page, eta.p50, 'calendar')}; 85% sure by ${await dateInPage(page, eta.p85, 'calendar')}`,
    );
    if (none) expect(await page.locator(`[data-board] [data-order="${none.number}"] [data-eta]`).count()).toBe(0);

    await page.goto(`${server.url}/orders/${forecast!.number}`);
    const line = page.locator('[data-order-page] [data-eta]');
    await line.waitFor();
    expect(await line.getAttribute('data-eta')).toBe(eta.p50);
    expect(await line.textContent()).toBe(
      `Expected done: ${await dateInPage(page, eta.p50, 'calendar')} (85% sure by ${await dateInPage(page, eta.p85, 'calendar')})`,
    );
    if (none) {
      await page.goto(`${server.url}/orders/${none.number}`);
      await page.locator(`[data-order-page="${none.number}"]`).waitFor();
      expect(await page.locator('[data-order-page] [data-eta]').count()).toBe(0);
    }
  });
});
