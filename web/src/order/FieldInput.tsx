// One workflow field as a form control, chosen by its type, with the same checks the API makes.
import type { FieldDef, FieldValue, Role } from '../api/types.ts';
import { mayEditOrders, mayOverride } from '../auth/roles.ts';
import { Field } from '../ui/Field.tsx';

const MONEY = /^-?\d{1,13}(\.\d{1,4})?$/;

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Mirrors the API's field check so a mistake shows before saving; the API checks again. */
export function checkField(def: FieldDef, value: FieldValue | undefined, required: boolean): string | undefined {
  const empty = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
  if (def.type === 'checkbox' && required && value !== true) return `${def.label} must be ticked`;
  if (empty) return required ? `${def.label} is required` : undefined;
  switch (def.type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${def.label} must be a number`;
      if (def.min !== undefined && value < def.min) return `${def.label} must be at least ${def.min}`;
      if (def.max !== undefined && value > def.max) return `${def.label} must be at most ${def.max}`;
      return undefined;
    case 'money': {
      if (typeof value !== 'string' || !MONEY.test(value)) return `${def.label} must be an amount such as 12.50`;
      const amount = Number(value);
      if (def.min !== undefined && amount < def.min) return `${def.label} must be at least ${def.min}`;
      if (def.max !== undefined && amount > def.max) return `${def.label} must be at most ${def.max}`;
      return undefined;
    }
    case 'date':
      return typeof value === 'string' && isCalendarDate(value) ? undefined : `${def.label} must be a date`;
    case 'url':
      try {
        const url = new URL(String(value));
        return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : `${def.label} must be an http(s) link`;
      } catch {
        return `${def.label} must be a link starting with https://`;
      }
    case 'select':
      return (def.options ?? []).includes(String(value)) ? undefined : `${def.label} must be one of the options`;
    default:
      return undefined;
  }
}

/** Fields this role may see: the API leaves the others out of the order. */
export function visibleFields(fields: FieldDef[], role: Role): FieldDef[] {
  return fields.filter((f) => maySeeField(f, role));
}

/** Whether this role may see the field's values (the API leaves the others out of the order). */
export const maySeeField = (def: FieldDef, role: Role) => !def.visibleTo || def.visibleTo.includes(role);

/**
 * Fields this role may give a value, as the API decides: those it sees if it edits orders, and every field for
 * admins and managers (a field hidden from them is offered empty: what they type replaces a value they cannot see).
 */
export function settableFields(fields: FieldDef[], role: Role): FieldDef[] {
  if (!mayEditOrders(role)) return [];
  return fields.filter((f) => mayOverride(role) || maySeeField(f, role));
}

export function formatFieldValue(def: FieldDef | undefined, value: FieldValue | undefined): string {
  if (value === undefined || value === null || value === '') return '—';
  if (def?.type === 'checkbox') return value ? 'Yes' : 'No';
  return String(value);
}

export function FieldInput({
  def,
  value,
  onChange,
  error,
  disabled,
  required,
  hidden,
}: {
  def: FieldDef;
  value: FieldValue | undefined;
  onChange: (value: FieldValue) => void;
  error?: string | undefined;
  disabled?: boolean;
  required?: boolean;
  /** The role may set the field but not see it: its current value is not shown. */
  hidden?: boolean;
}) {
  const hint = hidden
    ? 'Hidden from your role: a value you enter replaces the current one, which you cannot see'
    : def.type === 'number' && (def.min !== undefined || def.max !== undefined)
      ? [def.min !== undefined ? `at least ${def.min}` : '', def.max !== undefined ? `at most ${def.max}` : '']
          .filter(Boolean)
          .join(', ')
      : def.type === 'money'
        ? 'An amount, e.g. 12.50'
        : undefined;
  const text = value === undefined || value === null ? '' : String(value);

  if (def.type === 'checkbox') {
    return (
      <div className={`field field-check${error ? ' field-invalid' : ''}`} data-field={def.key}>
        <label>
          <input type="checkbox" checked={value === true} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />{' '}
          {def.label}
        </label>
        {error && <p className="field-error">{error}</p>}
      </div>
    );
  }
  return (
    <Field label={def.label} error={error} hint={hint} required={required} className={`field-${def.type}`}>
      {(props) => {
        const common = { ...props, disabled, 'data-field': def.key, name: def.key };
        switch (def.type) {
          case 'select':
            return (
              <select {...common} value={text} onChange={(e) => onChange(e.target.value || null)}>
                <option value="">—</option>
                {(def.options ?? []).map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            );
          case 'number':
            return (
              <input
                {...common}
                type="number"
                inputMode="numeric"
                value={text}
                min={def.min}
                max={def.max}
                onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}
              />
            );
          case 'money':
            return (
              <input
                {...common}
                type="text"
                inputMode="decimal"
                value={text}
                onChange={(e) => onChange(e.target.value.trim() === '' ? null : e.target.value.trim())}
              />
            );
          case 'date':
            return <input {...common} type="date" value={text} onChange={(e) => onChange(e.target.value || null)} />;
          case 'url':
            return (
              <input
                {...common}
                type="url"
                placeholder="https://"
                value={text}
                onChange={(e) => onChange(e.target.value.trim() === '' ? null : e.target.value.trim())}
              />
            );
          default:
            return (
              <input
                {...common}
                type="text"
                value={text}
                onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}
              />
            );
        }
      }}
    </Field>
  );
}
