// Admin: shared station tablets. Register one (a name, how long it may sit idle) and open its link once on the
// tablet; the link is shown only now. Revoking a station ends every session switched to on it at once.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, del, get, post } from '../api/client.ts';
import { Field } from '../ui/Field.tsx';
import { notify } from '../ui/notices.tsx';

interface Station {
  id: string;
  name: string;
  idleSeconds: number;
  createdAt: string;
  revokedAt: string | null;
}

const KEY = ['stations'] as const;

export function StationsAdmin() {
  const qc = useQueryClient();
  const list = useQuery({ queryKey: KEY, queryFn: () => get<{ items: Station[] }>('/stations') });
  const [name, setName] = useState('');
  const [idleMinutes, setIdleMinutes] = useState('5');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [link, setLink] = useState<string | null>(null);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    try {
      const created = await post<Station & { link: string }>('/stations', {
        name,
        idleSeconds: Math.round(Number(idleMinutes) * 60),
      });
      setLink(`${window.location.origin}${created.link}`);
      setName('');
      await qc.invalidateQueries({ queryKey: KEY });
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      setErrors({ name: err.errorFor('name') ?? '', idle: err.errorFor('idleSeconds') ? 'must be 0.5 to 480 minutes' : '' });
    }
  };
  const revoke = async (s: Station) => {
    const res = await del<{ sessionsEnded: number }>(`/stations/${s.id}`);
    notify('success', `${s.name} is revoked; ${res.sessionsEnded} session(s) ended`);
    await qc.invalidateQueries({ queryKey: KEY });
  };
  return (
    <section className="admin-grid" aria-label="Stations">
      <form className="panel" onSubmit={create} noValidate data-form="new-station">
        <h2>New station</h2>
        <Field label="Station name" error={errors.name || undefined} required>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Idle minutes" error={errors.idle || undefined} hint="Signed out after this long without use">
          {(p) => <input {...p} inputMode="decimal" value={idleMinutes} onChange={(e) => setIdleMinutes(e.target.value)} />}
        </Field>
        <button type="submit" className="button primary" data-action="create-station">
          Create station
        </button>
        {link && (
          <p role="status">
            Open this link once on the tablet; it is shown only now: <code data-station-link>{link}</code>
          </p>
        )}
      </form>
      <div className="panel">
        <h2>Stations</h2>
        <ul>
          {list.data?.items.map((s) => (
            <li key={s.id}>
              {s.name} · idle {Math.round(s.idleSeconds / 6) / 10} min ·{' '}
              {s.revokedAt ? (
                'revoked'
              ) : (
                <button type="button" className="button" onClick={() => void revoke(s)}>
                  Revoke {s.name}
                </button>
              )}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
