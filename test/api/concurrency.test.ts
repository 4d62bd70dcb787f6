// No lost updates: versions are checked in the database, numbers stay unique under concurrent creation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOM_APPAREL } from '../../src/demo/custom-apparel.ts';
import { chainHash } from '../../src/domain/audit.ts';
import { rebuildOrder } from '../../src/domain/events.ts';
import { buildServer } from '../../src/http/server.ts';
import { orderEvents } from '../../src/store/events.ts';
import { writeOrderChangesAtOnce } from '../../src/store/order-changes.ts';
import { findOrders, stageVisits } from '../../src/store/orders.ts';
import { type Harness, json, newOrder, startHarness, testDbKind, writeCounts } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ poolSize: 20 });
});
afterAll(() => h.close());

async function created() {
  const res = await h.as('sales').post('/orders', newOrder());
  expect(res.statusCode).toBe(201);
  return json<{ id: string; number: string; version: number }>(res);
}

/** A value for each of the demo workflow's optional fields: edits of different fields must all land. */
const FIELD_VALUES: Record<string, unknown> = {
  print_method: 'DTG',
  colours: 3,
  supplier_eta: '2026-12-01',
  tracking_number: '1Z42',
  proof_approved: true,
};

describe('optimistic concurrency', () => {
  it('refuses a stale If-Match with 409 and changes nothing', async () => {
    const order = await created();
    await h.as('sales').patch(`/orders/${order.number}`, { title: 'Team hoodies, 2nd run' });
    const before = await writeCounts(h.db);
    const res = await h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'proof_approval' }, { 'if-match': '"1"' });
    expect(res.statusCode).toBe(409);
    expect(json(res)).toMatchObject({ type: 'version-conflict', currentVersion: 2 });
    expect(await writeCounts(h.db)).toEqual(before);
    expect(json(await h.as('sales').get(`/orders/${order.number}`))).toMatchObject({ stage: 'received', version: 2 });
  });

  it('refuses a stale expectedVersion in the body the same way', async () => {
    const order = await created();
    await h.as('sales').patch(`/orders/${order.id}`, { priority: 'rush' });
    const res = await h.as('sales').patch(`/orders/${order.id}`, { title: 'Lost edit', expectedVersion: 1 });
    expect(res.statusCode).toBe(409);
    expect(json(await h.as('sales').get(`/orders/${order.id}`)).title).toBe('Team hoodies');
  });

  it('of 20 concurrent moves of one order at the same version, exactly one wins', async () => {
    const order = await created();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        h.as('sales').post(`/orders/${order.number}/transitions`, { to: 'proof_approval', expectedVersion: order.version }),
      ),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(json(r).type).toBe('version-conflict');
    const events = json<{ items: Array<{ type: string }> }>(await h.as('sales').get(`/orders/${order.number}/events`)).items;
    expect(events.filter((e) => e.type === 'order.stage_changed')).toHaveLength(1);
    expect(json(await h.as('sales').get(`/orders/${order.number}`)).version).toBe(2);
  });

  it('moves 30 orders at once (sharing transactions), each exactly once, and refuses only the stale one among them', async () => {
    const orders = await Promise.all(Array.from({ length: 30 }, () => created()));
    const stale = orders[7]!;
    await h.as('sales').patch(`/orders/${stale.number}`, { priority: 'rush' });
    const results = await Promise.all(
      orders.map((o) =>
        h.as('sales').post(`/orders/${o.number}/transitions`, { to: 'proof_approval', expectedVersion: o.version }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(orders.map((o) => (o === stale ? 409 : 200)));
    for (const o of orders) {
      const after = json<{ stage: string; version: number; stageHistory: Array<{ stage: string; exitedAt: string | null }> }>(
        await h.as('sales').get(`/orders/${o.number}`),
      );
      if (o === stale) {
        expect(after).toMatchObject({ stage: 'received', version: 2 });
        continue;
      }
      expect(after).toMatchObject({ stage: 'proof_approval', version: 2 });
      // Each answer showed the order as it was stored (a move's answer: the entry of the stage it is in now).
      expect(json(results[orders.indexOf(o)]!).stageHistory).toEqual(after.stageHistory.slice(-1));
      expect(after.stageHistory.map((v) => [v.stage, v.exitedAt === null])).toEqual([
        ['received', false],
        ['proof_approval', true],
      ]);
      const events = json<{ items: Array<{ type: string }> }>(await h.as('sales').get(`/orders/${o.number}/events`)).items;
      expect(events.filter((e) => e.type === 'order.stage_changed')).toHaveLength(1);
    }
    expect(json<{ ok: boolean }>(await h.as('admin').get('/audit/verify')).ok).toBe(true);
  });

  it('applies every one of 10 concurrent edits that pinned no version: none is lost', async () => {
    const order = await created();
    const keys = Object.keys(FIELD_VALUES);
    const values = FIELD_VALUES;
    const results = await Promise.all([
      ...keys.map((k) => h.as('sales').patch(`/orders/${order.number}`, { fields: { [k]: values[k] } })),
      ...['a', 'b', 'c', 'd', 'e'].map((x) => h.as('service').post(`/orders/${order.number}/comments`, { body: `note ${x}` })),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201, 201, 201, 201, 201]);
    const after = json<{ version: number; fields: Record<string, unknown> }>(await h.as('sales').get(`/orders/${order.number}`));
    expect(after.version).toBe(1 + keys.length);
    expect(after.fields).toMatchObject(values);
  });

  it('gives 50 concurrent creations 50 different, consecutive numbers', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => h.as('sales').post('/orders', newOrder({ title: `Rush ${i}` }))),
    );
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    const numbers = results.map((r) => Number(json<{ number: string }>(r).number.replace('ORD-', ''))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(50);
    expect(numbers[49]! - numbers[0]!).toBe(49);
    const later = json<{ number: string }>(await h.as('sales').post('/orders', newOrder()));
    expect(Number(later.number.replace('ORD-', ''))).toBe(numbers[49]! + 1);
  });
});

