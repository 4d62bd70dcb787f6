// Turning the text of a spreadsheet cell into an order's values: field types, priorities, e-mail addresses.
import { checkFieldValue, type FieldValue } from '../fields.ts';
import { PRIORITIES, type Priority } from '../order.ts';
import type { FieldDef } from '../workflow.ts';
import { parseFileDay } from './dates.ts';

const TRUE = new Set(['true', 'yes', 'y', '1', 'x', 'ja', 'oui', 'si', '✓', '✔']);
const FALSE = new Set(['false', 'no', 'n', '0', 'nein', 'non', '']);

/** A decimal as written in Europe or elsewhere ("1.234,50", "1,234.50", "12,5") as a plain decimal string. */
function plainDecimal(raw: string, decimalComma: boolean): string | null {
  let v = raw.replace(/[\s\u00a0'’]/g, '').replace(/^[^\d+-]+|[^\d]+$/g, '');
  if (!/^[+-]?[\d.,]+$/.test(v)) return null;
  const lastComma = v.lastIndexOf(',');
  const lastDot = v.lastIndexOf('.');
  // A file written with semicolons comes from a spreadsheet where the comma is the decimal mark ("1.200" is twelve hundred).
  if (decimalComma || lastComma > lastDot) v = v.replace(/\./g, '').replace(',', '.');
  else v = v.replace(/,/g, '');
  if (!/^[+-]?\d+(\.\d+)?$/.test(v)) return null;
  return v.replace(/^\+/, '');
}

/** The field value a cell holds, or why it does not fit the field; a blank cell is no value. */
export function fieldValueOf(
  def: FieldDef,
  raw: string,
  dateFormat: 'YYYY-MM-DD' | 'DD/MM/YYYY' | 'MM/DD/YYYY',
  decimalComma = false,
): { value: FieldValue | undefined } | { error: string } {
  const text = raw.trim();
  if (text === '' && def.type !== 'checkbox') return { value: undefined };
  let value: FieldValue;
  switch (def.type) {
    case 'number': {
      const d = plainDecimal(text, decimalComma);
      if (d === null) return { error: `${def.label} must be a number` };
      value = Number(d);
      break;
    }
    case 'money': {
      const d = plainDecimal(text, decimalComma);
      if (d === null) return { error: `${def.label} must be an amount` };
      value = d;
      break;
    }
    case 'date': {
      const day = parseFileDay(text, dateFormat);
      if ('error' in day) return { error: `${def.label}: ${day.error}` };
      value = day.day;
      break;
    }
    case 'select': {
      const match = (def.options ?? []).find((o) => o.toLowerCase() === text.toLowerCase());
      if (!match) return { error: `${def.label} must be one of: ${(def.options ?? []).join(', ')}` };
      value = match;
      break;
    }
    case 'checkbox': {
      const lower = text.toLowerCase();
      if (TRUE.has(lower)) value = true;
      else if (FALSE.has(lower)) value = text === '' ? null : false;
      else return { error: `${def.label} must be yes or no` };
      if (value === null) return { value: undefined };
      break;
    }
    default:
      value = text;
  }
  const why = checkFieldValue(def, value);
  return why ? { error: `${def.label} ${why}` } : { value };
}

const PRIORITY_WORDS: Record<string, Priority> = { urgent: 'rush', medium: 'normal', normal: 'normal' };

export function priorityOf(raw: string): Priority | null {
  const v = raw.trim().toLowerCase();
  if (v === '') return 'normal';
  if ((PRIORITIES as readonly string[]).includes(v)) return v as Priority;
  return PRIORITY_WORDS[v] ?? null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}
