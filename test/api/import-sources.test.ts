// Importing event logs (one row per stage entered), XLSX workbooks (first sheet) and multipart uploads.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, startHarness } from '../support/harness.ts';
import { csvRecords, fixture, type Loose, utc } from '../support/import-files.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function orderByReference(reference: string): Promise<Loose> {
  const row = await h.db.kysely
    .selectFrom('import_orders')
    .select('order_id')
    .where('reference', '=', reference)
    .executeTakeFirstOrThrow();
  return json<Loose>(await h.as('viewer').get(`/orders/${row.order_id}`));
}

const LABEL_TO_STAGE: Record<string, string> = {
  'Order received': 'received',
  'Awaiting customer proof approval': 'proof_approval',
  'Awaiting supplier confirmation': 'supplier_confirmation',
  'Production scheduled': 'scheduled',
  'On press': 'on_press',
};

describe('event log (csv-events)', () => {
  it('makes one order per case, its history the rows in time order, moves back recorded as rework and a cancelled case cancelled', async () => {
    const file = fixture('event-log.csv');
    const res = await h.as('manager').post('/imports', {
      workflow: 'custom-apparel',
      source: 'csv-events',
      content: file,
      mapping: { title: 'title', fields: { garment: 'garment', quantity: 'quantity' } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = json<Loose>(res);
    expect(body.proposedMapping).toMatchObject({
      reference: 'case_id',
      stage: 'activity',
      at: 'timestamp',
      customerName: 'customer',
    });
    expect(body.orders.created).toBe(3);
    const rows = csvRecords(file);
    for (const ref of ['C-100', 'C-101']) {
      const expected = rows
        .filter((r) => r.case_id === ref)
        .map((r) => ({ stage: LABEL_TO_STAGE[r.activity!], enteredAt: new Date(r.timestamp!).toISOString() }));
      const order = await orderByReference(ref);
      expect(order.stageHistory.map((v: Loose) => ({ stage: v.stage, enteredAt: v.enteredAt }))).toEqual(expected);
    }
    const c100 = await orderByReference('C-100');
    const events = json<Loose>(await h.as('viewer').get(`/orders/${c100.id}/events`)).items;
    expect(events.filter((e: Loose) => e.type === 'order.stage_changed').map((e: Loose) => e.data.kind)).toEqual([
      'forward',
      'forward',
      'forward',
      'forward',
      'rework',
      'forward',
    ]);
    const c102 = await orderByReference('C-102');
    expect(c102).toMatchObject({ state: 'cancelled', stage: 'received', fields: { garment: 'Polo shirt', quantity: 20 } });
  });
});

/** A workbook as a shop keeps one: a title row above the header would be wrong, so the header is row 1; dates are real date cells. */
async function workbook(rows: unknown[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Orders');
  for (const r of rows) sheet.addRow(r);
  wb.addWorksheet('Notes').addRow(['this sheet is not read']);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

describe('XLSX import', () => {
  it('reads the first sheet, with date cells and numbers as Excel stores them', async () => {
    const d = (s: string) => new Date(`${s}Z`);
    const content = await workbook([
      ['Job no', 'Client', 'Description', 'Garment', 'Quantity', 'Due', 'Status', 'Order received', 'On press'],
      [
        'X-1',
        'Harbour FC',
        'Coaches polos',
        'Polo shirt',
        12,
        d('2026-12-01T00:00:00'),
        'On press',
        d('2026-11-02T09:30:00'),
        d('2026-11-16T14:00:00'),
      ],
      [],
      [
        'X-2',
        'Lumen Studio',
        'Tote bags',
        'Tote bag',
        300,
        d('2026-12-20T00:00:00'),
        'Order received',
        d('2026-11-20T10:00:00'),
        null,
      ],
    ]);
    const res = await h.as('admin').post('/imports', {
      workflow: 'custom-apparel',
      source: 'xlsx',
      content,
      fileName: 'orders.xlsx',
      mapping: { reference: 'Job no', title: 'Description', stageDates: { received: 'Order received', on_press: 'On press' } },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(json<Loose>(res)).toMatchObject({ rows: 2, orders: { created: 2 } });
    const x1 = await orderByReference('X-1');
    expect(x1).toMatchObject({
      title: 'Coaches polos',
      customer: { name: 'Harbour FC' },
      dueDate: '2026-12-01',
      stage: 'on_press',
      fields: { quantity: 12 },
    });
    expect(x1.stageHistory.map((v: Loose) => [v.stage, v.enteredAt])).toEqual([
      ['received', utc('2026-11-02 09:30')],
      ['on_press', utc('2026-11-16 14:00')],
    ]);
    // The gap from "Order received" to "On press" is recorded as a skip, with the reason an import gives.
    const events = json<Loose>(await h.as('viewer').get(`/orders/${x1.id}/events`)).items;
    expect(events[1]).toMatchObject({
      type: 'order.stage_changed',
      data: { kind: 'skip', override: true, reason: 'Imported history' },
    });
  });

  it('says so when the content is not a workbook', async () => {
    const res = await h
      .as('admin')
      .post('/imports', { workflow: 'custom-apparel', source: 'xlsx', content: Buffer.from('a,b\n1,2').toString('base64') });
    expect(res.statusCode).toBe(422);
    expect(json<Loose>(res).errors[0].message).toContain('not an XLSX workbook');
  });
});

describe('multipart upload', () => {
  async function upload(file: Buffer | string, options: unknown, fileName = 'orders.csv') {
    const form = new FormData();
    form.set('options', JSON.stringify(options));
    form.set('file', new Blob([typeof file === 'string' ? file : new Uint8Array(file)]), fileName);
    const req = new Request('http://localhost/', { method: 'POST', body: form });
    const payload = Buffer.from(await req.arrayBuffer());
    return h.server.inject({
      method: 'POST',
      url: '/api/v1/imports',
      payload,
      headers: { authorization: `Bearer ${h.tokens.manager}`, 'content-type': req.headers.get('content-type')! },
    });
  }

  it('takes the file as a part and the options as JSON beside it, keeping the file name', async () => {
    const csv = 'Ref,Customer,Garment,Qty,Status\nM-1,Upload Co,Cap,10,Order received\n';
    const res = await upload(
      csv,
      {
        workflow: 'custom-apparel',
        source: 'csv',
        dryRun: true,
        mapping: { reference: 'Ref', fields: { garment: 'Garment', quantity: 'Qty' } },
      },
      'caps.csv',
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(json<Loose>(res)).toMatchObject({
      fileName: 'caps.csv',
      dryRun: true,
      orders: { created: 1 },
      preview: [{ reference: 'M-1', stage: 'received' }],
    });
  });

  it('refuses a binary file, an upload without a file, and options that are not valid', async () => {
    const binary = await upload(
      Buffer.from([0x00, 0x01, 0x02, 0xff, 0x10]),
      { workflow: 'custom-apparel', source: 'csv' },
      'photo.jpg',
    );
    expect(binary.statusCode).toBe(422);
    expect(json<Loose>(binary).errors[0].message).toMatch(/not text/);
    const form = new FormData();
    form.set('options', JSON.stringify({ workflow: 'custom-apparel', source: 'csv' }));
    const req = new Request('http://localhost/', { method: 'POST', body: form });
    const noFile = await h.server.inject({
      method: 'POST',
      url: '/api/v1/imports',
      payload: Buffer.from(await req.arrayBuffer()),
      headers: { authorization: `Bearer ${h.tokens.manager}`, 'content-type': req.headers.get('content-type')! },
    });
    expect(noFile.statusCode).toBe(400);
    expect(json<Loose>(noFile).detail).toContain('no file');
    const badOptions = await upload('a,b\n', { workflow: 'custom-apparel', source: 'pdf' });
    expect(badOptions.statusCode).toBe(400);
    expect(json<Loose>(badOptions).errors[0].path).toBe('options.source');
  });
});

describe('two imports at once', () => {
  it('never make an order twice: the second is refused or finds the orders the first made', async () => {
    const content = 'Ref,Customer,Garment,Qty,Status\nTW-1,Twin Co,Cap,3,Order received\nTW-2,Twin Co,Cap,4,Order received\n';
    const body = {
      workflow: 'custom-apparel',
      source: 'csv',
      content,
      mapping: { reference: 'Ref', fields: { garment: 'Garment', quantity: 'Qty' } },
    };
    const answers = await Promise.all([h.as('manager').post('/imports', body), h.as('admin').post('/imports', body)]);
    const codes = answers.map((a) => a.statusCode).sort();
    expect([
      [201, 201],
      [201, 409],
    ]).toContainEqual(codes);
    for (const a of answers) if (a.statusCode === 409) expect(json<Loose>(a).type).toBe('conflict');
    const orders = json<Loose>(await h.as('viewer').get('/orders?q=Twin%20Co')).items;
    expect(orders).toHaveLength(2);
    expect(json<Loose>(await h.as('admin').get('/audit/verify')).ok).toBe(true);
  });
});