describe.runIf(testDbKind() === 'postgres')('two servers changing the same orders on one PostgreSQL database', () => {
  // Each server reads and decides without a transaction and writes at the version it read: whichever writes
  // second finds the version moved on, and decides that change again on what the other wrote.
  it('applies every edit and comment sent at once through both servers, each on the state before it', async () => {
    const order = await created();
    const values = FIELD_VALUES;
    const otherDb = h.reopen!();
    const other = await buildServer({ db: otherDb, clock: h.clock }, { writesPerMinute: 0 });
    await other.ready();
    const via = (server: 0 | 1, method: 'PATCH' | 'POST', url: string, payload: object, role: 'sales' | 'service') =>
      server === 0
        ? role === 'sales'
          ? h.as(role).patch(url, payload)
          : h.as(role).post(url, payload)
        : other.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${h.tokens[role]}` }, payload });
    try {
      const results = await Promise.all([
        ...Object.entries(values).map(([k, v], i) =>
          via((i % 2) as 0 | 1, 'PATCH', `/orders/${order.number}`, { fields: { [k]: v } }, 'sales'),
        ),
        ...[0, 1, 2, 3, 4, 5].map((i) =>
          via((i % 2) as 0 | 1, 'POST', `/orders/${order.number}/comments`, { body: `note ${i}` }, 'service'),
        ),
      ]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201, 201, 201, 201, 201, 201]);

      const [stored] = await findOrders(h.db.kysely, [order.id]);
      expect(stored!.version).toBe(6);
      expect(stored!.fields).toMatchObject(values);
      const events = await orderEvents(h.db.kysely, order.id);
      // Every edit was decided on the version before it: one event per version, none written over a stale one.
      expect(events.filter((e) => e.type === 'order.updated').map((e) => e.orderVersion)).toEqual([2, 3, 4, 5, 6]);
      expect(events.filter((e) => e.type === 'comment.added')).toHaveLength(6);
      // A comment is recorded at the version the order had when it was written.
      let version = 0;
      for (const e of events) {
        expect(e.orderVersion!).toBeGreaterThanOrEqual(version);
        version = e.orderVersion!;
      }
      const { id: _id, trackingToken: _t, ...state } = stored!;
      expect(rebuildOrder(events)).toEqual(state);
      expect(json<{ ok: boolean }>(await h.as('admin').get('/audit/verify')).ok).toBe(true);
    } finally {
      await other.close();
      await otherDb.close();
    }
  });

  // 120 edits of one order, none pinned to a version, each touching a field no other changes: the order is busy, not
  // in conflict, so every edit waits its turn and lands; only an edit pinned to a version gone by is refused.
  it('lands all of 120 concurrent unpinned edits of different fields sent through both servers', async () => {
    const keys = Array.from({ length: 120 }, (_, i) => `note_${String(i).padStart(3, '0')}`);
    const stage = (key: string) => ({ key, label: key, ownerRole: 'sales', nextAction: `Finish ${key}` });
    const workflow = {
      key: 'many-fields',
      name: 'Many fields',
      orderPrefix: 'MF',
      stages: [stage('a'), stage('b')],
      fields: keys.map((key) => ({ key, label: key, type: 'text' })),
    };
    expect((await h.as('admin').post('/workflows', workflow)).statusCode).toBe(201);
    const order = json<{ id: string; number: string }>(
      await h.as('sales').post('/orders', { workflow: 'many-fields', title: 'Busy', customer: { name: 'Busy' } }),
    );
    const otherDb = h.reopen!();
    const other = await buildServer({ db: otherDb, clock: h.clock }, { writesPerMinute: 0 });
    await other.ready();
    try {
      const results = await Promise.all(
        keys.map((key, i) =>
          i % 2 === 0
            ? h.as('sales').patch(`/orders/${order.number}`, { fields: { [key]: `value ${i}` } })
            : other.inject({
                method: 'PATCH',
                url: `/api/v1/orders/${order.number}`,
                headers: { authorization: `Bearer ${h.tokens.sales}` },
                payload: { fields: { [key]: `value ${i}` } },
              }),
        ),
      );
      const refused = results.filter((r) => r.statusCode !== 200).map((r) => r.body);
      expect(refused).toEqual([]);
      const [stored] = await findOrders(h.db.kysely, [order.id]);
      expect(stored!.version).toBe(1 + keys.length);
      expect(stored!.fields).toEqual(Object.fromEntries(keys.map((key, i) => [key, `value ${i}`])));
      const events = await orderEvents(h.db.kysely, order.id);
      expect(events.filter((e) => e.type === 'order.updated').map((e) => e.orderVersion)).toEqual(keys.map((_, i) => i + 2));

      const before = await writeCounts(h.db);
      const stale = await other.inject({
        method: 'PATCH',
        url: `/api/v1/orders/${order.number}`,
        headers: { authorization: `Bearer ${h.tokens.sales}`, 'if-match': '"1"' },
        payload: { fields: { note_000: 'too late' } },
      });
      expect(stale.statusCode, stale.body).toBe(409);
      expect(json<{ type: string }>(stale).type).toBe('version-conflict');
      expect(await writeCounts(h.db)).toEqual(before);
      expect(json<{ ok: boolean }>(await h.as('admin').get('/audit/verify')).ok).toBe(true);
    } finally {
      await other.close();
      await otherDb.close();
    }
  });

  it('never leaves an order in a stage that a revision racing the move removed', async () => {
    const stage = (key: string) => ({ key, label: key, ownerRole: 'sales', nextAction: `Finish ${key}` });
    const otherDb = h.reopen!();
    const other = await buildServer({ db: otherDb, clock: h.clock }, { writesPerMinute: 0 });
    await other.ready();
    try {
      for (let i = 0; i < 12; i++) {
        const key = `race-${i}`;
        const full = { key, name: key, orderPrefix: `R${i}`, stages: [stage('a'), stage('b'), stage('c')], fields: [] };
        expect((await h.as('admin').post('/workflows', full)).statusCode).toBe(201);
        const order = json<{ number: string }>(
          await h.as('sales').post('/orders', { workflow: key, title: 'Race', customer: { name: 'Race' } }),
        );
        const [move, revision] = await Promise.all([
          other.inject({
            method: 'POST',
            url: `/api/v1/orders/${order.number}/transitions`,
            headers: { authorization: `Bearer ${h.tokens.admin}` },
            payload: { to: 'b' },
          }),
          h.as('admin').put(`/workflows/${key}`, { ...full, stages: [stage('a'), stage('c')] }),
        ]);
        // One of them wins: the move (and the revision is refused for the order now in b), or the revision.
        expect([move.statusCode, revision.statusCode], `${move.body} ${revision.body}`).not.toEqual([200, 200]);
        const stored = json<{ stage: string }>(await h.as('admin').get(`/orders/${order.number}`));
        const stages = json<{ stages: Array<{ key: string }> }>(await h.as('admin').get(`/workflows/${key}`)).stages;
        expect(stages.map((st) => st.key)).toContain(stored.stage);
      }
    } finally {
      await other.close();
      await otherDb.close();
    }
  });

  it('does not write an order by a workflow version that has since been revised', async () => {
    const order = await created();
    const [read] = await findOrders(h.db.kysely, [order.id]);
    const res = await h.as('admin').put('/workflows/custom-apparel', { ...CUSTOM_APPAREL, name: 'Custom apparel, revised' });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<{ version: number }>(res).version).toBe(2);
    const at = '2026-11-24T10:00:00.000Z';
    const before = await writeCounts(h.db);
    const written = await writeOrderChangesAtOnce(h.db.kysely, {
      workflowVersions: new Map([['custom-apparel', 1]]),
      saves: [{ order: { ...read!, title: 'Decided by version 1', version: 2, updatedAt: at }, expectedVersion: 1 }],
      unchanged: [],
      entries: [],
      events: [],
    });
    expect(written.saved.size).toBe(0);
    expect(await writeCounts(h.db)).toEqual(before);
    expect((await findOrders(h.db.kysely, [order.id]))[0]).toMatchObject({ title: 'Team hoodies', version: 1 });
  });

  it('writes a batch only for the orders still at the version it read: the stale one gets nothing at all', async () => {
    const [fresh, stale] = await Promise.all([created(), created()]);
    const read = await findOrders(h.db.kysely, [fresh.id, stale.id]);
    await h.as('sales').patch(`/orders/${stale.id}`, { priority: 'rush' });
    const before = await writeCounts(h.db);
    const at = '2026-11-24T10:00:00.000Z';
    const actor = { kind: 'system' as const, id: null, name: 'Floorboard' };
    const moved = read.map((o) => ({ ...o, stage: 'proof_approval', stageEnteredAt: at, version: o.version + 1, updatedAt: at }));
    const { version: workflowVersion } = json<{ version: number }>(await h.as('admin').get('/workflows/custom-apparel'));
    const written = await writeOrderChangesAtOnce(h.db.kysely, {
      workflowVersions: new Map([['custom-apparel', workflowVersion]]),
      saves: moved.map((o) => ({ order: o, expectedVersion: o.version - 1 })),
      unchanged: [],
      entries: moved.map((o) => ({ orderId: o.id, stage: 'proof_approval', at, by: { id: null, name: 'Floorboard' } })),
      events: moved.map((o) => ({
        type: 'order.stage_changed' as const,
        at,
        orderId: o.id,
        orderVersion: o.version,
        actor,
        data: { from: 'received', to: 'proof_approval', reason: null, override: false, kind: 'forward' },
      })),
    });

    expect([...written.saved]).toEqual([fresh.id]);
    const freshIndex = moved.findIndex((o) => o.id === fresh.id);
    expect(written.chained[1 - freshIndex]).toBeUndefined();
    const chained = written.chained[freshIndex]!;
    expect(chained.hash).toBe(chainHash(chained.prevHash, chained, chained.salts));
    const after = await writeCounts(h.db);
    expect(after.events).toBe(before.events! + 1);
    expect(after.outbox).toBe(before.outbox! + 1);

    const [freshAfter, staleAfter] = await Promise.all([fresh.id, stale.id].map((id) => findOrders(h.db.kysely, [id])));
    expect(freshAfter![0]).toMatchObject({ stage: 'proof_approval', version: 2 });
    expect(staleAfter![0]).toMatchObject({ stage: 'received', version: 2, priority: 'rush' });
    const visits = await stageVisits(h.db.kysely, [fresh.id, stale.id]);
    expect(visits.get(fresh.id)!.map((v) => [v.stage, v.exitedAt])).toEqual([
      ['received', at],
      ['proof_approval', null],
    ]);
    expect(visits.get(stale.id)!.map((v) => [v.stage, v.exitedAt])).toEqual([['received', null]]);
    expect(json<{ ok: boolean }>(await h.as('admin').get('/audit/verify')).ok).toBe(true);
  });
});
