import { describe, expect, it } from 'vitest';
import type { CustomerRecord } from './customer.ts';
import { mergeRecords } from './merge.ts';

const record = (part: Partial<CustomerRecord>): CustomerRecord => ({
  id: 'x',
  name: 'X',
  email: null,
  contacts: [],
  addresses: [],
  notes: '',
  mergedInto: null,
  version: 1,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  ...part,
});

describe('merging one record into another', () => {
  it('keeps everything either knew, once: e-mail, contacts, addresses and notes', () => {
    const kept = record({
      id: 'a',
      name: 'Puffin Print Co',
      email: 'buyer@puffin.example',
      contacts: [{ name: 'Ola', email: 'ola@puffin.example', phone: null, role: null }],
      addresses: ['1 Quay St\nPortree'],
      notes: 'Net 30',
    });
    const gone = record({
      id: 'b',
      name: 'Puffin Printing',
      email: 'accounts@puffin.example',
      contacts: [
        { name: 'Ola N.', email: 'OLA@puffin.example', phone: '0123', role: null },
        { name: 'Sam', email: null, phone: '0456', role: 'driver' },
      ],
      addresses: ['1 Quay St\nPortree ', 'Unit 4, Harbour Rd'],
      notes: 'Side door',
    });
    const merged = mergeRecords(kept, gone);
    expect(merged.email).toBe('buyer@puffin.example');
    expect(merged.contacts.map((c) => c.name)).toEqual(['Ola', 'Puffin Printing', 'Sam']);
    expect(merged.addresses).toEqual(['1 Quay St\nPortree', 'Unit 4, Harbour Rd']);
    expect(merged.notes).toBe('Net 30\n\nFrom Puffin Printing:\nSide door');
  });

  it('takes the other e-mail when the kept record has none', () => {
    expect(mergeRecords(record({}), record({ email: 'a@b.example' })).email).toBe('a@b.example');
  });
});
