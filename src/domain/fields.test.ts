import { describe, expect, it } from 'vitest';
import { CUSTOM_APPAREL as wf } from '../demo/custom-apparel.ts';
import { checkFieldValues, isCalendarDate, maySetField, visibleEventData, visibleFieldValues } from './fields.ts';
import { ROLES } from './roles.ts';
import type { FieldDef } from './workflow.ts';

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

  it('says a required checkbox must be ticked', () => {
    const agreed: FieldDef = { key: 'terms_agreed', label: 'Terms agreed', type: 'checkbox', required: true };
    const withBox = { ...wf, fields: [...wf.fields, agreed] };
    expect(checkFieldValues(withBox, { garment: 'Hoodie', quantity: 5, terms_agreed: false }, { requireRequired: true })).toEqual(
      [{ field: 'terms_agreed', message: 'Terms agreed must be ticked' }],
    );
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

  it('keeps the values of a field removed from the workflow for admins alone, in orders and in history', () => {
    const values = { garment: 'Cap', margin: '13.57' };
    const change = { changes: [{ field: 'fields.margin', before: null, after: '13.57' }], fields: values };
    for (const role of ROLES) {
      const sees = role === 'admin';
      expect(visibleFieldValues(wf, values, role), role).toEqual(sees ? values : { garment: 'Cap' });
      expect(JSON.stringify(visibleEventData(wf, change, role)).includes('13.57'), role).toBe(sees);
    }
  });

  it("passes on the changes of events that are not an order's field edits, which may name no field", () => {
    const settingsChange = { changes: [{ setting: 'calendar.timeZone', before: 'UTC', after: 'Europe/Berlin' }] };
    expect(visibleEventData(null, settingsChange, 'admin')).toEqual(settingsChange);
  });

  it('lets admins and managers set any field, and others who edit orders the fields they see', () => {
    const financeOnly: FieldDef = { key: 'cost_code', label: 'Cost code', type: 'text', visibleTo: ['finance'] };
    const open: FieldDef = { key: 'note', label: 'Note', type: 'text' };
    expect(ROLES.filter((r) => maySetField(financeOnly, r))).toEqual(['admin', 'manager']);
    expect(ROLES.filter((r) => maySetField(open, r))).toEqual(['admin', 'manager', 'sales', 'service']);
    const salesToo: FieldDef = { ...financeOnly, visibleTo: ['finance', 'sales', 'production'] };
    expect(ROLES.filter((r) => maySetField(salesToo, r))).toEqual(['admin', 'manager', 'sales']);
  });
});
