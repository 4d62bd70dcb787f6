// Your station PIN on My account: 4 to 8 digits to switch to yourself on a shared station tablet; the current
// password proves it is you. The API refuses trivial PINs (0000, 1234) and says why.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, get, put } from '../api/client.ts';
import { Field } from '../ui/Field.tsx';
import { notify } from '../ui/notices.tsx';

const PIN_KEY = ['station-pin'] as const;

export function StationPinPanel() {
  const qc = useQueryClient();
  const status = useQuery({ queryKey: PIN_KEY, queryFn: () => get<{ hasPin: boolean }>('/auth/pin') });
  const [currentPassword, setCurrentPassword] = useState('');
  const [pin, setPin] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const save = async (e: FormEvent, value: string | null) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      await put('/auth/pin', { currentPassword, pin: value });
      setCurrentPassword('');
      setPin('');
      notify('success', value === null ? 'Your station PIN is removed' : 'Your station PIN is set');
      await qc.invalidateQueries({ queryKey: PIN_KEY });
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      setErrors({
        pin: err.errorFor('pin') ?? '',
        currentPassword: err.errorFor('currentPassword') ?? '',
        form: err.errors.length ? '' : err.detail,
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel" onSubmit={(e) => save(e, pin)} noValidate aria-labelledby="pin-title" data-form="station-pin">
      <h2 id="pin-title">Station PIN</h2>
      <p className="muted">
        {status.data?.hasPin ? 'You have a station PIN.' : 'No station PIN yet.'} With one, you switch to yourself on a shared
        station tablet.
      </p>
      <Field label="Current password" error={errors.currentPassword || undefined} required>
        {(p) => (
          <input
            {...p}
            type="password"
            autoComplete="current-password"
            value={currentPassword}
            onChange={(e) => setCurrentPassword(e.target.value)}
          />
        )}
      </Field>
      <Field label="New PIN" error={errors.pin || undefined} hint="4 to 8 digits, not 0000 or 1234">
        {(p) => (
          <input
            {...p}
            type="password"
            inputMode="numeric"
            autoComplete="off"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
          />
        )}
      </Field>
      {errors.form && (
        <p className="form-error" role="alert">
          {errors.form}
        </p>
      )}
      <button type="submit" className="button primary" disabled={busy} data-action="set-pin">
        Set PIN
      </button>
      {status.data?.hasPin && (
        <button type="button" className="button" disabled={busy} onClick={(e) => save(e, null)}>
          Remove PIN
        </button>
      )}
    </form>
  );
}
