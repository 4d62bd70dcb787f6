// My account: your name, your password (the current one first; your other sessions end), two-factor sign-in, and
// what Floorboard tells you about.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, patch, post } from '../api/client.ts';
import type { Me, User } from '../api/types.ts';
import { ROLE_NAMES } from '../auth/roles.ts';
import { ME_KEY, useUser } from '../auth/session.tsx';
import { NotificationPreferences } from '../notifications/NotificationPreferences.tsx';
import { Field, FormError } from '../ui/Field.tsx';
import { notify } from '../ui/notices.tsx';
import { useTitle } from '../ui/title.ts';
import { StationPinPanel } from './StationPinPanel.tsx';
import { TwoFactorPanel } from './TwoFactorPanel.tsx';

export function AccountPage() {
  useTitle('My account');
  const user = useUser();
  return (
    <main className="page account-page" id="main">
      <h1>My account</h1>
      <p className="muted">
        {user.email} · {ROLE_NAMES[user.role]}
      </p>
      <div className="admin-grid">
        <NameForm user={user} />
        <PasswordForm />
        <TwoFactorPanel />
        <StationPinPanel />
        <NotificationPreferences />
      </div>
    </main>
  );
}

function NameForm({ user }: { user: User }) {
  const qc = useQueryClient();
  const [name, setName] = useState(user.name);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError('Enter your name');
    setBusy(true);
    try {
      const updated = await patch<User>(`/users/${user.id}`, { name: name.trim() });
      qc.setQueryData<Me | null>(ME_KEY, (me) => (me ? { ...me, user: updated } : me));
      notify('success', 'Your name is saved');
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      setError(err.errorFor('name') ?? err.detail);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="name-title" data-form="own-name">
      <h2 id="name-title">Your name</h2>
      <Field label="Name" error={error} hint="Shown on the orders you move and the comments you write" required>
        {(p) => (
          <input
            {...p}
            autoComplete="name"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setError(undefined);
            }}
          />
        )}
      </Field>
      <button type="submit" className="button primary" disabled={busy}>
        Save name
      </button>
    </form>
  );
}

function PasswordForm() {
  const [form, setForm] = useState({ currentPassword: '', newPassword: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form, value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors(({ [key]: _, ...rest }) => rest);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!form.currentPassword) found.currentPassword = 'Enter your current password';
    if (form.newPassword.length < 8) found.newPassword = 'At least 8 characters';
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const { sessionsEnded } = await post<{ sessionsEnded: number }>('/auth/password', form);
      setForm({ currentPassword: '', newPassword: '' });
      notify(
        'success',
        'Your password is changed',
        sessionsEnded > 0
          ? `Signed out on ${sessionsEnded} other ${sessionsEnded === 1 ? 'browser' : 'browsers'}.`
          : 'You stay signed in here.',
      );
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      setErrors(Object.fromEntries(err.errors.map((x) => [x.path, x.message])));
      setFormError(err.detail);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="password-title" data-form="own-password">
      <h2 id="password-title">Password</h2>
      <Field label="Current password" error={errors.currentPassword} required>
        {(p) => (
          <input
            {...p}
            type="password"
            autoComplete="current-password"
            value={form.currentPassword}
            onChange={(e) => set('currentPassword', e.target.value)}
          />
        )}
      </Field>
      <Field label="New password" error={errors.newPassword} hint="At least 8 characters; your other sessions end" required>
        {(p) => (
          <input
            {...p}
            type="password"
            autoComplete="new-password"
            value={form.newPassword}
            onChange={(e) => set('newPassword', e.target.value)}
          />
        )}
      </Field>
      <FormError message={formError} />
      <button type="submit" className="button primary" disabled={busy} data-action="change-password">
        {busy ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}
