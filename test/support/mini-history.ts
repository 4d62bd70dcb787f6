// A small fixed history on a four-stage workflow, made through the API with a manual clock: every report figure
// about it is worked out by hand in test/api/reports.test.ts. Business calendar: UTC, Monday to Friday, 08:00-17:00.
import { expect } from 'vitest';
import type { Harness } from './harness.ts';

export const MINI = {
  key: 'mini',
  name: 'Mini line',
  orderPrefix: 'MIN',
  stages: [
    { key: 'todo', label: 'To do', ownerRole: 'sales', nextAction: 'Confirm it' },
    { key: 'make', label: 'Make', ownerRole: 'production', nextAction: 'Make it' },
    { key: 'ship', label: 'Ship', ownerRole: 'fulfillment', nextAction: 'Ship it', invoiceTrigger: true },
    { key: 'done', label: 'Done', ownerRole: 'service', nextAction: 'Ask how it went' },
  ],
  fields: [
    { key: 'quantity', label: 'Quantity', type: 'number', min: 1 },
    { key: 'unit_price', label: 'Unit price', type: 'money', visibleTo: ['sales', 'finance', 'manager', 'admin'] },
  ],
};

/** Where the story ends: Tuesday 1 December 2026, noon. */
export const MINI_NOW = '2026-12-01T12:00:00.000Z';

type Step = [at: string, action: () => Promise<unknown>];

/**
 * A: Tue 24 09:00 created (due Fri 27) - make 13:00 - ship Wed 25 10:00 - done Wed 25 15:00.
 * B: Tue 24 10:00 created, rush (due Wed 25) - make 11:00 - back to todo 16:00 - make Wed 25 09:00 - ship Fri 27 09:00 - done Mon 30 10:00.
 * C: Wed 25 09:00 created (due Thu 3 Dec) - make 12:00, still there.
 * D: Thu 26 09:00 created, high (due Thu 10 Dec) - cancelled 11:00 in todo.
 * E: Fri 27 16:00 created (due Fri 4 Dec), customer Bolt Ltd - still in todo.
 */
export async function makeMiniHistory(h: Harness): Promise<Record<'A' | 'B' | 'C' | 'D' | 'E', string>> {
  const res = await h.as('admin').post('/workflows', MINI);
  expect(res.statusCode, res.body).toBe(201);
  const numbers = {} as Record<'A' | 'B' | 'C' | 'D' | 'E', string>;
  const create = (name: 'A' | 'B' | 'C' | 'D' | 'E', body: Record<string, unknown>) => async () => {
    const r = await h.as('sales').post('/orders', { workflow: 'mini', title: `Order ${name}`, ...body });
    expect(r.statusCode, r.body).toBe(201);
    numbers[name] = r.json<{ number: string }>().number;
  };
  const move = (name: 'A' | 'B' | 'C' | 'D' | 'E', to: string, reason?: string) => async () => {
    const r = await h.as('manager').post(`/orders/${numbers[name]}/transitions`, { to, ...(reason ? { reason } : {}) });
    expect(r.statusCode, r.body).toBe(200);
  };
  const steps: Step[] = [
    [
      '2026-11-24T09:00:00Z',
      create('A', { customer: { name: 'Acme' }, dueDate: '2026-11-27', fields: { quantity: 40, unit_price: '18.50' } }),
    ],
    [
      '2026-11-24T10:00:00Z',
      create('B', {
        customer: { name: 'Bolt Ltd' },
        dueDate: '2026-11-25',
        priority: 'rush',
        fields: { quantity: 3, unit_price: '0.3333' },
      }),
    ],
    ['2026-11-24T11:00:00Z', move('B', 'make')],
    ['2026-11-24T13:00:00Z', move('A', 'make')],
    ['2026-11-24T16:00:00Z', move('B', 'todo', 'Wrong size printed')],
    ['2026-11-25T09:00:00Z', create('C', { customer: { name: 'ACME' }, dueDate: '2026-12-03', fields: { quantity: 5 } })],
    ['2026-11-25T09:00:00Z', move('B', 'make')],
    ['2026-11-25T10:00:00Z', move('A', 'ship')],
    ['2026-11-25T12:00:00Z', move('C', 'make')],
    ['2026-11-25T15:00:00Z', move('A', 'done')],
    ['2026-11-26T09:00:00Z', create('D', { customer: { name: 'Acme' }, dueDate: '2026-12-10', priority: 'high' })],
    [
      '2026-11-26T11:00:00Z',
      async () => {
        const r = await h.as('manager').post(`/orders/${numbers.D}/cancel`, { reason: 'Customer changed their mind' });
        expect(r.statusCode, r.body).toBe(200);
      },
    ],
    ['2026-11-27T09:00:00Z', move('B', 'ship')],
    ['2026-11-27T16:00:00Z', create('E', { customer: { name: 'Bolt Ltd' }, dueDate: '2026-12-04' })],
    ['2026-11-30T10:00:00Z', move('B', 'done')],
  ];
  for (const [at, action] of steps) {
    h.clock.set(at);
    await action();
  }
  h.clock.set(MINI_NOW);
  return numbers;
}
