// Files as spreadsheet programs really write them, and files that are wrong: each read right or refused with a clear reason, nothing half-written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, startHarness, writeCounts } from '../support/harness.ts';
import { fixture, type Loose } from '../support/import-files.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const FIELDS = { garment: 'Garment', quantity: 'Qty' };

function dryRun(content: string, mapping: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return h.as('manager').post('/imports', {
    workflow: 'custom-apparel',
    source: 'csv',
    content,
    dryRun: true,
    mapping: { fields: FIELDS, ...mapping },
    ...extra,
  });
}

async function read(content: string, mapping: Record<string, unknown> = {}): Promise<Loose> {
  const res = await dryRun(content, mapping);
  expect(res.statusCode, res.body).toBe(200);
  return json<Loose>(res);
}

describe('files as spreadsheet programs write them', () => {
  it('reads semicolons, CRLF line ends, day-first dates and European decimals, skipping empty rows but keeping row numbers', async () => {
    const body = await read(fixture('european-semicolon.csv'), {
      stageDates: { received: 'Order received', proof_approval: 'Proof approved' },
      stageValues: { 'Proof approved': 'proof_approval' },
    });
    expect(body.errors).toEqual([]);
    expect(body.rows).toBe(2);
    expect(body.preview.map((p: Loose) => [p.row, p.reference, p.customer.name, p.fields.quantity, p.stage])).toEqual([
      [2, 'EU-1', 'Café Müller', 12, 'proof_approval'],
      [4, 'EU-2', 'Bäckerei Öz', 1200, 'received'],
    ]);
    expect(body.preview[0].stageHistory.map((v: Loose) => v.enteredAt)).toEqual([
      '2026-11-03T09:00:00.000Z',
      '2026-11-05T14:30:00.000Z',
    ]);
  });

  it('reads tab-separated UTF-8 with a byte-order mark the same as without one', async () => {
    const withBom = fixture('tab-bom.tsv');
    expect(withBom.charCodeAt(0)).toBe(0xfeff);
    const a = await read(withBom);
    const b = await read(withBom.slice(1));
    expect(a.errors).toEqual([]);
    expect(a.proposedMapping.number).toBe('Order No');
    expect(a.preview).toEqual(b.preview);
    expect(a.preview[0]).toMatchObject({
      reference: 'T-1',
      customer: { name: 'Tab Co' },
      fields: { garment: 'Hoodie', quantity: 5 },
    });
  });

  it('keeps a quoted newline inside its cell', async () => {
    const body = await read('Ref,Customer,Job,Garment,Qty\r\nQ-1,Acme,"Two lines\r\nof title",Cap,3\r\n', {
      reference: 'Ref',
      title: 'Job',
    });
    expect(body.preview[0].title).toBe('Two lines\r\nof title');
  });

  it('names a blank header after its column and tells repeated headers apart, with a warning for each', async () => {
    const body = await read('Ref,Customer,,Garment,Qty,Qty\nB-1,Acme,note,Cap,3,4\n', {
      reference: 'Ref',
      fields: { garment: 'Garment', quantity: 'Qty (2)' },
    });
    expect(body.errors).toEqual([]);
    expect(body.warnings.map((w: Loose) => w.column)).toEqual(['Column C', 'Qty (2)']);
    expect(body.preview[0].fields.quantity).toBe(4);
  });
});

