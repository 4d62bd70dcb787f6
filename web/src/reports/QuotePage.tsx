// /quote: the quote form on a page of its own, for sales answering "when can I have it?".
import { useWorkflows } from '../api/queries.ts';
import { Link } from '../app/router.tsx';
import { useTitle } from '../ui/title.ts';
import { QuoteForm } from './QuoteForm.tsx';

export function QuotePage() {
  useTitle('Quote a date');
  const workflows = useWorkflows();
  return (
    <main className="page narrow" id="main" data-quote-page>
      <header className="page-header">
        <div>
          <h1>Quote a delivery date</h1>
          <p className="muted">
            When would a new order be done if it started today? The answer comes from how long recent orders took in each stage,
            and how many orders wait in each stage now.
          </p>
        </div>
      </header>
      <section className="panel" aria-label="Quote">
        {workflows.isPending && <p className="muted">Loading…</p>}
        {workflows.isError && (
          <p className="form-error" role="alert">
            {workflows.error.message}
          </p>
        )}
        {workflows.data && <QuoteForm workflows={workflows.data} />}
      </section>
      <p className="small muted">
        The lead times and the rest of the figures are on the <Link to="/reports">Reports</Link> page.
      </p>
    </main>
  );
}
