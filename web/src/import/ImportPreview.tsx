// What an import would do: its counts, the row errors by row and column, the warnings, and the first orders as cards.
import type { Workflow } from '../api/types.ts';
import { stageLabel } from '../board/moves.tsx';
import { calendarDate, dayOf, duration } from '../ui/format.ts';
import type { ImportIssue, ImportSummary, PreviewOrder } from './import-api.ts';

export function IssueTable({ issues, kind }: { issues: ImportIssue[]; kind: 'errors' | 'warnings' }) {
  return (
    <table className="table import-issues" data-issues={kind}>
      <thead>
        <tr>
          <th scope="col">Row</th>
          <th scope="col">Column</th>
          <th scope="col">Value</th>
          <th scope="col">Problem</th>
        </tr>
      </thead>
      <tbody>
        {issues.map((e, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the same row and column may have several problems
          <tr key={i} data-issue-row={e.row ?? ''}>
            <td>{e.row ?? '—'}</td>
            <td>{e.column ?? '—'}</td>
            <td className="mono small">{e.value ?? ''}</td>
            <td>{e.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ImportCounts({ summary }: { summary: ImportSummary }) {
  const o = summary.orders;
  return (
    <p className="import-counts" data-import-counts>
      {summary.rows} rows: <strong>{o.created}</strong> new orders, <strong>{o.updated}</strong> updated,{' '}
      <strong>{o.unchanged}</strong> unchanged, <strong>{summary.events}</strong> history events.
    </p>
  );
}

export function PreviewCards({ summary, wf }: { summary: ImportSummary; wf: Workflow }) {
  if (summary.preview.length === 0) return null;
  return (
    <section aria-labelledby="preview-title">
      <h2 id="preview-title">The first {summary.preview.length} orders, as they will be</h2>
      <ul className="import-preview">
        {summary.preview.map((o) => (
          <PreviewCard key={`${o.row}-${o.reference}`} order={o} wf={wf} />
        ))}
      </ul>
    </section>
  );
}

function PreviewCard({ order, wf }: { order: PreviewOrder; wf: Workflow }) {
  const end = order.completedAt ? Date.parse(order.completedAt) : Date.now();
  const visits = order.stageHistory.map((v) => ({
    ...v,
    ms: (v.exitedAt ? Date.parse(v.exitedAt) : end) - Date.parse(v.enteredAt),
  }));
  const longest = Math.max(1, ...visits.map((v) => v.ms));
  return (
    <li className="import-card" data-preview={order.reference}>
      <div className="card-top">
        <span className="card-number">{order.number ?? order.reference}</span>
        <span className={`import-action import-action-${order.action}`}>{order.action === 'create' ? 'new' : order.action}</span>
      </div>
      <div className="card-title">{order.title}</div>
      <div className="card-customer">{order.customer.name}</div>
      <div className="small muted">
        {order.state === 'active' ? `In ${stageLabel(wf, order.stage)}` : order.state}
        {order.dueDate && ` · due ${calendarDate(order.dueDate)}`}
        {order.comments > 0 && ` · ${order.comments} comments`}
      </div>
      <ol className="import-timeline" aria-label={`Stages of ${order.title}`}>
        {visits.map((v) => (
          <li key={`${v.stage}-${v.enteredAt}`}>
            <span className="import-timeline-stage">{stageLabel(wf, v.stage)}</span>
            <span className="import-timeline-bar" aria-hidden="true">
              <span style={{ width: `${Math.max(3, (v.ms / longest) * 100)}%` }} />
            </span>
            <span className="small muted">
              {calendarDate(dayOf(v.enteredAt))}
              {v.exitedAt ? ` · ${duration(v.ms)}` : ''}
            </span>
          </li>
        ))}
      </ol>
    </li>
  );
}
