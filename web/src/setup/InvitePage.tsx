// An invite link opened: whom it is for, and choosing your own name and password to join (which signs you in).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiProblem, get } from '../api/client.ts';
import { Link, navigate } from '../app/router.tsx';
import { ROLE_NAMES } from '../auth/roles.ts';
import { CardBrand } from '../auth/SignIn.tsx';
import { ME_KEY } from '../auth/session.tsx';
import { Field, FormError } from '../ui/Field.tsx';
import { useTitle } from '../ui/title.ts';
import { acceptInvite, type InvitePreview } from './setup-api.ts';

export function InvitePage({ token }: { token: string }) {
  useTitle('Join Floorboard');
  const qc = useQueryClient();
  const preview = useQuery({
    queryKey: ['invite', token],
    queryFn: () => get<InvitePreview>(`/invites/${encodeURIComponent(token)}`),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (preview.data?.name) setName((n) => n || (preview.data.name ?? ''));
  }, [preview.data]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = 'Enter your name';
    if (password.length < 8) found.password = 'At least 8 characters';
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const me = await acceptInvite(token, name.trim(), password);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      navigate('/', { replace: true });
      qc.setQueryData(ME_KEY, me);
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      setErrors(Object.fromEntries(err.errors.map((x) => [x.path, x.message])));
      setFormError(err.detail);
      setBusy(false);
    }
  };

  return (
    <main className="signin" id="main">
      <div className="signin-card">
        <CardBrand />
        {preview.isPending && <p className="muted">Reading your invite…</p>}
        {preview.isError && (
          <>
            <h1>This link does not work</h1>
            <p className="form-error" role="alert">
              {preview.error instanceof ApiProblem ? preview.error.detail : 'The invite could not be read.'}
            </p>
            <p>
              <Link to="/">Go to sign-in</Link>
            </p>
          </>
        )}
        {preview.data && (
          <form onSubmit={submit} noValidate aria-labelledby="invite-title" data-form="accept-invite">
            <h1 id="invite-title">Join {preview.data.shopName}</h1>
            <p className="muted">
              You are invited as <strong>{ROLE_NAMES[preview.data.role]}</strong> with <strong>{preview.data.email}</strong>.
              Choose your password to sign in.
            </p>
            <Field label="Your name" error={errors.name} required>
              {(p) => <input {...p} name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />}
            </Field>
            <Field label="Choose a password" error={errors.password} hint="At least 8 characters" required>
              {(p) => (
                <input
                  {...p}
                  name="password"
                  type="password"
                  autoComplete="new-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              )}
            </Field>
            <FormError message={formError} />
            <button type="submit" className="button primary block" disabled={busy} data-action="accept-invite">
              {busy ? 'Joining…' : 'Join and sign in'}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
