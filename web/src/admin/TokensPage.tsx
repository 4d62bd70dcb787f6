// API tokens: for scripts and other systems. A new token is shown once, then only its label and dates.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, del, post } from '../api/client.ts';
import { keys, useTokens, useUsers } from '../api/queries.ts';
import type { ApiToken } from '../api/types.ts';
import { useUser } from '../auth/session.tsx';
import { Field } from '../ui/Field.tsx';
import { timestamp } from '../ui/format.ts';
import { notify } from '../ui/notices.tsx';
import { useTitle } from '../ui/title.ts';

export function TokensPage() {
  useTitle('API tokens');
  return (
    <main className="page" id="main">
      <h1>API tokens</h1>
      <p className="muted">
        A token lets a script or another system use the Floorboard API as you: send it as{' '}
        <code>Authorization: Bearer &lt;token&gt;</code>.
      </p>
      <TokensPanel admin={false} />
    </main>
  );
}

export function TokensPanel({ admin }: { admin: boolean }) {
  const me = useUser();
  const [userId, setUserId] = useState(me.id);
  const users = useUsers(admin);
  const tokens = useTokens(userId);
  const qc = useQueryClient();
  const [label, setLabel] = useState('');
  const [expires, setExpires] = useState('');
  const [fresh, setFresh] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const created = await post<ApiToken & { token: string }>('/tokens', {
        label: label.trim() || null,
        ...(userId !== me.id ? { userId } : {}),
        ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`).toISOString() } : {}),
      });
      setFresh(created.token);
      setLabel('');
      setExpires('');
      await qc.invalidateQueries({ queryKey: keys.tokens(userId) });
    } catch (err) {
      setError(err instanceof ApiProblem ? err.detail : 'Could not create the token');
    }
  };

  const revoke = async (token: ApiToken) => {
    try {
      await del(`/tokens/${token.id}`);
      await qc.invalidateQueries({ queryKey: keys.tokens(userId) });
      notify('success', `Token ${token.label ?? ''} revoked`);
    } catch (err) {
      notify('error', 'Not revoked', err instanceof ApiProblem ? err.detail : undefined);
    }
  };

  return (
    <div className="admin-grid">
      <section className="panel" aria-labelledby="tokens-title">
        <div className="panel-header">
          <h2 id="tokens-title">Tokens</h2>
          {admin && users.data && (
            <>
              <label className="sr-only" htmlFor="token-user">
                Whose tokens
              </label>
              <select
                id="token-user"
                value={userId}
                onChange={(e) => {
                  setUserId(e.target.value);
                  setFresh(null);
                }}
              >
                {users.data.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name} ({u.role})
                  </option>
                ))}
              </select>
            </>
          )}
        </div>
        {tokens.data && tokens.data.length === 0 && <p className="muted">No tokens yet.</p>}
        {tokens.data && tokens.data.length > 0 && (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Label</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((t) => (
                <tr key={t.id} className={t.revokedAt ? 'row-disabled' : undefined}>
                  <td>{t.label ?? <span className="muted">No label</span>}</td>
                  <td>{timestamp(t.createdAt)}</td>
                  <td>{t.expiresAt ? timestamp(t.expiresAt) : 'Never'}</td>
                  <td>
                    {t.revokedAt ? (
                      <span className="muted">Revoked {timestamp(t.revokedAt)}</span>
                    ) : (
                      <button type="button" className="button small danger" onClick={() => revoke(t)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <form className="panel" onSubmit={create} aria-labelledby="new-token-title">
        <h2 id="new-token-title">New token</h2>
        <Field label="Label" hint="What uses it, e.g. Shop website">
          {(p) => <input {...p} value={label} onChange={(e) => setLabel(e.target.value)} maxLength={100} />}
        </Field>
        <Field label="Expires on" hint="Leave empty for no expiry">
          {(p) => <input {...p} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />}
        </Field>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary">
          Create token
        </button>
        {fresh && (
          <div className="secret" role="status" data-token-shown>
            <p>
              <strong>Copy this token now.</strong> It will not be shown again.
            </p>
            <div className="copy-row">
              <input aria-label="New token" readOnly value={fresh} onFocus={(e) => e.target.select()} />
              <button type="button" className="button small" onClick={() => navigator.clipboard?.writeText(fresh)}>
                Copy
              </button>
            </div>
          </div>
        )}
      </form>
    </div>
  );
}
