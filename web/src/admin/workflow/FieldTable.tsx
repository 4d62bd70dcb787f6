// The order fields a workflow carries: label, key, type, options or limits, required, who may see them.
import { FIELD_TYPES, type FieldType, ROLES } from '../../api/types.ts';
import { ROLE_NAMES } from '../../auth/roles.ts';
import type { FieldDraft, Problems } from './draft.ts';
import { problemsOf } from './draft.ts';
import { OptionsEditor } from './OptionsEditor.tsx';

export function FieldTable({
  fields,
  problems,
  onChange,
  onLabel,
  onKey,
  onRemove,
  onAdd,
}: {
  fields: FieldDraft[];
  problems: Problems;
  onChange: (id: string, change: Partial<FieldDraft>) => void;
  onLabel: (id: string, label: string) => void;
  onKey: (id: string, key: string) => void;
  onRemove: (id: string) => void;
  onAdd: () => void;
}) {
  return (
    <section className="panel">
      <h2>Fields</h2>
      <table className="table wf-fields">
        <thead>
          <tr>
            <th scope="col">Label</th>
            <th scope="col">Key</th>
            <th scope="col">Type</th>
            <th scope="col">Options / limits</th>
            <th scope="col">Required</th>
            <th scope="col">Visible to</th>
            <th scope="col">
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f, i) => {
            const e = problemsOf(problems, 'field', f.id);
            const name = f.label || `field ${i + 1}`;
            return (
              <tr key={f.id} data-field-editor={f.key}>
                <td>
                  <input aria-label={`Label of field ${i + 1}`} value={f.label} onChange={(x) => onLabel(f.id, x.target.value)} />
                  {e.label && <p className="field-error">{e.label}</p>}
                </td>
                <td>
                  <input
                    aria-label={`Key of field ${i + 1}`}
                    value={f.key}
                    readOnly={f.saved}
                    title={f.saved ? 'Orders hold values under this key: it stays as it is' : 'Made from the label unless typed'}
                    onChange={(x) => onKey(f.id, x.target.value)}
                  />
                  {e.key && <p className="field-error">{e.key}</p>}
                </td>
                <td>
                  <select
                    aria-label={`Type of field ${i + 1}`}
                    value={f.type}
                    onChange={(x) => onChange(f.id, { type: x.target.value as FieldType })}
                  >
                    {FIELD_TYPES.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  {f.type === 'select' ? (
                    <OptionsEditor
                      fieldName={name}
                      options={f.options}
                      error={e.options}
                      onChange={(options) => onChange(f.id, { options })}
                    />
                  ) : f.type === 'number' || f.type === 'money' ? (
                    <span className="minmax">
                      <input
                        aria-label={`Minimum of field ${i + 1}`}
                        placeholder="min"
                        value={f.min}
                        onChange={(x) => onChange(f.id, { min: x.target.value })}
                      />
                      <input
                        aria-label={`Maximum of field ${i + 1}`}
                        placeholder="max"
                        value={f.max}
                        onChange={(x) => onChange(f.id, { max: x.target.value })}
                      />
                    </span>
                  ) : (
                    <span className="muted small">—</span>
                  )}
                  {(e.min || e.max) && <p className="field-error">{e.min ?? e.max}</p>}
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Field ${i + 1} required`}
                    checked={f.required}
                    onChange={(x) => onChange(f.id, { required: x.target.checked })}
                  />
                </td>
                <td>
                  <details className="visible-to">
                    <summary>{f.visibleTo.length ? f.visibleTo.map((r) => ROLE_NAMES[r]).join(', ') : 'Everyone'}</summary>
                    <div className="visible-to-list">
                      {ROLES.map((r) => (
                        <label key={r} className="check">
                          <input
                            type="checkbox"
                            checked={f.visibleTo.includes(r)}
                            onChange={(x) =>
                              onChange(f.id, {
                                visibleTo: x.target.checked ? [...f.visibleTo, r] : f.visibleTo.filter((v) => v !== r),
                              })
                            }
                          />
                          {ROLE_NAMES[r]}
                        </label>
                      ))}
                    </div>
                  </details>
                </td>
                <td>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Remove field ${i + 1}`}
                    onClick={() => onRemove(f.id)}
                  >
                    ×
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button type="button" className="button" onClick={onAdd}>
        Add field
      </button>
    </section>
  );
}
