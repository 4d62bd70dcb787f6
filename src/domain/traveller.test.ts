import { describe, expect, it } from 'vitest';
import { CUSTOM_APPAREL } from '../demo/custom-apparel.ts';
import type { Order } from './order.ts';
import { printsField, stationUrl, travellerOf } from './traveller.ts';
import type { Workflow } from './workflow.ts';

const wf: Workflow = {
  ...CUSTOM_APPAREL,
  version: 1,
  fields: [
    ...CUSTOM_APPAREL.fields,
    { key: 'press_notes', label: 'Press notes', type: 'text', visibleTo: ['production', 'manager', 'admin'] },
    { key: 'deposit', label: 'Deposit', type: 'money' },
  ],
};

const order: Order = {
  id: 'o1',
  number: 'ORD-1042',
  workflow: wf.key,
  title: 'Team hoodies',
  customer: { name: 'Harbour FC', email: 'kit@harbourfc.example' },
  state: 'active',
  stage: 'scheduled',
  stageEnteredAt: '2026-11-24T09:00:00Z',
  dueDate: '2026-12-18',
  priority: 'rush',
  fields: { garment: 'Hoodie', quantity: 40, unit_price: '18.50', press_notes: 'Use the slow dryer', deposit: '100.00' },
  items: [],
  version: 7,
  createdAt: '2026-11-20T09:00:00Z',
  updatedAt: '2026-11-24T09:00:00Z',
  completedAt: null,
  holdReason: null,
};

const opts = {
  publicUrl: 'https://floor.example/',
  now: new Date('2026-11-24T14:05:00Z'),
  timeZone: 'Europe/London',
  printer: { role: 'admin' as const, name: 'Ada' },
};

describe('what a traveller carries', () => {
  it('leaves out a field one floor role may not see, and any amount of money, even for an admin', () => {
    expect(printsField(wf, 'garment', 'admin')).toBe(true);
    expect(printsField(wf, 'unit_price', 'admin')).toBe(false);
    expect(printsField(wf, 'press_notes', 'admin')).toBe(false);
    expect(printsField(wf, 'deposit', 'admin')).toBe(false);
    const labels = travellerOf(order, wf, opts).fields.map((f) => f.label);
    expect(labels).toContain('Garment');
    expect(labels).not.toContain('Unit price');
    expect(labels).not.toContain('Press notes');
    expect(labels).not.toContain('Deposit');
  });

  it('ticks the stages before the current one and prints the station address under the public one', () => {
    const t = travellerOf(order, wf, opts);
    expect(t.stages.map((s) => s.mark).slice(0, 5)).toEqual(['done', 'done', 'done', 'current', 'to-do']);
    expect(t.stationUrl).toBe('https://floor.example/station/ORD-1042');
    expect(stationUrl('https://x.example', 'A B')).toBe('https://x.example/station/A%20B');
    expect(t.printedAt).toBe('2026-11-24 14:05');
    expect(t.dueWords).toBe('Fri 18 Dec 2026');
    expect(t.version).toBe(7);
  });

  it('leaves an unset field blank to write on, and a checkbox as Yes or No', () => {
    const fields = Object.fromEntries(travellerOf(order, wf, opts).fields.map((f) => [f.label, f.value]));
    expect(fields['Print method']).toBe('');
    expect(fields['Proof approved by customer']).toBe('No');
    expect(fields.Quantity).toBe('40');
  });
});
