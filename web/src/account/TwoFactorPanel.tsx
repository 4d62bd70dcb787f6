// Two-factor sign-in on My account: enrol an authenticator app by its QR code (or the secret typed in), confirm
// with a code, keep the recovery codes shown once; or turn it off with your password.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, get, post } from '../api/client.ts';
import { Field } from '../ui/Field.tsx';
import { notify } from '../ui/notices.tsx';

const STATUS_KEY = ['two-factor'] as const;

interface Enrolment {
  secret: string;
  otpauthUrl: string;
  qrSvg: string;
}

export function TwoFactorPanel() {
  const qc = useQueryClient();
  const status = useQuery({
    queryKey: STATUS_KEY,
    queryFn: () => get<{ enabled: boolean; recoveryCodesLeft: number }>('/auth/two-factor'),
  });
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      setError(err.detail);
    } finally {
      setBusy(false);
    }
  };
  const refresh = () => qc.invalidateQueries({ queryKey: STATUS_KEY });

  const start = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      setEnrolment(await post<Enrolment>('/auth/two-factor/setup', { password }));
      setPassword('');
    });
  };
  const confirm = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const res = await post<{ recoveryCodes: string[] }>('/auth/two-factor/confirm', { code: code.replace(/\s/g, '') });
      setCodes(res.recoveryCodes);
      setEnrolment(null);
      setCode('');
      notify('success', 'Two-factor sign-in is on');
      await refresh();
    });
  };
  const turnOff = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await post('/auth/two-factor/disable', { password });
      setPassword('');
      setCodes(null);
      notify('success', 'Two-factor sign-in is off');
      await refresh();
    });
  };
  const renew = () =>
    void run(async () => {
      setCodes((await post<{ recoveryCodes: string[] }>('/auth/two-factor/recovery-codes', { password })).recoveryCodes);
      setPassword('');
      await refresh();
    });

  const passwordField = (
    <Field label="Your password" hint="Asked again before a change to how you sign in">
      {(p) => (
        <input
          {...p}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      )}
    </Field>
  );

  return (
    <section className="panel" aria-labelledby="two-factor-title" data-panel="two-factor">
      <h2 id="two-factor-title">Two-factor sign-in</h2>
      {codes && (
        <div className="recovery-codes" data-recovery-codes>
          <p>
            <strong>Keep these recovery codes somewhere safe.</strong> Each signs you in once without your phone; they are not
            shown again.
          </p>
          <ul className="mono">
            {codes.map((c) => (
              <li key={c} data-recovery-code>
                {c}
              </li>
            ))}
          </ul>
        </div>
      )}
      {status.data?.enabled ? (
        <>
          <p data-two-factor="on">
            On: signing in asks for a code from your authenticator app. {status.data.recoveryCodesLeft} recovery codes left.
          </p>
          <form onSubmit={turnOff} aria-label="Turn two-factor sign-in off">
            {passwordField}
            <div className="button-row">
              <button type="submit" className="button" disabled={busy || !password} data-action="disable-two-factor">
                Turn off
              </button>
              <button type="button" className="button" disabled={busy || !password} onClick={renew}>
                New recovery codes
              </button>
            </div>
          </form>
        </>
      ) : enrolment ? (
        <form onSubmit={confirm} aria-label="Confirm your authenticator app" data-form="confirm-two-factor">
          <p>Scan this code with an authenticator app (or type the key into it), then enter the code it shows.</p>
          <img
            className="qr"
            width="180"
            height="180"
            alt="QR code to add Floorboard to an authenticator app"
            src={`data:image/svg+xml;utf8,${encodeURIComponent(enrolment.qrSvg)}`}
          />
          <p className="small">
            Key: <code data-two-factor-secret>{enrolment.secret}</code>
          </p>
          <Field label="Code from the app">
            {(p) => (
              <input
                {...p}
                inputMode="numeric"
                autoComplete="one-time-code"
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
            )}
          </Field>
          <button type="submit" className="button primary" disabled={busy} data-action="confirm-two-factor">
            Turn on
          </button>
        </form>
      ) : (
        <form onSubmit={start} aria-label="Set up two-factor sign-in">
          <p className="muted">Off. With it on, signing in needs a code from an app on your phone as well as your password.</p>
          {passwordField}
          <button type="submit" className="button primary" disabled={busy || !password} data-action="start-two-factor">
            Set up two-factor sign-in
          </button>
        </form>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