describe('dates', () => {
  const file = (received: string, proof = '') => `Ref,Customer,Garment,Qty,Received,Proof\nD-1,Acme,Cap,3,${received},${proof}\n`;
  const stageDates = { received: 'Received', proof_approval: 'Proof' };

  it('refuses 31/02 naming its row and column, in the format chosen', async () => {
    const body = await read(file('31/02/2026'), { reference: 'Ref', stageDates, dateFormat: 'DD/MM/YYYY' });
    expect(body.errors).toEqual([
      { row: 2, column: 'Received', value: '31/02/2026', message: expect.stringContaining('not a real date') },
    ]);
  });

  it('reads only the chosen format: a month-first date in a day-first file is an error', async () => {
    const body = await read(file('11/03/2026', '11/25/2026'), { reference: 'Ref', stageDates, dateFormat: 'DD/MM/YYYY' });
    expect(body.errors).toEqual([expect.objectContaining({ row: 2, column: 'Proof', value: '11/25/2026' })]);
  });

  it('refuses a stage entered in the future', async () => {
    const body = await read(file('2026-11-20', '2026-12-24'), { reference: 'Ref', stageDates });
    expect(body.errors).toEqual([
      expect.objectContaining({ row: 2, column: 'Proof', value: '2026-12-24', message: expect.stringContaining('future') }),
    ]);
  });

  it('warns when stage dates are out of workflow order and follows the dates', async () => {
    const body = await read(file('2026-11-20', '2026-11-10'), { reference: 'Ref', stageDates });
    expect(body.errors).toEqual([]);
    expect(body.warnings).toEqual([
      expect.objectContaining({ row: 2, message: expect.stringContaining('out of workflow order') }),
    ]);
    expect(body.preview[0].stageHistory.map((v: Loose) => v.stage)).toEqual(['proof_approval', 'received']);
  });

  it('reads dates in the time zone the mapping names', async () => {
    const body = await read(file('2026-11-20 09:00'), { reference: 'Ref', stageDates, timeZone: 'Europe/Berlin' });
    expect(body.preview[0].stageHistory[0].enteredAt).toBe('2026-11-20T08:00:00.000Z');
    const bad = await dryRun(file('2026-11-20'), { reference: 'Ref', stageDates, timeZone: 'Mars/Olympus' });
    expect(bad.statusCode).toBe(400);
  });
});

describe('files that cannot be imported', () => {
  it('says a file is not text, is UTF-16, or is in an older encoding, and writes nothing', async () => {
    const before = await writeCounts(h.db);
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]), /not text/],
      [Buffer.from('\ufeffRef,Customer\n', 'utf16le'), /UTF-16/],
      [Buffer.from('Ref,Customer\nW-1,Caf\xe9\n', 'latin1'), /not text in UTF-8/],
    ];
    for (const [bytes, message] of cases) {
      const res = await h
        .as('manager')
        .post('/imports', { workflow: 'custom-apparel', source: 'csv', content: bytes.toString('base64'), encoding: 'base64' });
      expect(res.statusCode).toBe(422);
      expect(json<Loose>(res)).toMatchObject({
        type: 'import-invalid',
        errors: [{ row: null, message: expect.stringMatching(message) }],
      });
    }
    expect(await writeCounts(h.db)).toEqual(before);
  });

  it('refuses a file over the size limit, naming the limit', async () => {
    const res = await h
      .as('manager')
      .post('/imports', { workflow: 'custom-apparel', source: 'csv', content: 'x'.repeat(25 * 1024 * 1024 + 1) });
    expect(res.statusCode).toBe(413);
    expect(json<Loose>(res)).toMatchObject({
      type: 'payload-too-large',
      limit: 25 * 1024 * 1024,
      detail: expect.stringContaining('up to 25 MB'),
    });
  });

  it('names an unmapped stage value, a duplicated reference, a missing column and an empty customer, all at once', async () => {
    const content =
      'Ref,Customer,Garment,Qty,Status\nR-1,Acme,Cap,3,Order received\nR-1,Acme,Cap,3,Order received\nR-2,,Cap,3,Waiting on Bob\n';
    const body = await read(content, { reference: 'Ref' });
    expect(body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 3, column: 'Ref', value: 'R-1', message: expect.stringContaining('also on row 2') }),
        expect.objectContaining({ row: 4, column: 'Customer', message: "The customer's name is empty" }),
        expect.objectContaining({
          row: 4,
          column: 'Status',
          value: 'Waiting on Bob',
          message: '"Waiting on Bob" matches no stage: map it to one in stageValues',
        }),
      ]),
    );
    expect(body.unmappedValues).toEqual({ Status: { 'Waiting on Bob': 1 } });
    const missing = await read(content, { reference: 'Ref', dueDate: 'Deadline' });
    expect(missing.errors).toEqual([
      expect.objectContaining({ row: null, column: 'Deadline', message: expect.stringContaining('does not have') }),
    ]);
  });

  it('refuses an unknown workflow or source as a bad request', async () => {
    expect((await h.as('manager').post('/imports', { workflow: 'nope', source: 'csv', content: 'a' })).statusCode).toBe(400);
    expect((await h.as('manager').post('/imports', { workflow: 'custom-apparel', source: 'ods', content: 'a' })).statusCode).toBe(
      400,
    );
    expect((await h.as(null).post('/imports', { workflow: 'custom-apparel', source: 'csv', content: 'a' })).statusCode).toBe(401);
  });
});
