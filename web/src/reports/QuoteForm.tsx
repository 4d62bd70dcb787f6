// The quote form for sales: pick a workflow, press "Get a date", and read when an order started today would be done,
// from the shop's recent history and the queue in front of it.
import { type FormEvent, useState } from 'react';
import { useQuoteFor } from '../api/report-queries.ts';
import type { Quote, Workflow } from '../api/types.ts';
import { calendarDate } from '../ui/format.ts';
import { decimal, orders } from './figures.ts';
import '../styles/reports.css';

export function QuoteForm({ workflows, initial }: { workflows: Workflow[]; initial?: string | undefined }) {
  const [choice, setChoice] = useState(() => workflows.find((w) => w.key === initial)?.key ?? workflows[0]?.key ?? '');
  // Each press asks again: the queue may have moved since the last answer.
  const [asked, setAsked] = useState<{ workflow: string; n: number } | null>(null);
  const quote = useQuoteFor(asked?.workflow ?? null, asked?.n ?? 0);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (choice) setAsked({ workflow: choice, n: (asked?.n ?? 0) + 1 });
  };
  const name = workflows.find((w) => w.key === asked?.workflow)?.name;

  return (
    <div className="quote">
      <form className="quote-form" onSubmit={submit} data-form="quote" aria-label="Quote a delivery date">
        <div className="field">
          <label htmlFor="quote-workflow">Workflow</label>
          <select id="quote-workflow" value={choice} onChange={(e) => setChoice(e.target.value)}>
            {workflows.map((w) => (
              <option key={w.key} value={w.key}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button primary" disabled={!choice || quote.isFetching} data-action="get-a-date">
          Get a date
        </button>
      </form>
      <div
        className="quote-answer"
        aria-live="polite"
        data-quote={quote.data && !quote.isFetching ? quote.data.workflow : undefined}
      >
        {quote.isFetching && <p className="muted">Working it out…</p>}
        {quote.isError && !quote.isFetching && (
          <p className="form-error" role="alert">
            {quote.error.message}
          </p>
        )}
        {quote.data && !quote.isFetching && <QuoteAnswer quote={quote.data} workflowName={name ?? quote.data.workflow} />}
      </div>
    </div>
  );
}

function QuoteAnswer({ quote, workflowName }: { quote: Quote; workflowName: string }) {
  const queued = quote.queue.reduce((n, s) => n + s.open, 0);
  return (
    <>
      {quote.enoughHistory && quote.p50 && quote.p85 ? (
        <p className="quote-dates">
          An order started today would be done by{' '}
          <time dateTime={quote.p50} data-p50>
            {calendarDate(quote.p50)}
          </time>
          , and by{' '}
          <time dateTime={quote.p85} data-p85>
            {calendarDate(quote.p85)}
          </time>{' '}
          with 85% confidence.
        </p>
      ) : (
        <p className="quote-dates quote-short" data-quote-message>
          {quote.message}
        </p>
      )}
      <p className="small muted" data-based-on={quote.basedOn.orders}>
        {workflowName}: based on{' '}
        <strong>
          {quote.basedOn.orders} past {quote.basedOn.orders === 1 ? 'order' : 'orders'}
        </strong>{' '}
        since {calendarDate(quote.basedOn.since)} ({quote.basedOn.stageVisits} stage visits), with{' '}
        <strong data-queue-total={queued}>{orders(queued)}</strong> in the queue now.
      </p>
      {quote.queue.length > 0 && (
        <details className="report-table">
          <summary>The queue it took into account</summary>
          <table className="table" data-table="quote-queue">
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col" className="num">
                  Open now
                </th>
                <th scope="col" className="num">
                  Usually
                </th>
                <th scope="col">Effect</th>
              </tr>
            </thead>
            <tbody>
              {quote.queue.map((s) => (
                <tr key={s.stage} data-stage={s.stage}>
                  <td>{s.label}</td>
                  <td className="num">{s.open}</td>
                  <td className="num">{decimal(s.usual)}</td>
                  <td>{s.factor > 1 ? `busier than usual: its time counts ×${decimal(s.factor)}` : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </>
  );
}
