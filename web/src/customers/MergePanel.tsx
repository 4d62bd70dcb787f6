// Merging another record of the same customer into this one, chosen by search; its orders move here.
import { useDeferredValue, useState } from 'react';
import { ApiProblem, post } from '../api/client.ts';
import { notify } from '../ui/notices.tsx';
import { type Customer, type CustomerSummary, useCustomerSearch } from './customer-api.ts';

export function MergePanel({ into, onMerged }: { into: Customer; onMerged: () => void }) {
  const [text, setText] = useState('');
  const q = useDeferredValue(text.trim());
  const found = useCustomerSearch(q, { limit: 10, enabled: q.length > 0 });
  const [chosen, setChosen] = useState<CustomerSummary | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const others = q ? (found.data ?? []).filter((c) => c.id !== into.id) : [];

  const merge = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      await post(`/customers/${encodeURIComponent(into.id)}/merge`, { from: chosen.id });
      notify('success', `${chosen.name} merged into ${into.name}`, `${chosen.orders} orders moved.`);
      setChosen(null);
      setText('');
      onMerged();
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      setError(err.detail);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" data-merge>
      <h2>Merge another record into this one</h2>
      <p className="muted small">
        When one customer has two records (a spelling, an old name), merge them: the other record's orders, contacts and notes
        come here, and the other record goes.
      </p>
      <label htmlFor="merge-search">Find the other record</label>
      <input
        id="merge-search"
        type="search"
        autoComplete="off"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setChosen(null);
        }}
        data-control="merge-search"
      />
      {others.length > 0 && !chosen && (
        <ul className="pick-list" data-merge-candidates>
          {others.map((c) => (
            <li key={c.id}>
              <button type="button" className="button small" onClick={() => setChosen(c)} data-merge-candidate={c.name}>
                {c.name} <span className="muted">({c.orders} orders)</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {chosen && (
        <fieldset className="confirm" aria-label="Confirm the merge">
          <p>
            Merge <strong>{chosen.name}</strong> ({chosen.orders} orders) into <strong>{into.name}</strong>? This cannot be
            undone.
          </p>
          <button type="button" className="button primary" disabled={busy} onClick={merge} data-action="merge">
            {busy ? 'Merging…' : `Merge into ${into.name}`}
          </button>{' '}
          <button type="button" className="button" onClick={() => setChosen(null)}>
            Cancel
          </button>
        </fieldset>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
