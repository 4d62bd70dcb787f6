// The station view, opened from a traveller's QR code on a phone at the bench: what the order is, where it is,
// what comes next, and big buttons for the moves a person at the bench makes. The API decides every one of them.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, post } from '../api/client.ts';
import { keys, useOrder, useWorkflows } from '../api/queries.ts';
import type { Order, Workflow } from '../api/types.ts';
import { Link } from '../app/router.tsx';
import { ROLE_NAMES } from '../auth/roles.ts';
import { nextStage } from '../board/moves.tsx';
import { PriorityBadge, StateBadge } from '../ui/badges.tsx';
import { calendarDate, dueText, duration } from '../ui/format.ts';
import { useNow } from '../ui/now.ts';
import { useTitle } from '../ui/title.ts';
import { refusalWords } from './refusal.ts';

type Asking = 'hold' | 'problem' | null;
type Outcome = { tone: 'done' | 'refused'; words: string } | null;

export function StationPage({ number }: { number: string }) {
  const order = useOrder(number);
  const workflows = useWorkflows();
  const now = useNow();
  useTitle(`Station ${number}`);

  if (order.isPending) return <main className="page station muted">Loading {number}…</main>;
  if (order.isError) {
    const missing = order.error instanceof ApiProblem && order.error.status === 404;
    return (
      <main className="page station" id="main">
        <h1 className="station-refused" role="alert">
          {missing ? `There is no order ${number}.` : 'The order could not be loaded.'}
        </h1>
        <p className="muted">{missing ? 'Check the number on the traveller, or scan it again.' : order.error.message}</p>
        <Link to="/scan">Scan another</Link>
      </main>
    );
  }
  const o = order.data;
  const wf = workflows.data?.find((w) => w.key === o.workflow);
  return <Station key={o.id} order={o} wf={wf} now={now} />;
}

function Station({ order: o, wf, now }: { order: Order; wf: Workflow | undefined; now: number }) {
  const qc = useQueryClient();
  const [asking, setAsking] = useState<Asking>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const next = wf ? nextStage(wf, o.stage) : undefined;
  const active = o.state === 'active';
  const held = o.state === 'on_hold';

  /** Runs one action; the order is read afresh after it, whatever the answer. */
  const act = async (call: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setOutcome(null);
    try {
      await call();
      setOutcome({ tone: 'done', words: done });
      setAsking(null);
      setText('');
    } catch (err) {
      setOutcome({ tone: 'refused', words: refusalWords(err, o, wf) });
    } finally {
      setBusy(false);
      await qc.invalidateQueries({ queryKey: keys.order(o.number) });
      void qc.invalidateQueries({ queryKey: keys.events(o.id) });
    }
  };

  const moveOn = () =>
    next &&
    act(() => post(`/orders/${o.id}/transitions`, { to: next.key, expectedVersion: o.version }), `Moved to ${next.label}.`);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const words = text.trim();
    if (!words) return;
    if (asking === 'hold')
      void act(() => post(`/orders/${o.id}/hold`, { reason: words, expectedVersion: o.version }), `${o.number} is on hold.`);
    if (asking === 'problem')
      void act(
        () => post(`/orders/${o.id}/comments`, { body: words, problem: true }),
        `Problem reported${o.ownerRole ? `: ${ROLE_NAMES[o.ownerRole]} have been told` : ''}.`,
      );
  };

  return (
    <main className="page station" id="main" data-station={o.number} data-version={o.version}>
      <header className="station-head">
        <p className="station-number">{o.number}</p>
        <h1>{o.title}</h1>
        <p className="station-sub">
          {o.customer.name}
          {o.dueDate && <> · {dueText(o.dueDate, now, calendarDate)}</>}
        </p>
        <p className="station-badges">
          <StateBadge state={o.state} /> <PriorityBadge priority={o.priority} />
        </p>
      </header>

      <section className="station-where" aria-label="Where the order is">
        <p className="station-label">{active || held ? 'Now in' : o.state === 'completed' ? 'Completed in' : 'Cancelled in'}</p>
        <p className="station-stage" data-current-stage={o.stage}>
          {o.stageLabel}
        </p>
        <p className="muted">
          {duration(now - new Date(o.stageEnteredAt).getTime())} in this stage
          {o.ownerRole && <> · owned by {ROLE_NAMES[o.ownerRole]}</>}
        </p>
        {held ? (
          <p className="station-next">
            <strong>On hold:</strong> {o.holdReason}
          </p>
        ) : (
          o.nextAction && (
            <p className="station-next">
              <strong>Next:</strong> {o.nextAction}
            </p>
          )
        )}
      </section>

      {outcome && (
        <p
          className={outcome.tone === 'done' ? 'station-done' : 'station-refused'}
          role={outcome.tone === 'done' ? 'status' : 'alert'}
          data-outcome={outcome.tone}
        >
          {outcome.words}
        </p>
      )}

      <div className="station-actions">
        {active && next && (
          <button type="button" className="station-button primary" disabled={busy} onClick={moveOn} data-station-done>
            Done: move to {next.label}
          </button>
        )}
        {active && (
          <button
            type="button"
            className="station-button"
            aria-expanded={asking === 'hold'}
            onClick={() => setAsking(asking === 'hold' ? null : 'hold')}
          >
            Hold…
          </button>
        )}
        {held && (
          <button
            type="button"
            className="station-button primary"
            disabled={busy}
            onClick={() => act(() => post(`/orders/${o.id}/resume`, { expectedVersion: o.version }), `${o.number} resumed.`)}
          >
            Resume
          </button>
        )}
        {(active || held) && (
          <button
            type="button"
            className="station-button"
            aria-expanded={asking === 'problem'}
            onClick={() => setAsking(asking === 'problem' ? null : 'problem')}
          >
            Report a problem
          </button>
        )}
      </div>

      {asking && (
        <form className="station-form" onSubmit={submit}>
          <label htmlFor="station-text">{asking === 'hold' ? 'Why is it on hold?' : 'What is the problem?'}</label>
          <textarea id="station-text" rows={3} value={text} onChange={(e) => setText(e.target.value)} required maxLength={2000} />
          <button type="submit" className="station-button primary" disabled={busy || !text.trim()}>
            {asking === 'hold' ? 'Put on hold' : `Send to ${o.ownerRole ? ROLE_NAMES[o.ownerRole] : 'the stage owner'}`}
          </button>
        </form>
      )}

      <p className="station-links">
        <Link to={`/orders/${encodeURIComponent(o.number)}`}>Open the full order</Link> · <Link to="/scan">Scan another</Link>
      </p>
    </main>
  );
}
