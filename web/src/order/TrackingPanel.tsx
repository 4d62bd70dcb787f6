// The customer's tracking link on the order page: what the customer sees now, the link to send, and (for those
// who edit orders) a new link when the old one went astray, or switching tracking off for this order.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiProblem, post, put } from '../api/client.ts';
import { keys, useTrackingLink } from '../api/queries.ts';
import type { Order, TrackingLink } from '../api/types.ts';
import { mayEditOrders } from '../auth/roles.ts';
import { useUser } from '../auth/session.tsx';
import { notify } from '../ui/notices.tsx';

export function TrackingPanel({ order }: { order: Order }) {
  const user = useUser();
  const qc = useQueryClient();
  const link = useTrackingLink(order.id);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);
  const url = link.data?.trackingUrl ?? order.trackingUrl;
  const enabled = link.data?.enabled ?? true;
  const full = new URL(url, window.location.origin).toString();

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(full);
    } catch {
      const input = document.getElementById('tracking-url') as HTMLInputElement | null;
      input?.select();
      document.execCommand?.('copy');
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };

  const change = async (action: () => Promise<TrackingLink>, done: string) => {
    setBusy(true);
    try {
      qc.setQueryData(keys.tracking(order.id), await action());
      await qc.invalidateQueries({ queryKey: ['order'] });
      notify('success', done);
    } catch (err) {
      notify('error', err instanceof ApiProblem ? err.detail : 'That did not work; try again.');
    } finally {
      setBusy(false);
    }
  };
  const rotate = () => {
    if (!window.confirm('Make a new tracking link? The old link stops working at once.')) return;
    void change(
      () => post<TrackingLink>(`/orders/${order.id}/tracking/rotate`),
      'New tracking link made: send it to the customer',
    );
  };
  const toggle = () =>
    void change(
      () => put<TrackingLink>(`/orders/${order.id}/tracking`, { enabled: !enabled }),
      enabled ? 'Tracking switched off for this order' : 'Tracking switched on again',
    );

  return (
    <section className="panel" aria-labelledby="tracking-title" data-tracking-panel data-enabled={enabled}>
      <h2 id="tracking-title">Customer tracking link</h2>
      <p className="customer-sees">
        <span className="muted small">The customer sees</span> <strong data-customer-status>{order.customerStatus}</strong>
      </p>
      {enabled ? (
        <>
          <p className="muted small">Send this to the customer: it shows their order's progress in plain words.</p>
          <div className="copy-row">
            <input id="tracking-url" aria-label="Tracking link" readOnly value={full} onFocus={(e) => e.target.select()} />
            <button type="button" className="button small" onClick={copy} data-action="copy-tracking">
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        </>
      ) : (
        <p className="muted small" data-tracking-off>
          Tracking is switched off: the link answers as if it did not exist, and customer e-mails leave it out.
        </p>
      )}
      {mayEditOrders(user.role) && (
        <div className="tracking-actions">
          {enabled && (
            <button type="button" className="button ghost small" disabled={busy} onClick={rotate} data-action="rotate-tracking">
              New link
            </button>
          )}
          <button type="button" className="button ghost small" disabled={busy} onClick={toggle} data-action="toggle-tracking">
            {enabled ? 'Switch off' : 'Switch on'}
          </button>
        </div>
      )}
    </section>
  );
}
