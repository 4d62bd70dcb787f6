// Field values in the audit chain: each sealed on its own by a salted commitment, so the chain's hashes say
// nothing about a value to a reader who may not see it, while anyone holding the value and its salt can check it.
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import { isFieldMap } from './fields.ts';

/** Each sealed value's salt (32 hex digits, 128 random bits) by the value's place in the event's data. */
export type Salts = Record<string, string>;

/** Random salt of 128 bits as hex: the caller's source of randomness (domain code does no I/O). */
export type SaltSource = () => string;

/**
 * One field value an event's data carries: a `fields` entry (`fields.<key>`) or the change of a field in an edit
 * (`changes.<index>`), with the field's key (whose visibility decides who may open it) and what is committed to.
 */
export interface SealedValue {
  id: string;
  field: string;
  committed: unknown;
}

/** The field values of an event's data, in a fixed order. */
export function sealedValues(data: Record<string, unknown>): SealedValue[] {
  const out: SealedValue[] = [];
  if (isFieldMap(data.fields)) {
    for (const [key, value] of Object.entries(data.fields)) {
      out.push({ id: `fields.${key}`, field: key, committed: ['fields', key, value] });
    }
  }
  if (Array.isArray(data.changes)) {
    data.changes.forEach((change: unknown, i) => {
      const field = fieldOfChange(change);
      if (field !== null) out.push({ id: `changes.${i}`, field, committed: ['changes', i, change] });
    });
  }
  return out;
}

function fieldOfChange(change: unknown): string | null {
  const name = (change as { field?: unknown } | null)?.field;
  return typeof name === 'string' && name.startsWith('fields.') ? name.slice('fields.'.length) : null;
}

/** The commitment to one value: SHA-256 (hex) over its salt and the canonical JSON of what is committed. */
export function commitment(salt: string, committed: unknown): string {
  return createHash('sha256').update(salt).update(canonicalJson(committed)).digest('hex');
}

/** A fresh salt for every field value of the data. */
export function saltsFor(data: Record<string, unknown>, salt: SaltSource): Salts {
  return Object.fromEntries(sealedValues(data).map((v) => [v.id, salt()]));
}

/** The commitments to the data's field values, sorted, so that their order says nothing about which is which. */
export function sealedCommitments(data: Record<string, unknown>, salts: Salts): string[] {
  // A missing salt seals with an empty one: the hash then fails to match, as for any other edit.
  return sealedValues(data)
    .map((v) => commitment(salts[v.id] ?? '', v.committed))
    .sort();
}

/** The data with every field value taken out (the commitments stand for them): `fields` left empty, field changes dropped. */
export function unsealedData(data: Record<string, unknown>): Record<string, unknown> {
  const out = { ...data };
  if (isFieldMap(out.fields)) out.fields = {};
  if (Array.isArray(out.changes)) out.changes = out.changes.filter((c: unknown) => fieldOfChange(c) === null);
  return out;
}
