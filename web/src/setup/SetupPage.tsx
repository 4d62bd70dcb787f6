// First run: the shop's first admin, its name, time zone and working hours, and the workflow it starts from.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { ApiProblem } from '../api/client.ts';
import { navigate } from '../app/router.tsx';
import { ROLE_NAMES } from '../auth/roles.ts';
import { CardBrand } from '../auth/SignIn.tsx';
import { ME_KEY } from '../auth/session.tsx';
import { Field, FormError } from '../ui/Field.tsx';
import { useTitle } from '../ui/title.ts';
import { completeSetup, SETUP_KEY, type SetupState } from './setup-api.ts';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const BLANK = 'blank';

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes(current) ? all : [current, ...all];
}

export function SetupPage({ state }: { state: SetupState }) {
  useTitle('Set up Floorboard');
  const qc = useQueryClient();
  const zone = useMemo(browserTimeZone, []);
  const zones = useMemo(() => timeZones(zone), [zone]);
  const [form, setForm] = useState({
    name: '',
    email: '',
    password: '',
    shopName: '',
    timeZone: zone,
    workingDays: [1, 2, 3, 4, 5],
    dayStart: '08:00',
    dayEnd: '17:00',
    template: state.templates[0]?.workflow.key ?? BLANK,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors(({ [key]: _, ...rest }) => rest);
  };
  const toggleDay = (day: number) =>
    set(
      'workingDays',
      form.workingDays.includes(day) ? form.workingDays.filter((d) => d !== day) : [...form.workingDays, day].sort(),
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!form.name.trim()) found.name = 'Enter your name';
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email.trim())) found.email = 'Enter an e-mail address such as you@yourshop.com';
    if (form.password.length < 8) found.password = 'At least 8 characters';
    if (!form.shopName.trim()) found.shopName = "Enter your shop's name";
    if (form.workingDays.length === 0) found.workingDays = 'Pick at least one working day';
    if (form.dayStart >= form.dayEnd) found.dayEnd = 'The working day must end after it starts';
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const me = await completeSetup({
        admin: { name: form.name.trim(), email: form.email.trim(), password: form.password },
        shopName: form.shopName.trim(),
        calendar: { timeZone: form.timeZone, workingDays: form.workingDays, dayStart: form.dayStart, dayEnd: form.dayEnd },
        template: form.template,
      });
      // Setup is closed now: signing out later shows sign-in, not this form.
      qc.setQueryData(SETUP_KEY, { ...state, needed: false });
      navigate('/setup/team', { replace: true });
      qc.setQueryData(ME_KEY, me);
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      const byPath: Record<string, string> = {};
      for (const x of err.errors) {
        const key = x.path.replace(/^admin\./, '').replace(/^calendar\.?/, '') || 'calendar';
        byPath[key === 'calendar' ? 'timeZone' : key] = x.message;
      }
      setErrors(byPath);
      setFormError(err.detail);
      setBusy(false);
      if (err.type === 'setup-closed') void qc.invalidateQueries({ queryKey: SETUP_KEY });
    }
  };

  return (
    <main className="setup" id="main">
      <form className="setup-card" onSubmit={submit} noValidate aria-labelledby="setup-title" data-form="setup">
        <CardBrand />
        <h1 id="setup-title">Set up your workspace</h1>
        <p className="muted">
          Nobody uses this Floorboard yet. You become its first admin; you can invite your team next and change any of this later.
        </p>

        <fieldset className="setup-section">
          <legend>Your account</legend>
          <div className="setup-row">
            <Field label="Your name" error={errors.name} required>
              {(p) => (
                <input {...p} name="name" autoComplete="name" value={form.name} onChange={(e) => set('name', e.target.value)} />
              )}
            </Field>
            <Field label="E-mail" error={errors.email} required>
              {(p) => (
                <input
                  {...p}
                  name="email"
                  type="email"
                  autoComplete="username"
                  value={form.email}
                  onChange={(e) => set('email', e.target.value)}
                />
              )}
            </Field>
          </div>
          <Field label="Password" error={errors.password} hint="At least 8 characters" required>
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
        </fieldset>

        <fieldset className="setup-section">
          <legend>Your shop</legend>
          <div className="setup-row">
            <Field label="Shop name" error={errors.shopName} hint="Customers see it on their tracking page and e-mails" required>
              {(p) => <input {...p} name="shopName" value={form.shopName} onChange={(e) => set('shopName', e.target.value)} />}
            </Field>
            <Field label="Time zone" error={errors.timeZone} hint="Stall times and due dates count in it">
              {(p) => (
                <select {...p} name="timeZone" value={form.timeZone} onChange={(e) => set('timeZone', e.target.value)}>
                  {zones.map((z) => (
                    <option key={z} value={z}>
                      {z.replaceAll('_', ' ')}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <fieldset className={`field weekday-field${errors.workingDays ? ' field-invalid' : ''}`}>
            <legend className="field-label">Working days</legend>
            <div className="weekday-picks">
              {WEEKDAYS.map((d, i) => (
                <label key={d} className="weekday-pick">
                  <input type="checkbox" checked={form.workingDays.includes(i + 1)} onChange={() => toggleDay(i + 1)} />
                  {d}
                </label>
              ))}
            </div>
            {errors.workingDays && <p className="field-error">{errors.workingDays}</p>}
          </fieldset>
          <div className="setup-row">
            <Field label="Day starts" error={errors.dayStart}>
              {(p) => (
                <input
                  {...p}
                  name="dayStart"
                  type="time"
                  value={form.dayStart}
                  onChange={(e) => set('dayStart', e.target.value)}
                />
              )}
            </Field>
            <Field label="Day ends" error={errors.dayEnd}>
              {(p) => (
                <input {...p} name="dayEnd" type="time" value={form.dayEnd} onChange={(e) => set('dayEnd', e.target.value)} />
              )}
            </Field>
          </div>
        </fieldset>

        <fieldset className="setup-section">
          <legend>Your workflow</legend>
          <p className="muted small">
            The stages an order moves through, who owns each and what they do next. Start from your trade's and adjust it under
            Admin → Workflows.
          </p>
          <div className="template-picks" role="radiogroup" aria-label="Workflow template">
            {state.templates.map((t) => (
              <label key={t.workflow.key} className="template-pick" data-template={t.workflow.key}>
                <input
                  type="radio"
                  name="template"
                  value={t.workflow.key}
                  checked={form.template === t.workflow.key}
                  onChange={() => set('template', t.workflow.key)}
                />
                <span className="template-body">
                  <strong>{t.trade}</strong>
                  <span className="small muted">{t.summary}</span>
                  <span className="template-stages small">
                    {t.workflow.stages.map((s) => (
                      <span key={s.key} title={`${ROLE_NAMES[s.ownerRole]}: ${s.nextAction}`}>
                        {s.label}
                      </span>
                    ))}
                  </span>
                </span>
              </label>
            ))}
            <label className="template-pick" data-template={BLANK}>
              <input
                type="radio"
                name="template"
                value={BLANK}
                checked={form.template === BLANK}
                onChange={() => set('template', BLANK)}
              />
              <span className="template-body">
                <strong>Start blank</strong>
                <span className="small muted">Three plain stages (received, in production, shipped) to rename and build on.</span>
              </span>
            </label>
          </div>
        </fieldset>

        <FormError message={formError} />
        <button type="submit" className="button primary block" disabled={busy} data-action="complete-setup">
          {busy ? 'Setting up…' : 'Set up Floorboard'}
        </button>
      </form>
    </main>
  );
}
