// Comparing an edit with what someone else saved meanwhile: which fields both touched, which only they did.
import type { FieldDef, FieldValue, Order } from '../api/types.ts';
import { formatFieldValue } from './FieldInput.tsx';

/** What a details save sends, by key: `title`, `customer`, `dueDate`, `priority`, `fields.<key>`. */
export type Changes = Record<string, unknown>;

/** One field both people changed: this person's value, the saved one, and which of the two to keep. */
export interface Clash {
  key: string;
  label: string;
  mine: string;
  theirs: string;
  keep: 'mine' | 'theirs';
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function savedValue(order: Order, key: string): unknown {
  if (key === 'customer') return { name: order.customer.name, email: order.customer.email ?? null };
  if (key.startsWith('fields.')) return order.fields[key.slice(7)];
  return order[key as 'title' | 'dueDate' | 'priority'];
}

function keysOf(a: Order, b: Order): string[] {
  const fields = new Set([...Object.keys(a.fields), ...Object.keys(b.fields)]);
  return ['title', 'customer', 'dueDate', 'priority', ...[...fields].map((f) => `fields.${f}`)];
}

export function labelOf(key: string, defs: FieldDef[]): string {
  if (key.startsWith('fields.')) return defs.find((d) => d.key === key.slice(7))?.label ?? key.slice(7);
  return { title: 'Title', customer: 'Customer', dueDate: 'Due date', priority: 'Priority' }[key] ?? key;
}

function shown(key: string, value: unknown, defs: FieldDef[]): string {
  if (key === 'customer') {
    const c = value as { name: string; email: string | null };
    return c.email ? `${c.name} · ${c.email}` : c.name;
  }
  if (key.startsWith('fields.'))
    return formatFieldValue(
      defs.find((d) => d.key === key.slice(7)),
      value as FieldValue,
    );
  return value === null || value === undefined || value === '' ? '—' : String(value);
}

/**
 * Splits what changed between `base` (the version this person started editing from) and `latest` into the
 * fields this person also changed to something else (clashes, theirs to decide) and the fields only the other
 * person touched (kept as they are, since this person's save does not send them).
 */
export function compareEdits(
  base: Order,
  latest: Order,
  mine: Changes,
  defs: FieldDef[],
): { clashes: Clash[]; theirsOnly: string[] } {
  const clashes: Clash[] = [];
  const theirsOnly: string[] = [];
  for (const key of keysOf(base, latest)) {
    if (same(savedValue(base, key), savedValue(latest, key))) continue;
    if (!(key in mine)) theirsOnly.push(labelOf(key, defs));
    else if (!same(mine[key], savedValue(latest, key))) {
      clashes.push({
        key,
        label: labelOf(key, defs),
        mine: shown(key, mine[key], defs),
        theirs: shown(key, savedValue(latest, key), defs),
        keep: 'mine',
      });
    }
  }
  return { clashes, theirsOnly };
}
