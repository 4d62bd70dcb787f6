// The import's dry run names the file's columns, so the Import page can offer them in its mapping dropdowns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, startHarness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('import columns', () => {
  it('lists every column of a spreadsheet, mapped or not, in the file order', async () => {
    const content = [
      '\uFEFFOrder No;Title;Customer;Garment;Quantity;Status;Order received;Notes for the press',
      'A-1;Club tees;Harbour FC;T-shirt;20;Order received;2026-11-02 09:00;rush the proof',
    ].join('\r\n');
    const res = await h.as('manager').post('/imports', { workflow: 'custom-apparel', source: 'csv', content, dryRun: true });
    expect(res.statusCode, res.body).toBe(200);
    const body = json<{ columns: string[]; errors: unknown[] }>(res);
    expect(body.columns).toEqual([
      'Order No',
      'Title',
      'Customer',
      'Garment',
      'Quantity',
      'Status',
      'Order received',
      'Notes for the press',
    ]);
  });

  it('lists none for a Trello board, whose lists are in the proposed mapping', async () => {
    const board = {
      id: 'b1',
      name: 'Orders',
      lists: [{ id: 'l1', name: 'Order received', closed: false, pos: 1 }],
      cards: [],
      actions: [],
      customFields: [],
    };
    const res = await h
      .as('manager')
      .post('/imports', { workflow: 'custom-apparel', source: 'trello', content: JSON.stringify(board), dryRun: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<{ columns: string[] }>(res).columns).toEqual([]);
  });
});
