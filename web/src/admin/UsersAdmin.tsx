// Users and roles: who may sign in, with which role; an admin adds people, changes roles, disables accounts.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, patch, post } from '../api/client.ts';
import { keys, useUsers } from '../api/queries.ts';
import { ROLES, type Role, type User } from '../api/types.ts';
import { ROLE_NAMES } from '../auth/roles.ts';
import { useUser } from '../auth/session.tsx';
import { Field, FormError } from '../ui/Field.tsx';
import { timestamp } from '../ui/format.ts';
import { notify } from '../ui/notices.tsx';
import { InvitesAdmin } from './InvitesAdmin.tsx';

export function UsersAdmin() {
  const users = useUsers();
  return (
    <div className="admin-grid">
      <section className="panel" aria-labelledby="users-title">
        <h2 id="users-title">Users</h2>
        {users.isPending && <p className="muted">Loading…</p>}
        {users.data && (
          <table className="table" data-table="users">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Sign-in</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((u) => (
                <UserRow key={u.id} user={u} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <NewUserForm />
      <InvitesAdmin />
    </div>
  );
}

function UserRow({ user }: { user: User }) {
  const me = useUser();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const change = async (edit: { role?: Role; disabled?: boolean }) => {
    setBusy(true);
    try {
      await patch<User>(`/users/${user.id}`, edit);
      await qc.invalidateQueries({ queryKey: keys.users });
      notify('success', `${user.name} updated`);
    } catch (err) {
      notify('error', `${user.name} not changed`, err instanceof ApiProblem ? err.detail : undefined);
    } finally {
      setBusy(false);
    }
  };
  const self = user.id === me.id;
  return (
    <tr data-user={user.email} className={user.disabledAt ? 'row-disabled' : undefined}>
      <td>{user.name}</td>
      <td className="mono small">{user.email}</td>
      <td>
        <label className="sr-only" htmlFor={`role-${user.id}`}>
          Role of {user.name}
        </label>
        <select
          id={`role-${user.id}`}
          value={user.role}
          disabled={busy || self}
          onChange={(e) => change({ role: e.target.value as Role })}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_NAMES[r]}
            </option>
          ))}
        </select>
      </td>
      <td>
        {self ? (
          <span className="muted small">You</span>
        ) : (
          <button type="button" className="button small" disabled={busy} onClick={() => change({ disabled: !user.disabledAt })}>
            {user.disabledAt ? 'Enable' : 'Disable'}
          </button>
        )}
        {user.disabledAt && <span className="muted small"> since {timestamp(user.disabledAt)}</span>}
      </td>
      <td>
        <SignInCell user={user} self={self} onChange={() => qc.invalidateQueries({ queryKey: keys.users })} />
      </td>
    </tr>
  );
}

/**
 * An admin's help with someone's sign-in: a reset ends their password and sessions and sends them a link to choose
 * a new one (the admin never picks it); two-factor sign-in can be turned off for someone who lost their phone.
 */
function SignInCell({ user, self, onChange }: { user: User; self: boolean; onChange: () => void }) {
  const [busy, setBusy] = useState(false);
  const [link, setLink] = useState<string | null>(null);
  if (self) return <span className="muted small">{user.twoFactor ? 'Two-factor on' : ''}</span>;
  const reset = async () => {
    if (!window.confirm(`Reset ${user.name}'s password? It stops working now and they are signed out everywhere.`)) return;
    setBusy(true);
    try {
      const res = await post<{ emailed: boolean; link: string | null; emailError: string | null }>(
        `/users/${user.id}/password-reset`,
      );
      setLink(res.link);
      notify(
        'success',
        `${user.name}'s password is reset`,
        res.emailed ? 'They have an e-mail with a link to choose a new one.' : 'Pass the link on to them: it is not shown again.',
      );
    } catch (err) {
      notify('error', 'The password was not reset', err instanceof ApiProblem ? err.detail : undefined);
    } finally {
      setBusy(false);
    }
  };
  const twoFactorOff = async () => {
    if (!window.confirm(`Turn off two-factor sign-in for ${user.name}? Their password alone will sign them in.`)) return;
    setBusy(true);
    try {
      await patch<User>(`/users/${user.id}`, { twoFactor: false });
      notify('success', `Two-factor sign-in is off for ${user.name}`);
      onChange();
    } catch (err) {
      notify('error', 'Two-factor sign-in was not turned off', err instanceof ApiProblem ? err.detail : undefined);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="button-row">
      <button type="button" className="button small" disabled={busy || Boolean(user.disabledAt)} onClick={reset}>
        Reset password
      </button>
      {user.twoFactor && (
        <button type="button" className="button small" disabled={busy} onClick={twoFactorOff}>
          Turn off two-factor
        </button>
      )}
      {link && (
        <input
          readOnly
          value={link}
          aria-label={`Password link for ${user.email}`}
          data-reset-link
          onFocus={(e) => e.target.select()}
        />
      )}
    </div>
  );
}

function NewUserForm() {
  const qc = useQueryClient();
  const [form, setForm] = useState({ name: '', email: '', role: 'production' as Role, password: '' });
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
    if (!form.name.trim()) found.name = 'Enter their name';
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email.trim())) found.email = 'Enter an e-mail address such as name@example.com';
    if (form.password.length < 8) found.password = 'At least 8 characters';
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const user = await post<User>('/users', { ...form, name: form.name.trim(), email: form.email.trim() });
      await qc.invalidateQueries({ queryKey: keys.users });
      notify('success', `${user.name} can now sign in`, `As ${ROLE_NAMES[user.role]}, with ${user.email}.`);
      setForm({ name: '', email: '', role: form.role, password: '' });
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      setErrors(Object.fromEntries(err.errors.map((x) => [x.path, x.message])));
      setFormError(err.detail);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="new-user-title" data-form="new-user">
      <h2 id="new-user-title">Add a user</h2>
      <Field label="Name" error={errors.name} required>
        {(p) => <input {...p} name="name" value={form.name} onChange={(e) => set('name', e.target.value)} />}
      </Field>
      <Field label="E-mail" error={errors.email} required>
        {(p) => <input {...p} name="email" type="email" value={form.email} onChange={(e) => set('email', e.target.value)} />}
      </Field>
      <Field label="Role" error={errors.role}>
        {(p) => (
          <select {...p} name="role" value={form.role} onChange={(e) => set('role', e.target.value)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_NAMES[r]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Password" error={errors.password} hint="At least 8 characters; they can change it later" required>
        {(p) => (
          <input
            {...p}
            name="password"
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => set('password', e.target.value)}
          />
        )}
      </Field>
      <FormError message={formError} />
      <button type="submit" className="button primary" disabled={busy} data-action="create-user">
        {busy ? 'Adding…' : 'Add user'}
      </button>
    </form>
  );
}
