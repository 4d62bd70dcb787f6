// Exports of orders and events (CSV and JSON) that respect field visibility, and the iCalendar feed of due dates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, startHarness } from '../support/harness.ts';
import { makeMiniHistory } from '../support/mini-history.ts';

let h: Harness;
let n: Record<'A' | 'B' | 'C' | 'D' | 'E', string>;
beforeAll(async () => {
  h = await startHarness();
  n = await makeMiniHistory(h);
});
afterAll(() => h.close());

/** Splits CSV text into rows of cells (quoted cells with commas, quotes and line breaks included). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('order export', () => {
  it('gives every order as CSV, with the fields the role may see', async () => {
    const res = await h.as('sales').get('/export/orders.csv?workflow=mini');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('orders.csv');
    const [header, ...rows] = parseCsv(res.body);
    expect(header).toContain('field.unit_price');
    expect(header).toContain('field.quantity');
    expect(rows.map((r) => r[1])).toEqual([n.A, n.B, n.C, n.D, n.E]);
    const a = Object.fromEntries(header!.map((k, i) => [k, rows[0]![i]]));
    expect(a).toMatchObject({
      number: n.A,
      state: 'completed',
      stage: 'done',
      'field.unit_price': '18.50',
      'field.quantity': '40',
      due_date: '2026-11-27',
    });
  });

  it('leaves out fields hidden from the role', async () => {
    const res = await h.as('production').get('/export/orders.csv?workflow=mini');
    const [header] = parseCsv(res.body);
    expect(header).not.toContain('field.unit_price');
    expect(res.body).not.toContain('18.50');
    const jsonRes = await h.as('production').get('/export/orders.json?workflow=mini');
    const orders = json<Array<{ number: string; fields: Record<string, unknown>; stageHistory: unknown[] }>>(jsonRes);
    expect(orders).toHaveLength(5);
    expect(orders[0]!.fields).toEqual({ quantity: 40 });
    expect(orders[1]!.stageHistory).toHaveLength(6);
    expect(jsonRes.body).not.toContain('trackingToken');
  });

  it('filters by state and creation date', async () => {
    const open = json<Array<{ number: string }>>(await h.as('viewer').get('/export/orders.json?workflow=mini&state=active'));
    expect(open.map((o) => o.number)).toEqual([n.C, n.E]);
    const late = json<Array<{ number: string }>>(await h.as('viewer').get('/export/orders.json?from=2026-11-26&to=2026-11-27'));
    expect(late.map((o) => o.number)).toEqual([n.D, n.E]);
  });
});

describe('event export', () => {
  it('gives the order events in chain order, without hidden fields', async () => {
    const res = await h.as('production').get('/export/events.csv?workflow=mini');
    expect(res.statusCode).toBe(200);
    const [header, ...rows] = parseCsv(res.body);
    expect(header).toEqual([
      'seq',
      'type',
      'at',
      'order_id',
      'order_number',
      'workflow',
      'order_version',
      'actor_kind',
      'actor_id',
      'actor_name',
      'data',
      'hash',
      'prev_hash',
    ]);
    const seqs = rows.map((r) => Number(r[0]));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(rows.filter((r) => r[1] === 'order.created')).toHaveLength(5);
    expect(rows.filter((r) => r[1] === 'order.stage_changed')).toHaveLength(9);
    expect(res.body).not.toContain('unit_price');
    const sales = await h.as('sales').get('/export/events.json?workflow=mini');
    expect(sales.body).toContain('unit_price');
  });

  it('includes workflow, user and token events for admins only', async () => {
    const viewer = json<Array<{ type: string }>>(await h.as('viewer').get('/export/events.json'));
    expect(viewer.every((e) => e.type.startsWith('order.') || e.type === 'comment.added')).toBe(true);
    const admin = json<Array<{ type: string }>>(await h.as('admin').get('/export/events.json'));
    expect(admin.some((e) => e.type === 'workflow.created')).toBe(true);
    expect(admin.length).toBeGreaterThan(viewer.length);
  });

  it('needs sign-in and refuses a bad filter', async () => {
    expect((await h.as(null).get('/export/orders.csv')).statusCode).toBe(401);
    expect((await h.as('viewer').get('/export/orders.csv?from=2026-12-02&to=2026-12-01')).statusCode).toBe(400);
    expect((await h.as('viewer').get('/export/orders.csv?workflow=nope')).statusCode).toBe(404);
  });
});

describe('calendar feed of due dates', () => {
  it('serves an iCalendar feed at a secret address that any calendar app can subscribe to', async () => {
    const made = await h.as('manager').post('/calendar-feeds', { workflow: 'mini' });
    expect(made.statusCode, made.body).toBe(201);
    const feed = json<{ id: string; url: string; webcalUrl: string }>(made);
    const path = new URL(feed.url).pathname;
    expect(path).toMatch(/^\/api\/v1\/calendar\/fbcal_[\w-]+\.ics$/);
    expect(feed.webcalUrl).toMatch(/^webcal:/);
    const res = await h.server.inject({ method: 'GET', url: path });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/calendar');
    const ics = res.body;
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    // C (due Thu 3 Dec) and E (due Fri 4 Dec) are open; A and B are done, D cancelled.
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded.match(/^DTSTART;VALUE=DATE:\d+$/gm)).toEqual(['DTSTART;VALUE=DATE:20261203', 'DTSTART;VALUE=DATE:20261204']);
    expect(unfolded).toContain(`SUMMARY:${n.C} due: Order C (ACME)`);
    expect(unfolded).toContain('DTEND;VALUE=DATE:20261204');
    expect((await h.as('manager').get('/calendar-feeds')).json()).toEqual({
      items: [{ id: feed.id, workflow: 'mini', mine: false, createdAt: expect.any(String) }],
    });
  });

  it("gives 'mine' only the orders whose stage the user's role owns", async () => {
    const feed = json<{ url: string }>(await h.as('production').post('/calendar-feeds', { mine: true }));
    const ics = (await h.server.inject({ method: 'GET', url: new URL(feed.url).pathname })).body.replace(/\r\n /g, '');
    expect(ics).toContain(n.C);
    expect(ics).not.toContain(n.E);
  });

  it('stops answering once the feed is deleted, and never for a made-up token', async () => {
    const feed = json<{ id: string; url: string }>(await h.as('sales').post('/calendar-feeds', {}));
    const path = new URL(feed.url).pathname;
    expect((await h.server.inject({ method: 'GET', url: path })).statusCode).toBe(200);
    expect((await h.as('viewer').delete(`/calendar-feeds/${feed.id}`)).statusCode).toBe(404);
    expect((await h.as('sales').delete(`/calendar-feeds/${feed.id}`)).statusCode).toBe(204);
    expect((await h.server.inject({ method: 'GET', url: path })).statusCode).toBe(404);
    const fake = await h.server.inject({ method: 'GET', url: `/api/v1/calendar/fbcal_${'x'.repeat(43)}.ics` });
    expect(fake.statusCode).toBe(404);
    expect((await h.server.inject({ method: 'GET', url: '/api/v1/calendar/nonsense' })).statusCode).toBe(400);
  });
});
