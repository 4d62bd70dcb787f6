// The columns found in the file with the proposed mapping, in dropdowns; and the status values that match no stage.
import type { Workflow } from '../api/types.ts';
import type { ImportMapping, ImportSource, ImportSummary } from './import-api.ts';

const ORDER_COLUMNS: Array<[keyof ImportMapping, string]> = [
  ['reference', 'Reference (its id in the old system)'],
  ['number', 'Order number'],
  ['title', 'Title'],
  ['customerName', 'Customer name'],
  ['customerEmail', 'Customer e-mail'],
  ['dueDate', 'Due date'],
  ['priority', 'Priority'],
  ['createdAt', 'Created'],
  ['completedAt', 'Completed'],
  ['stage', 'Status (current stage)'],
];

const EVENT_COLUMNS: Array<[keyof ImportMapping, string]> = [
  ['reference', 'Order reference'],
  ['stage', 'Stage entered'],
  ['at', 'When it entered the stage'],
  ['title', 'Title'],
  ['customerName', 'Customer name'],
  ['customerEmail', 'Customer e-mail'],
  ['dueDate', 'Due date'],
  ['priority', 'Priority'],
];

const DATE_FORMATS = [
  ['auto', 'Recognise it'],
  ['YYYY-MM-DD', '2026-10-31'],
  ['DD/MM/YYYY', '31/10/2026 (day first)'],
  ['MM/DD/YYYY', '10/31/2026 (month first)'],
] as const;

type StringMap = Record<string, string>;

export function MappingForm({
  source,
  wf,
  summary,
  mapping,
  onChange,
}: {
  source: ImportSource;
  wf: Workflow;
  summary: ImportSummary;
  mapping: ImportMapping;
  onChange: (m: ImportMapping) => void;
}) {
  const columns = summary.columns;
  const setColumn = (key: keyof ImportMapping, value: string) => {
    const next = { ...mapping };
    if (value) (next as Record<string, unknown>)[key] = value;
    else delete (next as Record<string, unknown>)[key];
    onChange(next);
  };
  const setIn = (group: 'stageDates' | 'fields' | 'stageValues' | 'lists', key: string, value: string) => {
    const inner: StringMap = { ...((mapping[group] as StringMap | undefined) ?? {}) };
    if (value) inner[key] = value;
    else delete inner[key];
    onChange({ ...mapping, [group]: inner });
  };
  const columnSelect = (label: string, value: string | undefined, set: (v: string) => void, name: string) => (
    <label className="mapping-row" key={name}>
      <span>{label}</span>
      <select value={value ?? ''} onChange={(e) => set(e.target.value)} data-mapping={name}>
        <option value="">(not in the file)</option>
        {columns.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </label>
  );

  if (source === 'trello') {
    const lists = Object.keys(mapping.lists ?? {});
    return (
      <section className="panel" aria-labelledby="mapping-title">
        <h2 id="mapping-title">Lists and stages</h2>
        <p className="muted small">Each Trello list becomes a stage; cards in a list you ignore are left out.</p>
        <div className="mapping-grid">
          {lists.map((list) => (
            <label className="mapping-row" key={list}>
              <span>{list}</span>
              <select value={mapping.lists?.[list] ?? ''} onChange={(e) => setIn('lists', list, e.target.value)} data-list={list}>
                {wf.stages.map((s) => (
                  <option key={s.key} value={s.key}>
                    {s.label}
                  </option>
                ))}
                <option value="cancelled">Cancelled</option>
                <option value="ignore">Leave out</option>
              </select>
            </label>
          ))}
        </div>
      </section>
    );
  }

  const statusColumn = mapping.stage;
  const unmatched = statusColumn ? (summary.unmappedValues[statusColumn] ?? {}) : {};
  const mapped = Object.keys(mapping.stageValues ?? {}).filter((v) => !(v in unmatched));
  return (
    <section className="panel" aria-labelledby="mapping-title">
      <h2 id="mapping-title">Columns</h2>
      <p className="muted small">
        {columns.length} columns found. Floorboard proposed where each goes; change any that is wrong and check again.
      </p>
      <div className="mapping-grid">
        {(source === 'csv-events' ? EVENT_COLUMNS : ORDER_COLUMNS).map(([key, label]) =>
          columnSelect(label, mapping[key] as string | undefined, (v) => setColumn(key, v), key),
        )}
        <label className="mapping-row">
          <span>Dates are written</span>
          <select
            value={mapping.dateFormat ?? 'auto'}
            onChange={(e) => setColumn('dateFormat', e.target.value)}
            data-mapping="dateFormat"
          >
            {DATE_FORMATS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </label>
      </div>
      {source !== 'csv-events' && (
        <>
          <h3>When each order entered each stage</h3>
          <div className="mapping-grid">
            {wf.stages.map((s) =>
              columnSelect(s.label, mapping.stageDates?.[s.key], (v) => setIn('stageDates', s.key, v), `stageDates.${s.key}`),
            )}
          </div>
        </>
      )}
      {wf.fields.length > 0 && (
        <>
          <h3>Order fields</h3>
          <div className="mapping-grid">
            {wf.fields.map((f) =>
              columnSelect(f.label, mapping.fields?.[f.key], (v) => setIn('fields', f.key, v), `fields.${f.key}`),
            )}
          </div>
        </>
      )}
      {statusColumn && (Object.keys(unmatched).length > 0 || mapped.length > 0) && (
        <>
          <h3>Status values</h3>
          {Object.keys(unmatched).length > 0 && (
            <p className="small" data-unmatched-count={Object.keys(unmatched).length}>
              These values of <strong>{statusColumn}</strong> match no stage: say where each belongs.
            </p>
          )}
          <table className="table status-values">
            <thead>
              <tr>
                <th scope="col">Value in the file</th>
                <th scope="col">Orders</th>
                <th scope="col">Stage</th>
              </tr>
            </thead>
            <tbody>
              {[...Object.entries(unmatched), ...mapped.map((v) => [v, null] as const)].map(([value, count]) => (
                <tr key={value} data-status-value={value} className={count !== null ? 'unmatched' : undefined}>
                  <td>
                    <code>{value}</code>
                  </td>
                  <td>{count ?? ''}</td>
                  <td>
                    <select
                      aria-label={`Stage for "${value}"`}
                      value={mapping.stageValues?.[value] ?? ''}
                      onChange={(e) => setIn('stageValues', value, e.target.value)}
                    >
                      <option value="">(choose a stage)</option>
                      {wf.stages.map((s) => (
                        <option key={s.key} value={s.key}>
                          {s.label}
                        </option>
                      ))}
                      <option value="cancelled">Cancelled</option>
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
