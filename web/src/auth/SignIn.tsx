// The sign-in page: e-mail and password, then a code when two-factor sign-in is on; "forgot password" asks for a
// link by e-mail. The API answers a wrong password slowly and rate-limits repeats.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, post } from '../api/client.ts';
import type { Me, SecondStep } from '../api/types.ts';
import { Link } from '../app/router.tsx';
import { useTitle } from '../ui/title.ts';
import { completeSignIn, ME_KEY, signIn } from './session.tsx';

export function SignInPage({ forgot = false }: { forgot?: boolean }) {
  const qc = useQueryClient();
  useTitle(forgot ? 'Forgot password' : 'Sign in');
  const [email, setEmail] = useState(() => new URLSearchParams(window.location.search).get('email') ?? '');
  const [password, setPassword] = useState('');
  const [step, setStep] = useState<SecondStep | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const enter = (me: Me) => {
    // Drop what another user may have left in the cache; keep the session query the app is watching.
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
    qc.setQueryData(ME_KEY, me);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await signIn(email.trim(), password);
      if ('twoFactorRequired' in answer) {
        setStep(answer);
        setPassword('');
        setBusy(false);
      } else enter(answer);
    } catch (err) {
      setError(err instanceof ApiProblem ? err.detail : 'Could not sign in');
      setBusy(false);
    }
  };

  if (forgot) return <ForgotPassword />;
  if (step) return <SecondStepForm step={step} onSignedIn={enter} onRestart={() => setStep(null)} />;

  return (
    <main className="signin">
      <form className="signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <CardBrand />
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
        <p className="small">
          <Link to="/forgot-password" data-action="forgot-password">
            Forgot your password?
          </Link>
        </p>
      </form>
    </main>
  );
}

function SecondStepForm({
  step,
  onSignedIn,
  onRestart,
}: {
  step: SecondStep;
  onSignedIn: (me: Me) => void;
  onRestart: () => void;
}) {
  const [recovery, setRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(
        await completeSignIn(step.challenge, recovery ? { recoveryCode: code.trim() } : { code: code.replace(/\s/g, '') }),
      );
    } catch (err) {
      setError(err instanceof ApiProblem ? err.detail : 'Could not sign in');
      setCode('');
      setBusy(false);
    }
  };
  return (
    <main className="signin">
      <form className="signin-card" onSubmit={submit} aria-labelledby="second-step-title" data-form="second-step">
        <CardBrand />
        <h1 id="second-step-title">Two-factor sign-in</h1>
        <p className="muted">
          {recovery
            ? 'Enter one of the recovery codes you kept when you turned two-factor sign-in on. Each works once.'
            : 'Enter the 6-digit code your authenticator app shows for Floorboard.'}
        </p>
        <div className="field">
          <label htmlFor="second-step-code">{recovery ? 'Recovery code' : 'Code'}</label>
          <input
            id="second-step-code"
            name="code"
            autoComplete="one-time-code"
            inputMode={recovery ? 'text' : 'numeric'}
            required
            // biome-ignore lint/a11y/noAutofocus: the one field of this step, right after the password
            autoFocus
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary block" disabled={busy} data-action="verify-code">
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        <p className="small button-row">
          <button type="button" className="button ghost small" onClick={() => setRecovery(!recovery)} data-action="use-recovery">
            {recovery ? 'Use a code from the app' : 'Use a recovery code'}
          </button>
          <button type="button" className="button ghost small" onClick={onRestart}>
            Start again
          </button>
        </p>
      </form>
    </main>
  );
}

function ForgotPassword() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setSent((await post<{ detail: string }>('/auth/password-reset', { email: email.trim() })).detail);
    } catch (err) {
      setError(err instanceof ApiProblem ? err.detail : 'Could not ask for a link');
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="signin">
      <form className="signin-card" onSubmit={submit} aria-labelledby="forgot-title" data-form="forgot-password">
        <CardBrand />
        <h1 id="forgot-title">Forgot your password?</h1>
        {sent ? (
          <p role="status" data-reset-requested>
            {sent}
          </p>
        ) : (
          <>
            <p className="muted">Enter the e-mail you sign in with: we send a link to choose a new password.</p>
            <div className="field">
              <label htmlFor="forgot-email">E-mail</label>
              <input
                id="forgot-email"
                type="email"
                autoComplete="username"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            </div>
            {error && (
              <p className="form-error" role="alert">
                {error}
              </p>
            )}
            <button type="submit" className="button primary block" disabled={busy} data-action="send-reset">
              {busy ? 'Sending…' : 'Send me a link'}
            </button>
          </>
        )}
        <p className="small">
          <Link to="/">Back to sign-in</Link>
        </p>
      </form>
    </main>
  );
}

/** The large Floorboard name at the head of the signed-out pages' cards. */
export function CardBrand() {
  return (
    <div className="brand brand-large">
      <BrandMark />
      <span>Floorboard</span>
    </div>
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
