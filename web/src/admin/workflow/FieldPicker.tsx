// A compact multi-select of workflow fields: the chosen ones as removable chips, the rest in one drop-down.
import { useId } from 'react';
import type { FieldDraft } from './draft.ts';

export function FieldPicker({
  label,
  fields,
  chosen,
  error,
  onChange,
}: {
  label: string;
  fields: FieldDraft[];
  chosen: string[];
  error?: string | undefined;
  onChange: (keys: string[]) => void;
}) {
  const id = useId();
  const nameOf = (key: string) => {
    const f = fields.find((x) => x.key === key);
    return f ? f.label || f.key : key;
  };
  const left = fields.filter((f) => !chosen.includes(f.key));
  return (
    <div className={`field wf-picker-field${error ? ' field-invalid' : ''}`} data-control="requires">
      <label htmlFor={id}>{label}</label>
      {chosen.length > 0 && (
        <ul className="chips" aria-label={`${label}: chosen`}>
          {chosen.map((key) => (
            <li key={key} className="chip" data-required-field={key}>
              {nameOf(key)}
              <button
                type="button"
                className="chip-remove"
                aria-label={`No longer require ${nameOf(key)}`}
                onClick={() => onChange(chosen.filter((k) => k !== key))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <select
        id={id}
        value=""
        disabled={left.length === 0}
        aria-invalid={Boolean(error)}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => e.target.value && onChange([...chosen, e.target.value])}
      >
        <option value="">
          {fields.length === 0 ? 'No fields yet' : left.length === 0 ? 'Every field is required' : 'Add a field…'}
        </option>
        {left.map((f) => (
          <option key={f.id} value={f.key}>
            {f.label || f.key}
          </option>
        ))}
      </select>
      {error && (
        <p className="field-error" id={`${id}-error`} data-field-error>
          {error}
        </p>
      )}
    </div>
  );
}
