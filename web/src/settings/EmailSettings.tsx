// Settings: where e-mail goes out (SMTP URL, sender), and a test message that shows what the server answered.
// Without a working server customer e-mails are not sent at all, so the test is the first thing to try.
import { type FormEvent, useState } from 'react';
import { ApiProblem, post } from '../api/client.ts';
import type { Settings } from '../api/types.ts';
import { useUser } from '../auth/session.tsx';
import { Field } from '../ui/Field.tsx';
import { type TestEmailResult, useSaveSettings } from './settings-api.ts';

export function EmailSettings({ settings }: { settings: Settings }) {
  const user = useUser();
  const { save, busy, problem } = useSaveSettings();
  const [smtpUrl, setSmtpUrl] = useState(settings.email.smtpUrl ?? '');
  const [from, setFrom] = useState(settings.email.from);
  const [to, setTo] = useState(user.email);
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<TestEmailResult | null>(null);
  const [testProblem, setTestProblem] = useState<ApiProblem | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save({ email: { smtpUrl: smtpUrl.trim() || null, from: from.trim() } }, 'E-mail settings saved');
  };

  const sendTest = async (e: FormEvent) => {
    e.preventDefault();
    setTesting(true);
    setResult(null);
    setTestProblem(null);
    try {
      // The server in the form, saved or not: an admin tries before saving.
      setResult(
        await post<TestEmailResult>('/settings/email/test', {
          to: to.trim(),
          ...(smtpUrl.trim() ? { smtpUrl: smtpUrl.trim() } : {}),
          ...(from.trim() ? { from: from.trim() } : {}),
        }),
      );
    } catch (err) {
      setTestProblem(err instanceof ApiProblem ? err : null);
    } finally {
      setTesting(false);
    }
  };

  return (
    <div className="admin-grid">
      <form className="panel" onSubmit={submit} aria-labelledby="email-title" data-form="email">
        <h2 id="email-title">Outgoing e-mail</h2>
        {!settings.email.smtpConfigured && (
          <p className="secret" role="status">
            No SMTP server is set: customer updates and e-mail notices are not sent.
          </p>
        )}
        <Field
          label="SMTP URL"
          error={problem?.errorFor('email.smtpUrl')}
          hint="smtp://user:password@mail.example.com:587, or smtps:// for TLS from the start. The password is never shown again."
        >
          {(p) => <input {...p} value={smtpUrl} onChange={(e) => setSmtpUrl(e.target.value)} data-smtp-url />}
        </Field>
        <Field
          label="Sender"
          error={problem?.errorFor('email.from')}
          hint="The From of every e-mail, e.g. Harbour Print <orders@harbour.example>"
        >
          {(p) => <input {...p} required value={from} onChange={(e) => setFrom(e.target.value)} />}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy} data-action="save-email">
            Save
          </button>
        </div>
      </form>
      <form className="panel" onSubmit={sendTest} aria-labelledby="test-email-title" data-form="test-email">
        <h2 id="test-email-title">Send a test</h2>
        <p className="muted small">Sends one message now through the server above (saved or not) and shows its answer.</p>
        <Field label="Send to" error={testProblem?.errorFor('to')}>
          {(p) => <input {...p} type="email" required value={to} onChange={(e) => setTo(e.target.value)} data-test-to />}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button" disabled={testing} data-action="send-test-email">
            {testing ? 'Sending…' : 'Send a test e-mail'}
          </button>
        </div>
        {testProblem && (
          <p className="form-error" role="alert">
            {testProblem.detail}
          </p>
        )}
        {result && (
          <div className="smtp-answer" role="status" data-smtp-answer data-sent={String(result.sent)}>
            <strong>{result.sent ? `Sent through ${result.server}` : `Not sent through ${result.server}`}</strong>
            {result.error && <div data-smtp-error>{result.error}</div>}
            {result.serverAnswer && (
              <div>
                The server answered: <code data-server-answer>{result.serverAnswer}</code>
              </div>
            )}
          </div>
        )}
      </form>
    </div>
  );
}
