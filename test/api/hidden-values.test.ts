// Hidden field values probed as an attacker with an ordinary account would: through a removed field, through the
// history's hashes, and the other side of the rule: who may give a hidden field a value.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOM_APPAREL } from '../../src/demo/custom-apparel.ts';
import { checksOut, type ReadEvent } from '../../src/domain/audit.ts';
import { canonicalJson } from '../../src/domain/canonical-json.ts';
import type { Role } from '../../src/domain/roles.ts';
import { OutboxDispatcher } from '../../src/jobs/dispatcher.ts';
import { type Harness, json, newOrder, startHarness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

type Field = (typeof CUSTOM_APPAREL.fields)[number] & { visibleTo?: Role[] };

/** Revises the demo workflow to have these extra fields besides its own. */
async function reviseWith(extra: Field[]): Promise<void> {
  const current = json<Record<string, unknown> & { fields: Field[] }>(await h.as('admin').get('/workflows/custom-apparel'));
  const { version: _v, ...def } = current;
  const own = CUSTOM_APPAREL.fields.map((f) => f.key);
  const res = await h.as('admin').put('/workflows/custom-apparel', {
    ...def,
    fields: [...def.fields.filter((f) => own.includes(f.key)), ...extra],
  });
  expect(res.statusCode, res.body).toBe(200);
}

describe('a field removed from the workflow', () => {
  it('keeps its values as hidden as they ever were: production reads no old margin anywhere', async () => {
    const margin = '1357.91';
    await reviseWith([{ key: 'margin', label: 'Margin', type: 'money', visibleTo: ['finance', 'sales'] }]);
    const order = json<{ number: string; id: string }>(await h.as('sales').post('/orders', newOrder()));
    expect((await h.as('sales').patch(`/orders/${order.number}`, { fields: { margin } })).statusCode).toBe(200);
    await reviseWith([{ key: 'margin', label: 'Margin', type: 'money', visibleTo: ['finance'] }]);
    await reviseWith([]);
    const dispatcher = new OutboxDispatcher(h.app);
    while ((await dispatcher.dispatchOnce()) > 0);

    for (const role of ['production', 'sales', 'viewer', 'finance', 'manager'] as const) {
      for (const url of [
        `/orders/${order.number}`,
        `/orders/${order.number}/events`,
        '/orders?limit=200',
        '/export/orders.csv',
        '/export/events.csv',
      ]) {
        const res = await h.as(role).get(url);
        expect(res.statusCode, `${role} ${url}`).toBe(200);
        expect(res.body, `${role} ${url}`).not.toContain(margin);
      }
    }
    // The value is not lost: admins still read it.
    expect(json<{ fields: Record<string, unknown> }>(await h.as('admin').get(`/orders/${order.number}`)).fields.margin).toBe(
      margin,
    );
  });
});

describe('a field visible to one role that does not edit orders', () => {
  it('can be set by admins and managers, and read by that role; others may not set it', async () => {
    await reviseWith([{ key: 'cost_code', label: 'Cost code', type: 'text', visibleTo: ['finance'] }]);
    const order = json<{ number: string }>(await h.as('sales').post('/orders', newOrder()));
    const set = (role: Role, value: string) => h.as(role).patch(`/orders/${order.number}`, { fields: { cost_code: value } });

    const byAdmin = await set('admin', 'CC-11');
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    expect(byAdmin.body).not.toContain('CC-11');
    expect(json<{ fields: Record<string, unknown> }>(await h.as('finance').get(`/orders/${order.number}`)).fields.cost_code).toBe(
      'CC-11',
    );
    expect((await set('manager', 'CC-22')).statusCode).toBe(200);
    expect(json<{ fields: Record<string, unknown> }>(await h.as('finance').get(`/orders/${order.number}`)).fields.cost_code).toBe(
      'CC-22',
    );
    // At creation too.
    const created = await h
      .as('manager')
      .post('/orders', newOrder({ fields: { ...(newOrder().fields as object), cost_code: 'CC-33' } }));
    expect(created.statusCode, created.body).toBe(201);

    const bySales = await set('sales', 'CC-44');
    expect(bySales.statusCode).toBe(400);
    expect(json<{ errors: Array<{ path: string; message: string }> }>(bySales).errors).toContainEqual({
      path: 'fields.cost_code',
      message: 'is not a field you may change',
    });
    expect((await set('finance', 'CC-55')).statusCode).toBe(403);
    expect((await set('production', 'CC-66')).statusCode).toBe(403);
    expect(json<{ fields: Record<string, unknown> }>(await h.as('finance').get(`/orders/${order.number}`)).fields.cost_code).toBe(
      'CC-22',
    );
  });
});

describe("the history's hashes", () => {
  const price = '4321.98';
  /** Every guess an attacker would try: the real price among its neighbours. */
  const guesses = Array.from({ length: 201 }, (_, i) => (4320 + i / 100).toFixed(2));
  const sha = (...parts: string[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest('hex');

  it('cannot confirm a unit price hidden from production, whatever production reads', async () => {
    const order = json<{ number: string }>(
      await h.as('sales').post('/orders', newOrder({ fields: { ...(newOrder().fields as object), unit_price: price } })),
    );
    await h.as('sales').patch(`/orders/${order.number}`, { fields: { unit_price: '4400.00' } });
    const events = json<{ items: ReadEvent[] }>(await h.as('production').get(`/orders/${order.number}/events`)).items;
    const read = JSON.stringify(events) + (await h.as('production').get('/export/events.csv')).body;
    expect(read).not.toContain(price);
    const created = events.find((e) => e.type === 'order.created')!;
    expect(created.data.fields).not.toHaveProperty('unit_price');

    // The attack as it worked: the event's canonical JSON with the guessed price put back.
    const { hash, prevHash, sealed: _s, salts: _t, ...body } = created;
    const withGuess = (g: string) =>
      canonicalJson({ ...body, data: { ...body.data, fields: { ...(body.data.fields as object), unit_price: g } } });
    for (const g of guesses) expect(sha(prevHash, withGuess(g)), g).not.toBe(hash);
    // Nor can a guess open any of the commitments, with any random-looking string production can read as the salt.
    const candidates = [...new Set(read.match(/[0-9a-f]{32,64}/g) ?? []), ''];
    for (const e of events) {
      for (const c of e.sealed) {
        for (const salt of candidates) {
          for (const g of [price, '4400.00']) {
            expect(sha(salt, canonicalJson(['fields', 'unit_price', g]))).not.toBe(c);
            expect(
              sha(salt, canonicalJson(['changes', 0, { after: '4400.00', before: g, field: 'fields.unit_price' }])),
            ).not.toBe(c);
          }
        }
      }
    }
    // Yet production can check every event it reads, and so can sales, who sees the price.
    for (const role of ['production', 'sales', 'admin'] as const) {
      const items = json<{ items: ReadEvent[] }>(await h.as(role).get(`/orders/${order.number}/events`)).items;
      for (const e of items) expect(checksOut(e), `${role} ${e.type}`).toBe(true);
    }
  });

  it('still lets audit verify detect an edited field value or an edited salt', async () => {
    const order = json<{ id: string; number: string }>(await h.as('sales').post('/orders', newOrder()));
    const row = await h.db.kysely
      .selectFrom('events')
      .selectAll()
      .where('order_id', '=', order.id)
      .where('type', '=', 'order.created')
      .executeTakeFirstOrThrow();
    const salts = JSON.parse(row.salts) as Record<string, string>;
    expect(Object.keys(salts)).toContain('fields.unit_price');
    const edits = [
      { data: row.data.replace('"18.50"', '"1.00"'), salts: row.salts },
      { data: row.data, salts: JSON.stringify({ ...salts, 'fields.unit_price': '0'.repeat(32) }) },
      { data: row.data, salts: '{}' },
    ];
    for (const edit of edits) {
      expect(edit.data !== row.data || edit.salts !== row.salts).toBe(true);
      await sql`update events set data = ${edit.data}, salts = ${edit.salts} where seq = ${row.seq}`.execute(h.db.kysely);
      try {
        const report = json<{ ok: boolean; broken: { seq: number; problem: string } }>(await h.as('admin').get('/audit/verify'));
        expect(report.broken).toMatchObject({ seq: row.seq, problem: 'hash-mismatch' });
      } finally {
        await sql`update events set data = ${row.data}, salts = ${row.salts} where seq = ${row.seq}`.execute(h.db.kysely);
      }
    }
    expect(json<{ ok: boolean }>(await h.as('admin').get('/audit/verify')).ok).toBe(true);
  });
});
