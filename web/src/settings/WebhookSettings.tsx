// Settings: webhook endpoints. Create one (its signing secret is shown once), choose the events it hears, pause and
// resume it, remove it, and read each endpoint's delivery log.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, del, patch, post } from '../api/client.ts';
import type { Settings } from '../api/types.ts';
import { Field } from '../ui/Field.tsx';
import { notify } from '../ui/notices.tsx';
import { useSaveSettings, useWebhookEventTypes, useWebhooks, type Webhook, webhookKeys } from './settings-api.ts';
import { WebhookDeliveries } from './WebhookDeliveries.tsx';

export function WebhookSettings({ settings }: { settings: Settings | undefined }) {
  const hooks = useWebhooks();
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div className="admin-grid">
      <section className="panel" aria-labelledby="webhooks-title">
        <h2 id="webhooks-title">Webhook endpoints</h2>
        <p className="muted small">
          Each event is POSTed to the endpoint, signed the Standard Webhooks way (headers webhook-id, webhook-timestamp,
          webhook-signature), and retried when it fails.
        </p>
        {secret && (
          <div className="secret" role="status" data-webhook-secret>
            <p>
              The signing secret of <code>{secret.url}</code>. Copy it now: it is never shown again.
            </p>
            <code data-secret-value>{secret.secret}</code>
            <div className="form-actions">
              <button type="button" className="button small" onClick={() => setSecret(null)}>
                I have copied it
              </button>
            </div>
          </div>
        )}
        {hooks.isPending && <p className="muted">Loading…</p>}
        {hooks.isError && <p className="form-error">{hooks.error.message}</p>}
        {hooks.data?.length === 0 && <p className="muted">No endpoints yet.</p>}
        {hooks.data && hooks.data.length > 0 && (
          <ul className="holiday-list" data-webhooks>
            {hooks.data.map((hook) => (
              <WebhookRow
                key={hook.id}
                hook={hook}
                open={open === hook.id}
                onToggleLog={() => setOpen(open === hook.id ? null : hook.id)}
                onSecret={(s) => setSecret({ url: hook.url, secret: s })}
              />
            ))}
          </ul>
        )}
        {open && <WebhookDeliveries id={open} />}
      </section>
      <div>
        <NewWebhook onCreated={(url, s) => setSecret({ url, secret: s })} />
        {settings && <PrivateNetworks allowed={settings.webhooks.allowPrivateNetworks} />}
      </div>
    </div>
  );
}

function WebhookRow({
  hook,
  open,
  onToggleLog,
  onSecret,
}: {
  hook: Webhook;
  open: boolean;
  onToggleLog: () => void;
  onSecret: (secret: string) => void;
}) {
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const act = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await work();
      notify('success', done);
      await qc.invalidateQueries({ queryKey: webhookKeys.all });
    } catch (err) {
      notify('error', 'Not done', err instanceof ApiProblem ? err.detail : undefined);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="webhook-row" data-webhook={hook.url} data-active={String(hook.active)}>
      <div>
        <code>{hook.url}</code>
        <div className="small muted">
          {hook.active ? 'Active' : 'Paused'} · {hook.eventTypes.length} event type(s) · {hook.deliveries.delivered ?? 0}{' '}
          delivered, {hook.deliveries.failed ?? 0} failed, {hook.deliveries.pending ?? 0} waiting
          {hook.description && ` · ${hook.description}`}
        </div>
      </div>
      <div className="form-actions">
        <button type="button" className="button small" onClick={onToggleLog} aria-expanded={open} data-action="delivery-log">
          Log
        </button>
        <button
          type="button"
          className="button small"
          disabled={busy}
          data-action={hook.active ? 'pause-webhook' : 'resume-webhook'}
          onClick={() =>
            void act(
              () => patch(`/webhooks/${hook.id}`, { active: !hook.active }),
              hook.active ? 'Endpoint paused' : 'Endpoint resumed',
            )
          }
        >
          {hook.active ? 'Pause' : 'Resume'}
        </button>
        <button
          type="button"
          className="button small"
          disabled={busy}
          onClick={() =>
            void act(async () => {
              const r = await post<{ secret: string }>(`/webhooks/${hook.id}/rotate-secret`);
              onSecret(r.secret);
            }, 'New secret made; the old one no longer signs')
          }
        >
          New secret
        </button>
        <button
          type="button"
          className="button small danger"
          disabled={busy}
          onClick={() => {
            if (window.confirm(`Remove ${hook.url} and its delivery log?`))
              void act(() => del(`/webhooks/${hook.id}`), 'Endpoint removed');
          }}
        >
          Remove
        </button>
      </div>
    </li>
  );
}

function NewWebhook({ onCreated }: { onCreated: (url: string, secret: string) => void }) {
  const qc = useQueryClient();
  const types = useWebhookEventTypes();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [chosen, setChosen] = useState<Set<string>>(new Set(['order.stage_changed']));
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const created = await post<Webhook & { secret: string }>('/webhooks', {
        url: url.trim(),
        eventTypes: [...chosen],
        description: description.trim() || null,
      });
      onCreated(created.url, created.secret);
      setUrl('');
      setDescription('');
      await qc.invalidateQueries({ queryKey: webhookKeys.all });
    } catch (err) {
      setProblem(err instanceof ApiProblem ? err : null);
      notify('error', 'Endpoint not added', err instanceof ApiProblem ? err.detail : undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel" onSubmit={(e) => void submit(e)} aria-labelledby="new-webhook-title" data-form="new-webhook">
      <h2 id="new-webhook-title">Add an endpoint</h2>
      <Field label="URL" error={problem?.errorFor('url')}>
        {(p) => <input {...p} type="url" required value={url} onChange={(e) => setUrl(e.target.value)} data-webhook-url />}
      </Field>
      <Field label="Description" error={problem?.errorFor('description')}>
        {(p) => <input {...p} maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      <fieldset className="weekdays">
        <legend>Events it hears</legend>
        {types.data?.map((t) => (
          <label key={t} className="check">
            <input
              type="checkbox"
              checked={chosen.has(t)}
              data-event-type={t}
              onChange={() =>
                setChosen((s) => {
                  const next = new Set(s);
                  if (next.has(t)) next.delete(t);
                  else next.add(t);
                  return next;
                })
              }
            />
            {t}
          </label>
        ))}
      </fieldset>
      {problem?.errorFor('eventTypes') && <p className="field-error">{problem.errorFor('eventTypes')}</p>}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy || chosen.size === 0} data-action="create-webhook">
          Add endpoint
        </button>
      </div>
    </form>
  );
}

function PrivateNetworks({ allowed }: { allowed: boolean }) {
  const { save, busy } = useSaveSettings();
  // Ticked at once; put back when the save is refused.
  const [checked, setChecked] = useState(allowed);
  const change = async (next: boolean) => {
    setChecked(next);
    const saved = await save(
      { webhooks: { allowPrivateNetworks: next } },
      next ? 'Private addresses allowed' : 'Private addresses refused',
    );
    if (!saved) setChecked(!next);
  };
  return (
    <section className="panel" aria-labelledby="private-title">
      <h2 id="private-title">Endpoints on this network</h2>
      <label className="check">
        <input
          type="checkbox"
          checked={checked}
          disabled={busy}
          data-allow-private
          onChange={(e) => void change(e.target.checked)}
        />
        Allow endpoints on private and loopback addresses
      </label>
      <p className="muted small">For a receiver inside your own network. Leave off when Floorboard is reachable from outside.</p>
    </section>
  );
}
