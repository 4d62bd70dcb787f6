// A select field's options as a list: one input each, added, removed and moved up or down.
import { moved } from './draft.ts';

export function OptionsEditor({
  fieldName,
  options,
  error,
  onChange,
}: {
  fieldName: string;
  options: string[];
  error?: string | undefined;
  onChange: (options: string[]) => void;
}) {
  const set = (i: number, value: string) => onChange(options.map((o, j) => (j === i ? value : o)));
  return (
    <div className="wf-options" data-control="options">
      <ol aria-label={`Options of ${fieldName}`}>
        {options.map((o, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: an option is its text, which is being edited here
          <li key={i} data-option={o}>
            <input aria-label={`Option ${i + 1} of ${fieldName}`} value={o} onChange={(e) => set(i, e.target.value)} />
            <button
              type="button"
              className="icon-button"
              disabled={i === 0}
              aria-label={`Move option ${o || i + 1} up`}
              onClick={() => onChange(moved(options, i, i - 1))}
            >
              ↑
            </button>
            <button
              type="button"
              className="icon-button"
              disabled={i === options.length - 1}
              aria-label={`Move option ${o || i + 1} down`}
              onClick={() => onChange(moved(options, i, i + 1))}
            >
              ↓
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove option ${o || i + 1}`}
              onClick={() => onChange(options.filter((_, j) => j !== i))}
            >
              ×
            </button>
          </li>
        ))}
      </ol>
      <button type="button" className="button small" onClick={() => onChange([...options, ''])}>
        + Add option
      </button>
      {error && (
        <p className="field-error" data-field-error>
          {error}
        </p>
      )}
    </div>
  );
}
