// Settings: one endpoint's delivery log, newest first, with every attempt's answer; failed deliveries can be sent again.
import { useQueryClient } from '@tanstack/react-query';
import { ApiProblem, post } from '../api/client.ts';
import { timestamp } from '../ui/format.ts';
import { notify } from '../ui/notices.tsx';
import { useDeliveries, webhookKeys } from './settings-api.ts';

export function WebhookDeliveries({ id }: { id: string }) {
  const qc = useQueryClient();
  const log = useDeliveries(id);
  const resend = async (path: string, done: string) => {
    try {
      await post(path);
      notify('success', done);
      await qc.invalidateQueries({ queryKey: webhookKeys.all });
    } catch (err) {
      notify('error', 'Not resent', err instanceof ApiProblem ? err.detail : undefined);
    }
  };
  const failed = log.data?.items.filter((d) => d.status === 'failed').length ?? 0;
  return (
    <section aria-labelledby="deliveries-title" data-deliveries>
      <h3 id="deliveries-title">Delivery log</h3>
      {log.isPending && <p className="muted">Loading…</p>}
      {log.data?.items.length === 0 && <p className="muted">Nothing sent yet.</p>}
      {failed > 0 && (
        <button
          type="button"
          className="button small"
          onClick={() => void resend(`/webhooks/${id}/resend-failed`, 'Failed deliveries resent')}
        >
          Resend all failed
        </button>
      )}
      {log.data && log.data.items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {log.data.items.map((d) => (
              <tr key={d.id} data-delivery={d.status}>
                <td>
                  {d.eventType}
                  <div className="small muted">{timestamp(d.createdAt)}</div>
                </td>
                <td>
                  <span className="badge">{d.status}</span>
                  {d.nextAttemptAt && d.status === 'pending' && (
                    <div className="small muted">next try {timestamp(d.nextAttemptAt)}</div>
                  )}
                </td>
                <td>
                  <ol className="attempts">
                    {d.attemptLog.map((a) => (
                      <li key={a.at}>
                        {timestamp(a.at)}: {a.statusCode !== null ? `HTTP ${a.statusCode}` : 'no answer'}
                        {a.error && ` (${a.error})`}, {a.durationMs} ms
                      </li>
                    ))}
                  </ol>
                </td>
                <td>
                  {d.status === 'failed' && (
                    <button
                      type="button"
                      className="button small"
                      onClick={() => void resend(`/webhooks/${id}/deliveries/${d.id}/resend`, 'Delivery resent')}
                    >
                      Resend
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
