// Admin: the look of the customer's tracking page (shop name, logo, accent colour, how to reach the shop), and the
// sign-in log (who signed in when, and failed attempts).
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiProblem, put } from '../api/client.ts';
import { keys, useSettings, useSignIns } from '../api/queries.ts';
import type { Settings } from '../api/types.ts';
import { Field } from '../ui/Field.tsx';
import { timestamp } from '../ui/format.ts';
import { notify } from '../ui/notices.tsx';

export function TrackingAdmin() {
  const settings = useSettings();
  const qc = useQueryClient();
  const [shopName, setShopName] = useState('');
  const [logoUrl, setLogoUrl] = useState('');
  const [accent, setAccent] = useState('#2f5bea');
  const [contact, setContact] = useState('');
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!settings.data) return;
    setShopName(settings.data.email.shopName);
    setLogoUrl(settings.data.tracking.logoUrl ?? '');
    setAccent(settings.data.tracking.accentColor);
    setContact(settings.data.tracking.contact ?? '');
  }, [settings.data]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const next = await put<Settings>('/settings', {
        email: { shopName: shopName.trim() },
        tracking: { logoUrl: logoUrl.trim() || null, accentColor: accent, contact: contact.trim() || null },
      });
      qc.setQueryData(keys.settings, next);
      notify('success', 'Tracking page saved');
    } catch (err) {
      setProblem(err instanceof ApiProblem ? err : null);
      notify('error', 'Not saved', err instanceof ApiProblem ? err.detail : undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="admin-grid">
      <form className="panel" onSubmit={save} aria-labelledby="tracking-look-title" data-form="tracking-page">
        <h2 id="tracking-look-title">Customer tracking page</h2>
        <p className="muted small">
          What customers see when they open their tracking link. It never shows staff, prices or internal stages.
        </p>
        {settings.isPending && <p className="muted">Loading…</p>}
        <Field label="Shop name" error={problem?.errorFor('email.shopName')} hint="Heads the page and signs customer e-mails">
          {(p) => <input {...p} required maxLength={200} value={shopName} onChange={(e) => setShopName(e.target.value)} />}
        </Field>
        <Field
          label="Logo URL"
          error={problem?.errorFor('tracking.logoUrl')}
          hint="An https image; leave empty for the name alone"
        >
          {(p) => <input {...p} type="url" value={logoUrl} onChange={(e) => setLogoUrl(e.target.value)} />}
        </Field>
        <Field label="Accent colour" error={problem?.errorFor('tracking.accentColor')}>
          {(p) => <input {...p} type="color" value={accent} onChange={(e) => setAccent(e.target.value)} />}
        </Field>
        <Field
          label="How customers reach you"
          error={problem?.errorFor('tracking.contact')}
          hint="Shown when an order waits, e.g. “Call 0161 496 0000 or reply to our e-mail”"
        >
          {(p) => <input {...p} maxLength={300} value={contact} onChange={(e) => setContact(e.target.value)} />}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy || !settings.data} data-action="save-tracking-page">
            Save
          </button>
        </div>
      </form>
    </div>
  );
}

export function SignInsAdmin() {
  const signIns = useSignIns();
  return (
    <section className="panel" aria-labelledby="sign-ins-title">
      <h2 id="sign-ins-title">Sign-ins</h2>
      <p className="muted small">Every attempt to sign in to the web app, newest first. Passwords are never recorded.</p>
      {signIns.isPending && <p className="muted">Loading…</p>}
      {signIns.isError && <p className="form-error">{signIns.error.message}</p>}
      {signIns.data && (
        <table className="table" data-table="sign-ins">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">E-mail</th>
              <th scope="col">Result</th>
              <th scope="col">From</th>
            </tr>
          </thead>
          <tbody>
            {signIns.data.map((s) => (
              <tr key={s.id} data-outcome={s.outcome}>
                <td>{timestamp(s.at)}</td>
                <td>{s.email}</td>
                <td>
                  <span className={`badge sign-in-${s.outcome}`}>
                    {s.outcome === 'success'
                      ? 'Signed in'
                      : s.outcome === 'disabled'
                        ? 'Account disabled'
                        : 'Wrong e-mail or password'}
                  </span>
                </td>
                <td className="small">
                  {s.ip ?? '—'}
                  {s.userAgent && <div className="muted">{s.userAgent.slice(0, 80)}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
