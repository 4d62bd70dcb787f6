import { describe, expect, it } from 'vitest';
import { invoiceAmount } from './invoice.ts';
import { formatMinor, toMinor } from './money.ts';
import type { WorkflowDefinition } from './workflow.ts';

describe('money', () => {
  it('adds decimal amounts exactly', () => {
    const sum = ['0.1', '0.2', '0.0001'].reduce((a, x) => a + toMinor(x)!, 0n);
    expect(formatMinor(sum)).toBe('0.3001');
    expect(formatMinor(toMinor('-12.5')!)).toBe('-12.50');
    expect(toMinor('12.345678')).toBeNull();
  });

  it('invoices unit prices times the quantity and other amounts as they stand', () => {
    const wf = {
      fields: [
        { key: 'quantity', label: 'Quantity', type: 'number' },
        { key: 'unit_price', label: 'Unit price', type: 'money' },
        { key: 'setup_fee', label: 'Setup fee', type: 'money' },
      ],
    } as WorkflowDefinition;
    const a = invoiceAmount(wf, { quantity: 3, unit_price: '0.1', setup_fee: '25.00' }, []);
    expect(a.total).toBe('25.30');
    expect(a.lines.map((l) => l.amount)).toEqual(['0.30', '25.00']);
    const byItems = invoiceAmount(wf, { unit_price: '2.50' }, [{ sku: null, description: 'x', quantity: 4 }]);
    expect(byItems.total).toBe('10.00');
    expect(invoiceAmount(wf, {}, []).total).toBeNull();
  });
});
