import { describe, expect, it } from 'vitest';
import { CUSTOM_APPAREL as wf } from '../demo/custom-apparel.ts';
import { checkFieldValues, isCalendarDate, visibleFieldValues } from './fields.ts';

describe('field values', () => {
  it('accepts values of the right type and reports each wrong one by field', () => {
    expect(
      checkFieldValues(
        wf,
        { garment: 'Hoodie', quantity: 3, unit_price: '12.50', supplier_eta: '2026-12-01' },
        { requireRequired: true },
      ),
    ).toEqual([]);
    const problems = checkFieldValues(
      wf,
      {
        garment: 'Kilt',
        quantity: 0,
        unit_price: 12.5,
        supplier_eta: '2026-02-30',
        artwork_url: 'ftp://x',
        proof_approved: 'yes',
        shoe_size: 9,
      },
      { requireRequired: false },
    );
    expect(problems.map((p) => p.field)).toEqual([
      'garment',
      'quantity',
      'unit_price',
      'supplier_eta',
      'artwork_url',
      'proof_approved',
      'shoe_size',
    ]);
  });

  it('requires the fields marked required at creation', () => {
    expect(checkFieldValues(wf, { quantity: 5 }, { requireRequired: true })).toEqual([
      { field: 'garment', message: 'Garment is required' },
    ]);
  });

  it('knows real calendar dates', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
  });

  it('hides fields from roles outside visibleTo', () => {
    const values = { garment: 'Cap', unit_price: '9.00' };
    expect(visibleFieldValues(wf, values, 'production')).toEqual({ garment: 'Cap' });
    expect(visibleFieldValues(wf, values, 'finance')).toEqual(values);
  });
});
