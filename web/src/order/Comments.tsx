// Comments on the order: part of its history, visible to everyone signed in.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, post } from '../api/client.ts';
import { keys } from '../api/queries.ts';
import type { Order, OrderEvent } from '../api/types.ts';
import { mayComment } from '../auth/roles.ts';
import { useUser } from '../auth/session.tsx';
import { ago } from '../ui/format.ts';

export function Comments({ order, events }: { order: Order; events: OrderEvent[] | undefined }) {
  const user = useUser();
  const qc = useQueryClient();
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const comments = (events ?? []).filter((e) => e.type === 'comment.added');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!body.trim()) {
      setError('Write something first');
      return;
    }
    setBusy(true);
    try {
      await post(`/orders/${order.id}/comments`, { body: body.trim() });
      setBody('');
      setError(null);
      await qc.invalidateQueries({ queryKey: keys.events(order.id) });
    } catch (err) {
      setError(err instanceof ApiProblem ? err.detail : 'Could not post the comment');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="comments-title">
      <h2 id="comments-title">Comments</h2>
      {comments.length === 0 && <p className="muted">No comments yet.</p>}
      <ul className="comments">
        {comments.map((c) => (
          <li key={c.seq} className="comment">
            <div className="comment-head">
              <strong>{c.actor.name}</strong> <span className="muted">{ago(c.at)}</span>
            </div>
            <p>{String(c.data.body ?? '')}</p>
          </li>
        ))}
      </ul>
      {mayComment(user.role) && (
        <form onSubmit={submit} className="comment-form">
          <label htmlFor="comment-body" className="sr-only">
            Add a comment
          </label>
          <textarea
            id="comment-body"
            rows={2}
            placeholder="Add a comment for the team"
            value={body}
            aria-invalid={Boolean(error)}
            onChange={(e) => {
              setBody(e.target.value);
              setError(null);
            }}
          />
          {error && <p className="field-error">{error}</p>}
          <button type="submit" className="button small" disabled={busy}>
            Comment
          </button>
        </form>
      )}
    </section>
  );
}
