// Workflows (admin-managed, versioned) and the board built from them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOM_APPAREL } from '../../src/demo/custom-apparel.ts';
import { type Harness, json, newOrder, startHarness, writeCounts } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const SIGNS = {
  key: 'signs',
  name: 'Printed signs',
  orderPrefix: 'SGN',
  stages: [
    {
      key: 'artwork',
      label: 'Awaiting artwork',
      ownerRole: 'sales',
      nextAction: 'Get print-ready artwork',
      stallAfterHours: 0.01,
    },
    { key: 'printing', label: 'Printing', ownerRole: 'production', nextAction: 'Print and laminate', wipLimit: 1 },
    { key: 'collected', label: 'Collected', ownerRole: 'fulfillment', nextAction: 'Nothing left to do' },
  ],
  fields: [{ key: 'width_mm', label: 'Width (mm)', type: 'number', min: 10, required: true }],
};

describe('workflows', () => {
  it('lets an admin create a workflow whose orders get its own prefix', async () => {
    const res = await h.as('admin').post('/workflows', SIGNS);
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({ key: 'signs', version: 1 });
    const order = await h
      .as('sales')
      .post('/orders', { workflow: 'signs', title: 'Shop sign', customer: { name: 'Café' }, fields: { width_mm: 900 } });
    expect(json(order).number).toMatch(/^SGN-\d+$/);
    expect(json<{ items: Array<{ key: string }> }>(await h.as('viewer').get('/workflows')).items.map((w) => w.key)).toEqual([
      'custom-apparel',
      'signs',
    ]);
    expect(json(await h.as('viewer').get('/workflows/signs')).stages).toHaveLength(3);
  });

  it('refuses workflows from anyone but an admin, and invalid definitions from anyone', async () => {
    expect((await h.as('manager').post('/workflows', { ...SIGNS, key: 'other' })).statusCode).toBe(403);
    const before = await writeCounts(h.db);
    const cases: Array<[string, unknown]> = [
      ['duplicate stage keys', { ...SIGNS, key: 'dup', stages: [SIGNS.stages[0], SIGNS.stages[0]] }],
      ['unknown requirement', { ...SIGNS, key: 'req', stages: [{ ...SIGNS.stages[0], requires: ['colour'] }, SIGNS.stages[1]] }],
      ['bad stage key', { ...SIGNS, key: 'badkey', stages: [{ ...SIGNS.stages[0], key: 'Awaiting Artwork' }, SIGNS.stages[1]] }],
      ['unknown role', { ...SIGNS, key: 'role', stages: [{ ...SIGNS.stages[0], ownerRole: 'intern' }, SIGNS.stages[1]] }],
      ['select without options', { ...SIGNS, key: 'sel', fields: [{ key: 'c', label: 'C', type: 'select' }] }],
      [
        'an option listed twice',
        { ...SIGNS, key: 'twice', fields: [{ key: 'c', label: 'C', type: 'select', options: ['Red', 'Blue', 'Red'] }] },
      ],
      ['one stage only', { ...SIGNS, key: 'one', stages: [SIGNS.stages[0]] }],
    ];
    for (const [what, body] of cases) {
      const res = await h.as('admin').post('/workflows', body);
      expect(res.statusCode, what).toBe(400);
      expect(json(res).type, what).toBe('validation-failed');
    }
    expect((await h.as('admin').post('/workflows', SIGNS)).statusCode).toBe(409);
    expect(await writeCounts(h.db)).toEqual(before);
  });

  it('revises a workflow as a new version; orders in flight keep their stage', async () => {
    const revised = {
      ...SIGNS,
      stages: [
        SIGNS.stages[0],
        { ...SIGNS.stages[1], label: 'On the printer' },
        { key: 'qa', label: 'Check', ownerRole: 'production', nextAction: 'Check' },
        SIGNS.stages[2],
      ],
    };
    const res = await h.as('admin').put('/workflows/signs', revised);
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ version: 2 });
    expect(json<{ stages: Array<{ label: string }> }>(await h.as('viewer').get('/workflows/signs')).stages[1]!.label).toBe(
      'On the printer',
    );
  });

  it('refuses to remove a stage that still holds orders, naming it', async () => {
    const withoutArtwork = { ...SIGNS, stages: SIGNS.stages.slice(1) };
    const res = await h.as('admin').put('/workflows/signs', withoutArtwork);
    expect(res.statusCode).toBe(409);
    expect(json(res)).toMatchObject({ type: 'stage-in-use', stages: ['artwork'] });
    expect(json(await h.as('viewer').get('/workflows/signs')).version).toBe(2);
  });

  it('answers 404 for an unknown workflow', async () => {
    expect((await h.as('viewer').get('/workflows/nope')).statusCode).toBe(404);
    expect(json(await h.as('admin').put('/workflows/nope', { ...SIGNS, key: 'nope' })).type).toBe('not-found');
  });
});

