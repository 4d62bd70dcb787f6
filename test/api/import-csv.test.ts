// Importing a spreadsheet of orders (one row per order, a column per stage date): preview, history with the file's dates, re-import, refusal, undo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, startHarness, writeCounts } from '../support/harness.ts';
import { csvRecords, fixture, type Loose, utc } from '../support/import-files.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const FILE = fixture('apparel-orders.csv');
const STAGE_COLUMNS: Record<string, string> = {
  received: 'Order received',
  proof_approval: 'Proof approved',
  supplier_confirmation: 'Supplier confirmed',
  scheduled: 'Production scheduled',
  on_press: 'On press',
  quality_check: 'Quality check',
  ready_for_dispatch: 'Ready for dispatch',
  shipped: 'Shipped',
  delivered: 'Delivery confirmed',
};
const MAPPING = {
  stageDates: STAGE_COLUMNS,
  fields: { garment: 'Garment', quantity: 'Qty' },
  stageValues: { 'Awaiting customer proof approval': 'proof_approval' },
};

function importCsv(body: Record<string, unknown>, role: Parameters<Harness['as']>[0] = 'manager') {
  return h
    .as(role)
    .post('/imports', { workflow: 'custom-apparel', source: 'csv', content: FILE, fileName: 'apparel-orders.csv', ...body });
}

const STATUS: Record<string, string> = { 'Awaiting customer proof approval': 'proof_approval' };

/** Each row's stage entries as the file dates them, oldest first; a status with no date of its own is entered at the row's last date. */
function fileTimeline(row: Record<string, string>) {
  const dated = Object.entries(STAGE_COLUMNS)
    .filter(([, col]) => row[col])
    .map(([stage, col]) => ({ stage, enteredAt: utc(row[col]!) }))
    .sort((a, b) => a.enteredAt.localeCompare(b.enteredAt));
  const status = STATUS[row.Status!] ?? Object.keys(STAGE_COLUMNS).find((k) => STAGE_COLUMNS[k] === row.Status);
  if (status && dated.at(-1)?.stage !== status) dated.push({ stage: status, enteredAt: dated.at(-1)!.enteredAt });
  return dated;
}

