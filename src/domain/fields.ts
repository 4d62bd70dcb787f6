// Order field values: type checks against the workflow's field definitions, presence, and who may see them.
import { mayEditOrders, mayOverride, type Role } from './roles.ts';
import type { FieldDef, FieldKey, WorkflowDefinition } from './workflow.ts';

export type FieldValue = string | number | boolean | null;
export type FieldValues = Record<FieldKey, FieldValue>;

export interface FieldProblem {
  field: FieldKey;
  message: string;
}

const MONEY = /^-?\d{1,13}(\.\d{1,4})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const MAX_TEXT_LENGTH = 10_000;

/** True when `value` is a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Why `value` does not fit `def`, or null when it does. `null` clears a field and always fits. */
export function checkFieldValue(def: FieldDef, value: unknown): string | null {
  if (value === null) return null;
  switch (def.type) {
    case 'text':
      if (typeof value !== 'string') return 'must be text';
      return value.length > MAX_TEXT_LENGTH ? `must be at most ${MAX_TEXT_LENGTH} characters` : null;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      if (def.min !== undefined && value < def.min) return `must be at least ${def.min}`;
      if (def.max !== undefined && value > def.max) return `must be at most ${def.max}`;
      return null;
    case 'money': {
      if (typeof value !== 'string' || !MONEY.test(value)) return 'must be an amount written as a decimal string, e.g. "12.50"';
      const amount = Number(value);
      if (def.min !== undefined && amount < def.min) return `must be at least ${def.min}`;
      if (def.max !== undefined && amount > def.max) return `must be at most ${def.max}`;
      return null;
    }
    case 'date':
      return typeof value === 'string' && isCalendarDate(value) ? null : 'must be a date written YYYY-MM-DD';
    case 'select':
      return typeof value === 'string' && (def.options ?? []).includes(value)
        ? null
        : `must be one of: ${(def.options ?? []).join(', ')}`;
    case 'checkbox':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'url':
      if (typeof value !== 'string' || value.length > 2048 || !isHttpUrl(value)) return 'must be an http(s) URL';
      return null;
  }
}

/** A field "holds a value" when it is set and not empty; a checkbox must be ticked. */
export function hasValue(def: FieldDef | undefined, value: FieldValue | undefined): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (def?.type === 'checkbox') return value === true;
  return true;
}

/**
 * Checks a set of field values against the workflow. With `requireRequired`, fields
 * marked `required` must be present too (at creation).
 */
export function checkFieldValues(
  wf: WorkflowDefinition,
  values: Record<string, unknown>,
  opts: { requireRequired: boolean },
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [key, value] of Object.entries(values)) {
    const def = wf.fields.find((f) => f.key === key);
    if (!def) {
      problems.push({ field: key, message: `is not a field of workflow "${wf.key}"` });
      continue;
    }
    const why = checkFieldValue(def, value);
    if (why) problems.push({ field: key, message: `${def.label} ${why}` });
  }
  if (opts.requireRequired) {
    for (const def of wf.fields) {
      if (def.required && !hasValue(def, values[def.key] as FieldValue | undefined)) {
        const words = def.type === 'checkbox' ? 'must be ticked' : 'is required';
        problems.push({ field: def.key, message: `${def.label} ${words}` });
      }
    }
  }
  return problems;
}

/**
 * Whether `role` may see the values of field `key`. A field the workflow no longer has (a revision removed it)
 * keeps its values for admins alone: they were as hidden as any field could have been, and a removal must
 * never reveal what was hidden while the field existed.
 */
export function maySeeField(wf: WorkflowDefinition, key: FieldKey, role: Role): boolean {
  const def = wf.fields.find((f) => f.key === key);
  if (!def) return role === 'admin';
  return !def.visibleTo || def.visibleTo.includes(role);
}

/**
 * Whether `role` may give field `def` a value: whoever may see it and may edit orders, and admins and managers
 * always (else a field visible to a role that does not edit orders, finance say, could never be set).
 */
export function maySetField(def: FieldDef, role: Role): boolean {
  if (mayEditOrders(role) && mayOverride(role)) return true;
  return mayEditOrders(role) && (!def.visibleTo || def.visibleTo.includes(role));
}

/** Field keys among `keys` that `role` may not see in this workflow. */
export function hiddenFieldsFor(wf: WorkflowDefinition, role: Role, keys: Iterable<FieldKey> = []): Set<FieldKey> {
  const all = new Set([...wf.fields.map((f) => f.key), ...keys]);
  return new Set([...all].filter((k) => !maySeeField(wf, k, role)));
}

/** The values with fields hidden from `role` left out. */
export function visibleFieldValues(wf: WorkflowDefinition, values: FieldValues, role: Role): FieldValues {
  const out: FieldValues = {};
  for (const [k, v] of Object.entries(values)) if (maySeeField(wf, k, role)) out[k] = v;
  return out;
}

/**
 * An event's data with the fields hidden from `role` taken out: the `fields` of a creation or an invoice,
 * and the field changes of an edit. Everything that carries event data to a reader goes through this.
 * Without its workflow (a system event) nothing of an order's fields is known to be visible: only admins see them.
 */
export function visibleEventData(
  wf: WorkflowDefinition | null,
  data: Record<string, unknown>,
  role: Role,
): Record<string, unknown> {
  const sees = fieldReader(wf, role);
  const out = { ...data };
  if (isFieldMap(out.fields)) {
    out.fields = Object.fromEntries(Object.entries(out.fields).filter(([k]) => sees(k)));
  }
  if (Array.isArray(out.changes)) {
    // Only changes of an order's fields are hidden; other events' changes (settings, webhooks) may name no field.
    out.changes = (out.changes as Array<{ field?: unknown } | null>).filter((c) => {
      const field = c?.field;
      return typeof field !== 'string' || !field.startsWith('fields.') || sees(field.slice('fields.'.length));
    });
  }
  return out;
}

/** Whether `role` may see a field of an event's order by its key; without the workflow, only admins may. */
export function fieldReader(wf: WorkflowDefinition | null, role: Role): (key: FieldKey) => boolean {
  return (key) => (wf ? maySeeField(wf, key, role) : role === 'admin');
}

/** An order's field values as event data holds them (a workflow's `fields` is a list of definitions instead). */
export function isFieldMap(value: unknown): value is Record<string, FieldValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