describe('the board', () => {
  it('shows a column per stage with counts and cards of open orders only, rush first', async () => {
    const normal = json<{ number: string }>(await h.as('sales').post('/orders', newOrder({ title: 'Board normal' })));
    const rush = json<{ number: string }>(
      await h.as('sales').post('/orders', newOrder({ title: 'Board rush', priority: 'rush' })),
    );
    const cancelled = json<{ number: string }>(await h.as('sales').post('/orders', newOrder({ title: 'Board cancelled' })));
    await h.as('manager').post(`/orders/${cancelled.number}/cancel`, { reason: 'Duplicate' });
    const held = json<{ number: string }>(await h.as('sales').post('/orders', newOrder({ title: 'Board held' })));
    await h.as('manager').post(`/orders/${held.number}/hold`, { reason: 'Waiting on customer' });

    const res = await h.as('production').get('/board?workflow=custom-apparel');
    expect(res.statusCode).toBe(200);
    const board = json<{
      workflow: { key: string };
      columns: Array<{
        stage: { key: string; label: string; ownerRole: string };
        count: number;
        cards: Array<Record<string, unknown>>;
      }>;
    }>(res);
    expect(board.columns.map((c) => c.stage.key)).toEqual(CUSTOM_APPAREL.stages.map((s) => s.key));
    const received = board.columns[0]!;
    expect(received.stage).toMatchObject({ label: 'Order received', ownerRole: 'sales' });
    const numbers = received.cards.map((c) => c.number);
    expect(numbers).toContain(normal.number);
    expect(numbers).not.toContain(cancelled.number);
    expect(numbers[0]).toBe(rush.number);
    expect(received.count).toBe(received.cards.length);
    expect(received.cards.find((c) => c.number === held.number)).toMatchObject({ state: 'on_hold', flags: ['on-hold'] });
    expect(received.cards[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        title: 'Board rush',
        customerName: 'Harbour FC',
        priority: 'rush',
        dueDate: '2026-12-18',
        stageEnteredAt: expect.any(String),
        flags: [],
        version: 1,
      }),
    );
  });

  it('marks a column over its WIP limit', async () => {
    for (const title of ['Sign A', 'Sign B']) {
      const o = json<{ number: string }>(
        await h.as('sales').post('/orders', { workflow: 'signs', title, customer: { name: 'Café' }, fields: { width_mm: 500 } }),
      );
      await h.as('sales').post(`/orders/${o.number}/transitions`, { to: 'printing' });
    }
    const board = json<{
      columns: Array<{ stage: { key: string }; count: number; wipLimit: number | null; overWipLimit: boolean }>;
    }>(await h.as('viewer').get('/board?workflow=signs'));
    expect(board.columns.find((c) => c.stage.key === 'printing')).toMatchObject({ count: 2, wipLimit: 1, overWipLimit: true });
  });

  it('needs a known workflow', async () => {
    expect((await h.as('viewer').get('/board?workflow=nope')).statusCode).toBe(404);
    expect((await h.as('viewer').get('/board')).statusCode).toBe(400);
  });
});
