// "Add your team": several people at once by e-mail and role; without e-mail set up, each one's link to copy.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, post } from '../api/client.ts';
import { ROLES, type Role } from '../api/types.ts';
import { ROLE_NAMES } from '../auth/roles.ts';
import { FormError } from '../ui/Field.tsx';
import { notify } from '../ui/notices.tsx';
import type { IssuedInvite } from './setup-api.ts';

interface Row {
  email: string;
  name: string;
  role: Role;
}

const emptyRow = (role: Role = 'production'): Row => ({ email: '', name: '', role });

export const INVITES_KEY = ['invites'] as const;

export function TeamInvites({ onSent }: { onSent?: (items: IssuedInvite[]) => void }) {
  const qc = useQueryClient();
  const [rows, setRows] = useState<Row[]>([emptyRow('manager'), emptyRow('sales'), emptyRow('production')]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<IssuedInvite[]>([]);
  const setRow = (i: number, change: Partial<Row>) => {
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...change } : r)));
    setErrors(({ [`invites.${i}.email`]: _, ...rest }) => rest);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const filled = rows.map((r, i) => ({ ...r, i })).filter((r) => r.email.trim());
    const found: Record<string, string> = {};
    for (const r of filled) {
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(r.email.trim())) found[`invites.${r.i}.email`] = 'Not an e-mail address';
    }
    setErrors(found);
    setFormError(filled.length === 0 ? 'Enter at least one e-mail address' : null);
    if (filled.length === 0 || Object.keys(found).length) return;
    setBusy(true);
    try {
      const res = await post<{ items: IssuedInvite[] }>('/invites', {
        invites: filled.map((r) => ({ email: r.email.trim(), role: r.role, ...(r.name.trim() ? { name: r.name.trim() } : {}) })),
      });
      setSent((s) => [...res.items, ...s]);
      setRows([emptyRow()]);
      void qc.invalidateQueries({ queryKey: INVITES_KEY });
      const mailed = res.items.filter((i) => i.emailed).length;
      notify(
        'success',
        `${res.items.length} ${res.items.length === 1 ? 'person' : 'people'} invited`,
        mailed === res.items.length ? 'Each has an e-mail with their link.' : 'Copy each link below and send it to its person.',
      );
      onSent?.(res.items);
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      // The API numbers the rows it was sent: map them back to the rows on screen.
      const byPath: Record<string, string> = {};
      for (const x of err.errors) {
        const m = /^invites\.(\d+)\.(\w+)$/.exec(x.path);
        const row = m ? filled[Number(m[1])] : undefined;
        if (m && row) byPath[`invites.${row.i}.${m[2]}`] = x.message;
      }
      setErrors(byPath);
      setFormError(err.detail);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="team-invites">
      <form onSubmit={submit} noValidate aria-label="Invite people" data-form="invites">
        <table className="table invite-rows">
          <thead>
            <tr>
              <th scope="col">E-mail</th>
              <th scope="col">Name (optional)</th>
              <th scope="col">Role</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => {
              const error = errors[`invites.${i}.email`];
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
                <tr key={i} data-invite-row={i}>
                  <td>
                    <input
                      type="email"
                      aria-label={`E-mail of person ${i + 1}`}
                      aria-invalid={Boolean(error)}
                      placeholder="name@yourshop.com"
                      value={r.email}
                      onChange={(e) => setRow(i, { email: e.target.value })}
                    />
                    {error && <p className="field-error">{error}</p>}
                  </td>
                  <td>
                    <input
                      aria-label={`Name of person ${i + 1}`}
                      value={r.name}
                      onChange={(e) => setRow(i, { name: e.target.value })}
                    />
                  </td>
                  <td>
                    <select
                      aria-label={`Role of person ${i + 1}`}
                      value={r.role}
                      onChange={(e) => setRow(i, { role: e.target.value as Role })}
                    >
                      {ROLES.map((role) => (
                        <option key={role} value={role}>
                          {ROLE_NAMES[role]}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <FormError message={formError} />
        <div className="button-row">
          <button type="button" className="button" onClick={() => setRows((rs) => [...rs, emptyRow()])}>
            Add another person
          </button>
          <button type="submit" className="button primary" disabled={busy} data-action="send-invites">
            {busy ? 'Inviting…' : 'Invite'}
          </button>
        </div>
      </form>
      {sent.length > 0 && <SentInvites items={sent} />}
    </div>
  );
}

function SentInvites({ items }: { items: IssuedInvite[] }) {
  return (
    <section className="sent-invites" aria-labelledby="sent-invites-title">
      <h3 id="sent-invites-title">Invited</h3>
      <ul className="invite-links">
        {items.map((i) => (
          <li key={i.id} data-invite={i.email}>
            <div>
              <strong>{i.name ?? i.email}</strong> <span className="muted small">{ROLE_NAMES[i.role]}</span>
              {i.name && <div className="mono small">{i.email}</div>}
            </div>
            {i.link ? (
              <div className="copy-row">
                <input
                  readOnly
                  value={i.link}
                  aria-label={`Invite link for ${i.email}`}
                  data-invite-link
                  onFocus={(e) => e.target.select()}
                />
                <button type="button" className="button small" onClick={() => void navigator.clipboard?.writeText(i.link ?? '')}>
                  Copy
                </button>
              </div>
            ) : (
              <span className="small">E-mailed</span>
            )}
            {i.emailError && <p className="field-error">The e-mail could not be sent ({i.emailError}): copy the link instead.</p>}
          </li>
        ))}
      </ul>
      <p className="muted small">
        Each link works once and for seven days; it is not shown again. The person opens it, chooses a password and is signed in.
      </p>
    </section>
  );
}
