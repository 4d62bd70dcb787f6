// Settings: what customers and stage owners hear by default: customer e-mail for new orders, and the due-soon reminder.
import { type FormEvent, useState } from 'react';
import type { Settings } from '../api/types.ts';
import { Field } from '../ui/Field.tsx';
import { useSaveSettings } from './settings-api.ts';

export function CustomerUpdateSettings({ settings }: { settings: Settings }) {
  const { save, busy, problem } = useSaveSettings();
  const [emailByDefault, setEmailByDefault] = useState(settings.customerUpdates.emailByDefault);
  const [dueSoonDays, setDueSoonDays] = useState(String(settings.dueSoonDays));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save({ customerUpdates: { emailByDefault }, dueSoonDays: Number(dueSoonDays) }, 'Update settings saved');
  };

  return (
    <form className="panel" onSubmit={submit} aria-labelledby="updates-title" data-form="customer-updates">
      <h2 id="updates-title">Customer updates</h2>
      <p className="muted small">
        Customers are e-mailed when their order enters a stage marked “tell the customer” in the workflow. Each order can still be
        switched on or off on its own page.
      </p>
      <label className="check">
        <input
          type="checkbox"
          checked={emailByDefault}
          onChange={(e) => setEmailByDefault(e.target.checked)}
          data-email-by-default
        />
        E-mail customers about new orders
      </label>
      {!settings.email.smtpConfigured && (
        <p className="muted small">No SMTP server is set yet (see E-mail): nothing is sent until one is.</p>
      )}
      <Field
        label="Remind stage owners this many days before the due date"
        error={problem?.errorFor('dueSoonDays')}
        hint="0: no reminders"
      >
        {(p) => (
          <input
            {...p}
            type="number"
            min={0}
            max={365}
            required
            value={dueSoonDays}
            onChange={(e) => setDueSoonDays(e.target.value)}
          />
        )}
      </Field>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy} data-action="save-customer-updates">
          Save
        </button>
      </div>
    </form>
  );
}
