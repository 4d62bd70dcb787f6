// Hidden field values probed as an attacker with an ordinary account would: through a removed field, through the
// history's hashes, and the other side of the rule: who may give a hidden field a value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOM_APPAREL } from '../../src/demo/custom-apparel.ts';
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
