// How each kind of notice reaches me: in the app only, also by e-mail at once, or in one e-mail a day.
// Its own section so that both the inbox and an account page can show it.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiProblem } from '../api/client.ts';
import { notify } from '../ui/notices.tsx';
import { type Delivery, KIND_NAMES, type NotificationKind, savePreferences, usePreferences } from './notifications-api.ts';

const CHOICES: Array<[Delivery, string]> = [
  ['in-app', 'In the app only'],
  ['email', 'E-mail at once'],
  ['digest', 'Daily digest'],
];

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const hourText = (h: number) => `${String(h).padStart(2, '0')}:00`;

export function NotificationPreferences() {
  const qc = useQueryClient();
  const prefs = usePreferences();
  const [delivery, setDelivery] = useState<Record<string, Delivery>>({});
  const [hour, setHour] = useState(7);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!prefs.data) return;
    setDelivery(prefs.data.delivery);
    setHour(prefs.data.digestHour);
  }, [prefs.data]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await savePreferences(qc, { delivery: delivery as Record<NotificationKind, Delivery>, digestHour: hour });
      notify('success', 'Notification choices saved');
    } catch (err) {
      setError(err instanceof ApiProblem ? err.detail : 'Something went wrong; try again.');
    } finally {
      setSaving(false);
    }
  };

  const digest = Object.values(delivery).includes('digest');
  return (
    <section className="notice-prefs" aria-labelledby="notice-prefs-heading" data-notice-preferences>
      <h2 id="notice-prefs-heading">How notices reach me</h2>
      <p className="muted">
        Every notice is here and on the bell. Choose which also come by e-mail at once, and which are gathered into one e-mail a
        day listing those still unread.
      </p>
      {prefs.isPending && <p className="muted">Loading…</p>}
      {prefs.isError && (
        <p className="form-error" role="alert">
          {prefs.error.message}
        </p>
      )}
      {prefs.data && (
        <form onSubmit={save}>
          <div className="notice-prefs-scroll">
            <table className="notice-prefs-table">
              <thead>
                <tr>
                  <th scope="col">Notice</th>
                  {CHOICES.map(([value, label]) => (
                    <th scope="col" key={value}>
                      {label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {prefs.data.available.map((kind) => (
                  <tr key={kind} data-kind={kind}>
                    <th scope="row">{KIND_NAMES[kind] ?? kind}</th>
                    {CHOICES.map(([value, label]) => (
                      <td key={value}>
                        <input
                          type="radio"
                          name={`delivery-${kind}`}
                          value={value}
                          aria-label={`${KIND_NAMES[kind] ?? kind}: ${label}`}
                          checked={delivery[kind] === value}
                          onChange={() => setDelivery({ ...delivery, [kind]: value })}
                        />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <label className="notice-prefs-hour">
            Daily digest at{' '}
            <select value={hour} onChange={(e) => setHour(Number(e.target.value))} disabled={!digest} name="digestHour">
              {HOURS.map((h) => (
                <option key={h} value={h}>
                  {hourText(h)}
                </option>
              ))}
            </select>{' '}
            <span className="muted">in the workspace's time zone, when anything is unread</span>
          </label>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button primary" disabled={saving} data-action="save-notice-preferences">
            {saving ? 'Saving…' : 'Save choices'}
          </button>
        </form>
      )}
    </section>
  );
}
