// A password-reset link opened: choose a new password, then sign in with it (a reset never signs anyone in, so
// two-factor sign-in still asks for its code).
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, get, post } from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { Field, FormError } from '../ui/Field.tsx';
import { useTitle } from '../ui/title.ts';
import { CardBrand } from './SignIn.tsx';

export function ResetPasswordPage({ token }: { token: string }) {
  useTitle('Choose a new password');
  const preview = useQuery({
    queryKey: ['password-reset', token],
    queryFn: () => get<{ email: string; expiresAt: string }>(`/auth/password-reset/${encodeURIComponent(token)}`),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    if (password.length < 8) return setError('At least 8 characters');
    setBusy(true);
    try {
      setDone((await post<{ email: string }>(`/auth/password-reset/${encodeURIComponent(token)}`, { password })).email);
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      setError(err.errorFor('password'));
      setFormError(err.detail);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin" id="main">
      <div className="signin-card">
        <CardBrand />
        {preview.isPending && <p className="muted">Reading your link…</p>}
        {preview.isError && (
          <>
            <h1>This link does not work</h1>
            <p className="form-error" role="alert">
              {preview.error instanceof ApiProblem ? preview.error.detail : 'The link could not be read.'}
            </p>
            <p>
              <Link to="/forgot-password">Ask for a new link</Link>
            </p>
          </>
        )}
        {done && (
          <>
            <h1>Your password is changed</h1>
            <p role="status">You are signed out everywhere. Sign in with your new password.</p>
            <p>
              <a className="button primary block" href={`/?email=${encodeURIComponent(done)}`} data-action="go-sign-in">
                Sign in
              </a>
            </p>
          </>
        )}
        {preview.data && !done && (
          <form onSubmit={submit} noValidate aria-labelledby="reset-title" data-form="reset-password">
            <h1 id="reset-title">Choose a new password</h1>
            <p className="muted">
              For <strong>{preview.data.email}</strong>. Choosing it signs you out everywhere.
            </p>
            <Field label="New password" error={error} hint="At least 8 characters" required>
              {(p) => (
                <input
                  {...p}
                  name="password"
                  type="password"
                  autoComplete="new-password"
                  value={password}
                  onChange={(e) => {
                    setPassword(e.target.value);
                    setError(undefined);
                  }}
                />
              )}
            </Field>
            <FormError message={formError} />
            <button type="submit" className="button primary block" disabled={busy} data-action="save-password">
              {busy ? 'Saving…' : 'Save the new password'}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
