// The sign-in page: e-mail and password; the API answers a wrong password slowly and rate-limits repeats.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem } from '../api/client.ts';
import { useTitle } from '../ui/title.ts';
import { ME_KEY, signIn } from './session.tsx';

export function SignInPage() {
  const qc = useQueryClient();
  useTitle('Sign in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await signIn(email.trim(), password);
      // Drop what another user may have left in the cache; keep the session query the app is watching.
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      qc.setQueryData(ME_KEY, me);
    } catch (err) {
      setError(err instanceof ApiProblem ? err.detail : 'Could not sign in');
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <form className="signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <div className="brand brand-large">
          <BrandMark />
          <span>Floorboard</span>
        </div>
        <h1 id="signin-title">Sign in</h1>
        <p className="muted">Every order, every stage, one place where it is true.</p>
        <div className="field">
          <label htmlFor="signin-email">E-mail</label>
          <input
            id="signin-email"
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="signin-password">Password</label>
          <input
            id="signin-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

export function BrandMark() {
  return (
    <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
      <rect width="32" height="32" rx="7" fill="var(--accent)" />
      <path d="M8 9h4v14H8zM14 9h4v9h-4zM20 9h4v5h-4z" fill="white" />
    </svg>
  );
}