describe('CSV import', () => {
  let importId: string;

  it('proposes a mapping from the headers and stage labels, previews the orders with their timelines, and writes nothing on a dry run', async () => {
    const before = await writeCounts(h.db);
    const res = await importCsv({ dryRun: true, mapping: { fields: { garment: 'Garment', quantity: 'Qty' } } });
    expect(res.statusCode, res.body).toBe(200);
    const body = json<Loose>(res);
    expect(body).toMatchObject({ id: null, dryRun: true, rows: 5, orders: { created: 5, updated: 0, unchanged: 0 }, errors: [] });
    // Headers named after the stages' labels are proposed; "Proof approved" and "Supplier confirmed" are not stage labels.
    expect(body.proposedMapping).toMatchObject({
      number: 'Order No',
      customerName: 'Customer',
      customerEmail: 'Customer email',
      dueDate: 'Due date',
      priority: 'Priority',
      stage: 'Status',
      stageDates: {
        received: 'Order received',
        scheduled: 'Production scheduled',
        on_press: 'On press',
        delivered: 'Delivery confirmed',
      },
    });
    expect(body.proposedMapping.stageDates.proof_approval).toBeUndefined();
    expect(body.preview).toHaveLength(5);
    expect(body.preview[2]).toMatchObject({
      reference: 'J-2043',
      action: 'create',
      stage: 'on_press',
      state: 'active',
      priority: 'rush',
    });
    expect(body.preview[4].title).toBe('Leavers hoodies\n(names on back)');
    expect(await writeCounts(h.db)).toEqual(before);
  });

  it('imports every order with the stage history the file dates, marked as imported, and records the file in the audit chain', async () => {
    const res = await importCsv({ mapping: MAPPING });
    expect(res.statusCode, res.body).toBe(201);
    const body = json<Loose>(res);
    importId = body.id;
    expect(body.orders).toEqual({ created: 5, updated: 0, unchanged: 0 });
    const rows = csvRecords(FILE);
    for (const row of rows) {
      const found = json<Loose>(await h.as('viewer').get(`/orders?q=${encodeURIComponent(row.Customer!)}`)).items[0];
      const order = json<Loose>(await h.as('viewer').get(`/orders/${found.id}`));
      const expected = fileTimeline(row);
      expect(order.stageHistory.map((v: Loose) => ({ stage: v.stage, enteredAt: v.enteredAt }))).toEqual(expected);
      // Each visit ends when the next begins.
      expect(order.stageHistory.slice(0, -1).map((v: Loose) => v.exitedAt)).toEqual(
        order.stageHistory.slice(1).map((v: Loose) => v.enteredAt),
      );
      expect(order.stageHistory[0]).toMatchObject({ recordedAt: '2026-11-24T09:00:00.000Z', source: { import: importId } });
      expect(order.stageEnteredAt).toBe(expected.at(-1)!.enteredAt);
      expect(order.createdAt).toBe(expected[0]!.enteredAt);
      expect(order.state).toBe(row.Status === 'Delivery confirmed' ? 'completed' : 'active');
      expect(order.fields).toMatchObject({ garment: row.Garment, quantity: Number(row.Qty) });
      expect(order.dueDate).toBe(row['Due date']);
      const events = json<Loose>(await h.as('viewer').get(`/orders/${found.id}/events`)).items;
      expect(events[0]).toMatchObject({
        type: 'order.created',
        at: expected[0]!.enteredAt,
        data: { import: importId, recordedAt: '2026-11-24T09:00:00.000Z' },
      });
      const moves = events.filter((e: Loose) => e.type === 'order.stage_changed');
      expect(moves.map((e: Loose) => [e.data.to, e.at])).toEqual(expected.slice(1).map((v) => [v.stage, v.enteredAt]));
      expect(events.every((e: Loose) => typeof e.data.row === 'number')).toBe(true);
    }
    const audit = json<Loose>(await h.as('admin').get('/audit/verify'));
    expect(audit.ok).toBe(true);
    const record = json<Loose>(await h.as('manager').get(`/imports/${importId}`));
    expect(record).toMatchObject({
      fileName: 'apparel-orders.csv',
      orders: { created: 5 },
      by: { kind: 'token', name: expect.stringContaining('Test manager') },
      undone: null,
    });
    expect(record.sha256).toMatch(/^[0-9a-f]{64}$/);
    const list = json<Loose>(await h.as('admin').get('/imports'));
    expect(list.items.map((i: Loose) => i.id)).toEqual([importId]);
  });

  it('shows the imported orders on the board with the time they have really spent in their stage, flagged as the rules say', async () => {
    const board = json<Loose>(await h.as('viewer').get('/board?workflow=custom-apparel'));
    const onPress = board.columns.find((c: Loose) => c.stage.key === 'on_press').cards;
    expect(onPress).toHaveLength(1);
    expect(onPress[0]).toMatchObject({ stageEnteredAt: utc('2026-11-20 09:30') });
    // Four days on press against a stall threshold of hours: stalled, as a native order would be.
    expect(onPress[0].flags).toContain('stalled');
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await writeCounts(h.db);
    const res = await importCsv({ mapping: MAPPING });
    expect(res.statusCode, res.body).toBe(201);
    expect(json<Loose>(res)).toMatchObject({ orders: { created: 0, updated: 0, unchanged: 5 }, events: 0 });
    const after = await writeCounts(h.db);
    // Only the import's own audit event is new.
    expect(after).toEqual({ ...before, events: (before.events ?? 0) + 1 });
  });

  it('updates an order from a changed row with new, dated events', async () => {
    const changed = FILE.replace('2026-11-20 09:30,,,,', '2026-11-20 09:30,2026-11-23 10:00,,,').replace(
      'J-2043,"Riverside Rowing Club",,Club hoodies,Hoodie,60,2026-12-05,rush,On press',
      'J-2043,"Riverside Rowing Club",,Club hoodies,Hoodie,64,2026-12-05,rush,Quality check',
    );
    const res = await importCsv({ content: changed, mapping: MAPPING });
    expect(res.statusCode, res.body).toBe(201);
    expect(json<Loose>(res)).toMatchObject({ orders: { created: 0, updated: 1, unchanged: 4 }, events: 2 });
    const found = json<Loose>(await h.as('viewer').get('/orders?q=Riverside')).items[0];
    const order = json<Loose>(await h.as('viewer').get(`/orders/${found.id}`));
    expect(order).toMatchObject({ stage: 'quality_check', stageEnteredAt: utc('2026-11-23 10:00'), fields: { quantity: 64 } });
    expect(order.stageHistory.at(-2)).toMatchObject({ stage: 'on_press', exitedAt: utc('2026-11-23 10:00') });
    const events = json<Loose>(await h.as('viewer').get(`/orders/${found.id}/events`)).items;
    expect(events.at(-2)).toMatchObject({
      type: 'order.stage_changed',
      at: utc('2026-11-23 10:00'),
      data: { from: 'on_press', to: 'quality_check' },
    });
    expect(events.at(-1)).toMatchObject({
      type: 'order.updated',
      data: { changes: [{ field: 'fields.quantity', before: 60, after: 64 }] },
    });
    expect(json<Loose>(await h.as('admin').get('/audit/verify')).ok).toBe(true);
  });

  it('refuses a file with any row error and writes nothing; the dry run lists every error by row and column', async () => {
    const bad = FILE.replace('2026-10-02 14:00', '31/02/2026')
      .replace('Hoodie,94', 'Hoodie,lots')
      .replace('Order received,2026-11-23 15:05', 'Parked,2026-11-23 15:05');
    const before = await writeCounts(h.db);
    const res = await importCsv({ content: bad, mapping: MAPPING });
    expect(res.statusCode).toBe(422);
    const problem = json<Loose>(res);
    expect(problem.type).toBe('import-invalid');
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 2, column: 'Proof approved', value: '31/02/2026' }),
        expect.objectContaining({ row: 6, column: 'Qty', value: 'lots' }),
        expect.objectContaining({ row: 6, column: 'Status', value: 'Parked', message: expect.stringContaining('"Parked"') }),
      ]),
    );
    expect(problem.unmappedValues).toEqual({ Status: { Parked: 1 } });
    expect(await writeCounts(h.db)).toEqual(before);
    const dry = await importCsv({ content: bad, mapping: MAPPING, dryRun: true });
    expect(dry.statusCode).toBe(200);
    expect(json<Loose>(dry).errors).toHaveLength(problem.errors.length);
  });

  it('lets only admins and managers import', async () => {
    for (const role of ['sales', 'production', 'viewer'] as const) {
      const res = await importCsv({ dryRun: true, mapping: MAPPING }, role);
      expect(res.statusCode).toBe(403);
      expect((await h.as(role).get('/imports')).statusCode).toBe(403);
    }
    expect((await importCsv({ dryRun: true, mapping: MAPPING }, 'admin')).statusCode).toBe(200);
  });

  it('undoes an import: cancels the orders it created that nobody changed since, with the reason', async () => {
    const lumen = json<Loose>(await h.as('viewer').get('/orders?q=Lumen')).items[0];
    const edited = await h.as('manager').patch(`/orders/${lumen.id}`, { priority: 'high' });
    expect(edited.statusCode, edited.body).toBe(200);
    expect((await h.as('manager').post(`/imports/${importId}/undo`, {})).statusCode).toBe(422);
    const res = await h.as('manager').post(`/imports/${importId}/undo`, { reason: 'Imported into the wrong workspace' });
    expect(res.statusCode, res.body).toBe(200);
    const body = json<Loose>(res);
    const numbers = (q: string) =>
      h
        .as('viewer')
        .get(`/orders?q=${q}`)
        .then((r) => json<Loose>(r).items[0]);
    const [harbour, northside, riverside, stAnnes] = await Promise.all(
      ['Harbour', 'Northside', 'Riverside', 'Anne'].map(numbers),
    );
    expect(body.cancelled.sort()).toEqual([northside.number, riverside.number, stAnnes.number].sort());
    expect(body.kept).toEqual(
      expect.arrayContaining([
        { number: lumen.number, why: 'changed-since' },
        { number: harbour.number, why: 'completed' },
      ]),
    );
    expect(json<Loose>(await h.as('viewer').get(`/orders/${stAnnes.id}`)).state).toBe('cancelled');
    const events = json<Loose>(await h.as('viewer').get(`/orders/${stAnnes.id}/events`)).items;
    expect(events.at(-1)).toMatchObject({ type: 'order.cancelled', data: { reason: 'Imported into the wrong workspace' } });
    expect(json<Loose>(await h.as('viewer').get(`/orders/${lumen.id}`)).state).toBe('active');
    expect(json<Loose>(await h.as('manager').get(`/imports/${importId}`)).undone).toMatchObject({
      reason: 'Imported into the wrong workspace',
      cancelled: 3,
    });
    expect((await h.as('manager').post(`/imports/${importId}/undo`, { reason: 'again' })).statusCode).toBe(409);
    expect(json<Loose>(await h.as('admin').get('/audit/verify')).ok).toBe(true);
  });
});
